import Foundation

/// What a finished child process produced.
public struct ProcessOutput: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs programs for tests without blocking Swift's cooperative threads.
public enum ChildProcess {
    /// Runs `executable` with `arguments`, feeding `input`, and waits (at most `timeout` seconds, then kills).
    public static func run(
        _ executable: String, _ arguments: [String], input: Data? = nil, environment: [String: String]? = nil,
        timeout: Double = 60
    ) async throws -> ProcessOutput {
        _ = ignoreBrokenPipes
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(
                    with: Result {
                        try runBlocking(executable, arguments, input: input, environment: environment, timeout: timeout)
                    }
                )
            }
            thread.start()
        }
    }

    /// A child that exits before reading all its input must not kill the test process with SIGPIPE.
    private static let ignoreBrokenPipes: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()

    private static func runBlocking(
        _ executable: String, _ arguments: [String], input: Data?, environment: [String: String]?, timeout: Double
    ) throws -> ProcessOutput {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        try process.run()
        let group = DispatchGroup()
        let collected = Collected()
        group.enter()
        Thread {
            collected.setStdout(stdoutPipe.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }.start()
        group.enter()
        Thread {
            collected.setStderr(stderrPipe.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }.start()
        if let input { try? stdinPipe.fileHandleForWriting.write(contentsOf: input) }
        try? stdinPipe.fileHandleForWriting.close()
        if group.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            kill(process.processIdentifier, SIGKILL)
            throw SupportError("\(executable) \(arguments.prefix(3)) did not finish within \(timeout) s")
        }
        process.waitUntilExit()
        return ProcessOutput(
            status: process.terminationStatus, stdout: String(decoding: collected.stdout, as: UTF8.self),
            stderr: String(decoding: collected.stderr, as: UTF8.self)
        )
    }
}

private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()

    func setStdout(_ data: Data) { lock.withLock { out = data } }
    func setStderr(_ data: Data) { lock.withLock { err = data } }
    var stdout: Data { lock.withLock { out } }
    var stderr: Data { lock.withLock { err } }
}
