/// The exit statuses of SPEC §4.
public enum ExitStatus {
    /// The command did what it was asked.
    public static let success: Int32 = 0
    /// A trust failure: a passport that fails, tools the policy keeps out, a call to a quarantined tool.
    public static let trustFailure: Int32 = 1
    /// A usage or profile error.
    public static let usage: Int32 = 2
    /// A connection or protocol failure.
    public static let connection: Int32 = 3
    /// The tool reported an error, or the call returned a JSON-RPC error.
    public static let toolError: Int32 = 4
    /// A `gatehouse run` assertion failed.
    public static let assertionFailed: Int32 = 5
}

/// A command that already printed its result and only needs the process to exit with `status`.
struct CommandExit: Error {
    let status: Int32
}
