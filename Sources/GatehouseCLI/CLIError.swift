import GatehouseHost
import MCPClient
import TrustCore

/// A command's failure: a stable dotted code, a human message and the exit status of SPEC §4.
public struct CLIError: Error, Sendable {
    /// A stable dotted code. The constants below are the ones the command line defines; a failure that
    /// another module reported keeps that module's code (a ``ReasonCode``, an ``MCPClientError/Code``, a
    /// ``HostError/Code``).
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The dotted identifier, e.g. `usage.invalid`.
        public let rawValue: String
        /// Wraps a code; prefer the constants, or the initializers that carry another module's code.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The dotted identifier.
        public var description: String { rawValue }

        /// The trust core's reason for a failure.
        public init(_ code: ReasonCode) { self.init(rawValue: code.rawValue) }
        /// The MCP client's code for a failure.
        public init(_ code: MCPClientError.Code) { self.init(rawValue: code.rawValue) }
        /// The host's code for a refusal.
        public init(_ code: HostError.Code) { self.init(rawValue: code.rawValue) }

        /// A command line, argument, scenario command or file the command cannot use (exit 2).
        public static let usageInvalid = Code(rawValue: "usage.invalid")
        /// A profile, or an entry of one, that cannot be used (SPEC §3).
        public static let profileInvalid = Code(rawValue: ProfileProblem.code)
        /// The trust store cannot be read.
        public static let trustStoreInvalid = Code(rawValue: "trust_store.invalid")
        /// The trust store cannot be written.
        public static let trustStoreWrite = Code(rawValue: "trust_store.write")
        /// An `audit --baseline` file that cannot be read.
        public static let baselineInvalid = Code(rawValue: "baseline.invalid")
        /// An audited server differs from `audit --baseline` (the reason in an audit report).
        public static let baselineDrift = Code(rawValue: "baseline.drift")
        /// `passport keygen` could not make a key.
        public static let keygenFailed = Code(rawValue: "keygen.failed")
        /// The tool ran and reported an error (`isError: true`), as a scenario command's outcome.
        public static let toolError = Code(rawValue: "tool.error")
        /// A `gatehouse run` assertion did not hold (exit 5).
        public static let assertionFailed = Code(rawValue: "run.assertion_failed")
        /// A server asked the REPL a question while no call to it was running.
        public static let unsolicitedRequest = Code(rawValue: "host.unsolicited_request")

        /// The codes the command line defines (pinned in docs/error-codes.md).
        public static let cliCodes: [Code] = [
            .usageInvalid, .profileInvalid, .trustStoreInvalid, .trustStoreWrite, .baselineInvalid, .baselineDrift,
            .keygenFailed, .toolError, .assertionFailed, .unsolicitedRequest,
        ]
    }

    /// The dotted code, e.g. `usage.invalid` or `passport.malformed`.
    public let code: Code
    /// What went wrong, for a person.
    public let message: String
    /// The process exit status.
    public let exitCode: Int32

    /// Creates an error.
    public init(code: Code, message: String, exitCode: Int32) {
        self.code = code
        self.message = message
        self.exitCode = exitCode
    }

    /// A usage error (exit 2).
    public static func usage(_ message: String) -> CLIError {
        CLIError(code: .usageInvalid, message: message, exitCode: ExitStatus.usage)
    }
}
