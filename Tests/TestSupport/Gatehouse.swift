import Foundation

/// Runs the built `gatehouse` binary with its state in a private directory.
public struct Gatehouse: Sendable {
    /// The state directory (`XDG_STATE_HOME`) the runs share.
    public let stateHome: String

    /// A runner with a fresh state directory.
    public init() throws {
        stateHome = try Repository.temporaryDirectory()
    }

    /// Runs `gatehouse arguments…`, optionally feeding standard input, with `extra` added to the environment.
    public func run(
        _ arguments: [String], input: Data? = nil, environment extra: [String: String] = [:], timeout: Double = 60
    ) async throws -> ProcessOutput {
        var environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        environment["XDG_STATE_HOME"] = stateHome
        environment["NO_COLOR"] = "1"
        return try await ChildProcess.run(
            try Repository.gatehouseBinary(), arguments, input: input, environment: environment, timeout: timeout
        )
    }
}
