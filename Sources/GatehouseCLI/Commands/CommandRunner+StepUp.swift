import GatehouseHost
import MCPClient
import OAuth
import TerminalText

extension CommandRunner {
    /// SPEC §9 step 4's step-up: `server` answered a call with `403 insufficient_scope`, so the login runs
    /// again — its scopes the union of the stored token's and the challenge's — and the server is
    /// reconnected with the new token (verified again, as on any connect). Nil when the call may be sent
    /// once more; otherwise the refusal (`auth.failed`, or the reconnected server's own failure).
    func stepUp(_ server: String, failure: MCPClientError) async -> CLIError? {
        guard let status = await host.servers[server] else { return CLIError.usage("no server named \(server)") }
        var login = InteractiveLogin(entry: status.entry, failure: failure, identity: InteractiveLogin.identity(of: status))
        login.acceptsPaste = false
        note("\(server) needs more scopes for this call (\(failure.message)); logging in again")
        do {
            _ = try await login.run()
        } catch {
            return CLIError(code: .authFailed, message: error.message, exitCode: ExitStatus.connection)
        }
        let statuses = await host.reconnect([server])
        for reconnected in statuses { note(TrustRendering.badgeLine(reconnected, color: color)) }
        if let lost = statuses.first?.connectionError {
            return CLIError(code: CLIError.Code(lost.code), message: lost.message, exitCode: ExitStatus.connection)
        }
        return nil
    }
}
