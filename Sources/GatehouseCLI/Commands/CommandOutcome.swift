import StrictJSON
import TerminalText

/// What one REPL or scenario command produced: the REPL prints it, `gatehouse run` asserts on it and
/// `gatehouse call` exits with it. Its text is terminal text (a server's words in it are sanitized);
/// `expect text contains` reads it.
struct CommandOutcome: Sendable {
    /// The exit status with `gatehouse call`'s meaning (SPEC §4): 0 ok, 1 quarantined, 2 usage, 3
    /// connection, 4 tool error.
    var status: Int32 = ExitStatus.success
    /// The error code of a failure (`tool.error` for a tool that reported one).
    var code: CLIError.Code?
    /// What the command printed, or, when ``refused``, why it was refused.
    var text: TerminalText = ""
    /// A call's result as MCP defines it.
    var json: JSONValue?
    /// The text is a refusal: the REPL prints it as `error[CODE]: TEXT` on stderr.
    var refused = false
    /// `quit`: the REPL ends.
    var quits = false

    init(
        status: Int32 = ExitStatus.success, code: CLIError.Code? = nil, text: TerminalText = "", json: JSONValue? = nil
    ) {
        self.status = status
        self.code = code
        self.text = text
        self.json = json
    }

    /// A refused command, as `gatehouse call` would have exited.
    init(_ error: CLIError) {
        self.init(status: error.exitCode, code: error.code, text: TerminalText(error.message))
        refused = true
    }

    /// The refusal as an error to throw (`gatehouse call`), nil when the command was not refused.
    var error: CLIError? {
        refused ? CLIError(code: code ?? .usageInvalid, message: text.string, exitCode: status) : nil
    }
}
