/// A command's failure: a stable dotted code, a human message and the exit status of SPEC §4.
public struct CLIError: Error, Sendable {
    /// The dotted code, e.g. `usage.invalid` or `passport.malformed`.
    public let code: String
    /// What went wrong, for a person.
    public let message: String
    /// The process exit status.
    public let exitCode: Int32

    /// Creates an error.
    public init(code: String, message: String, exitCode: Int32) {
        self.code = code
        self.message = message
        self.exitCode = exitCode
    }

    /// A usage error (exit 2).
    public static func usage(_ message: String) -> CLIError {
        CLIError(code: "usage.invalid", message: message, exitCode: ExitStatus.usage)
    }
}

/// The exit statuses of SPEC §4.
public enum ExitStatus {
    public static let success: Int32 = 0
    public static let trustFailure: Int32 = 1
    public static let usage: Int32 = 2
    public static let connection: Int32 = 3
    public static let toolError: Int32 = 4
    public static let assertionFailed: Int32 = 5
}

/// A command that already printed its result and only needs the process to exit with `status`.
struct CommandExit: Error {
    let status: Int32
}
