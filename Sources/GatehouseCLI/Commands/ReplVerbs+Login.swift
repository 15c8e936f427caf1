import ArgumentParser
import GatehouseHost
import MCPClient
import OAuth
import TerminalText
import TrustCore

extension ReplVerbs {
    /// `login SERVER` (SPEC §9): the OAuth login of a server that answered `401` (or `403
    /// insufficient_scope`), then `reconnect SERVER` with the new token. Identity first: a server whose
    /// evidence was rejected under `enforce` gets no login.
    struct Login: ReplVerb {
        static let configuration = CommandConfiguration(abstract: "Log in to an HTTP server that requires OAuth, then reconnect it.")

        @Argument var server: String

        func perform(with runner: CommandRunner, line: String) async -> CommandOutcome {
            guard let status = await runner.host.servers[server] else {
                return CommandOutcome(CLIError.usage("no server named \(server)"))
            }
            guard let failure = status.connectionError, failure.code.isAuthorizationFailure else {
                return CommandOutcome(text: "\(server) did not ask for a login")
            }
            if status.rejectedBeforeLogin {
                let code = status.reasons.first?.code.rawValue ?? "passport.rejected"
                return CommandOutcome(
                    status: ExitStatus.trustFailure, code: CLIError.Code(rawValue: code),
                    text: "no login: \(server)'s identity evidence was rejected under enforce (\(code))"
                )
            }
            let identity = status.reasons.first.map { "\(status.verdict.rawValue) (\($0.code.rawValue))" } ?? status.verdict.rawValue
            do {
                _ = try await InteractiveLogin(entry: status.entry, failure: failure, identity: identity, acceptsPaste: false).run()
            } catch {
                return CommandOutcome(status: ExitStatus.connection, code: .authFailed, text: "\(error.message)")
            }
            let statuses = await runner.host.reconnect([server])
            return CommandOutcome(text: statuses.map { TrustRendering.badgeLine($0, color: runner.color) }.joined(separator: "\n"))
        }
    }
}
