import ArgumentParser

/// `gatehouse auth` (SPEC §9): log in to the HTTP servers that require OAuth, log out, and show what is stored.
struct AuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth", abstract: "Log in to HTTP servers that require OAuth, log out, and show the stored logins.",
        subcommands: [AuthLoginCommand.self, AuthLogoutCommand.self, AuthStatusCommand.self]
    )
}

extension CLIError.Code {
    /// The OAuth flow failed (SPEC §9): the MCP client's code `auth.failed`, used by `gatehouse auth`.
    static let authFailed = CLIError.Code(rawValue: "auth.failed")
}
