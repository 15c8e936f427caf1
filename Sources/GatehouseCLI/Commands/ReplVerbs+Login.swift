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
            var login: InteractiveLogin
            switch InteractiveLogin.start(for: status) {
            case .notAsked:
                return CommandOutcome(text: "\(server) did not ask for a login")
            case .refused(let code, _):
                return CommandOutcome(
                    status: ExitStatus.trustFailure, code: CLIError.Code(rawValue: code),
                    text: "no login: \(server)'s identity evidence was rejected under enforce (\(code))"
                )
            case .ready(let ready):
                login = ready
            }
            login.acceptsPaste = false
            do {
                _ = try await login.run()
            } catch {
                return CommandOutcome(status: ExitStatus.connection, code: .authFailed, text: "\(error.message)")
            }
            let statuses = await runner.host.reconnect([server])
            return CommandOutcome(text: statuses.map { TrustRendering.badgeLine($0, color: runner.color) }.joined(separator: "\n"))
        }
    }
}
