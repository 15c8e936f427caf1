import ArgumentParser
import GatehouseHost
import MCPClient
import OAuth
import TerminalText
import TrustCore

/// `gatehouse auth login SERVER` (SPEC §9): identity first — the server is connected without credentials and
/// what its `401` shows is verified; evidence rejected under `enforce` ends it there, with no browser opened —
/// then the authorization code flow with PKCE, and a connection with the new token to show it works.
struct AuthLoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login", abstract: "Log in to an HTTP server that requires OAuth, and store its tokens."
    )

    @Argument(help: "The server's name in the profile.")
    var server: String

    @OptionGroup var profileOptions: ProfileOptions

    @Flag(name: .customLong("no-browser"), help: "Print the authorization URL instead of opening it, and accept the redirect URL pasted on stdin.")
    var noBrowser = false

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let profile = try profileOptions.load()
        guard let entry = profile.server(named: server) else {
            throw CLIError.usage("no server named \"\(server)\" in \(profile.files.joined(separator: ", "))")
        }
        guard entry.url != nil else { throw CLIError.usage("\(server) is a stdio server: only HTTP servers log in (stdio servers take credentials from their environment)") }
        guard entry.auth.enabled else { throw CLIError.usage("\(server) has \"auth\": false in the profile: OAuth is off for it") }
        let probe = try HostFactory.make(profile, common: common, tokens: false)
        await probe.setFollowListChanges(false)
        await probe.setInventoriesQuarantined(false)
        guard let status = await probe.connect([server]).first else { throw CommandExit(status: ExitStatus.connection) }
        await probe.close()
        await HostFactory.save(probe)
        var login: InteractiveLogin
        switch InteractiveLogin.start(for: status) {
        case .notAsked:
            Console.out(TrustRendering.badgeLine(status, color: common.useColor))
            if status.connectionError == nil { Console.error("\(server) did not ask for a login") }
            let exit = ExitStatus.forServers([status], profileProblems: false)
            if exit != 0 { throw CommandExit(status: exit) }
            return
        case .refused(let code, let reason):
            Console.out(TrustRendering.badgeLine(status, color: common.useColor))
            Console.error("error[\(code)]: no login: \(server)'s identity evidence was rejected under enforce (\(reason))")
            throw CommandExit(status: ExitStatus.trustFailure)
        case .ready(let ready):
            login = ready
        }
        login.noBrowser = noBrowser
        let token: StoredToken
        do {
            token = try await login.run()
        } catch {
            throw CLIError(code: .authFailed, message: error.message, exitCode: ExitStatus.connection)
        }
        Console.error("login: stored a token for \(token.serverURL) from \(token.issuer) (\(AuthStatusCommand.summary(token, now: OAuthTransport.now())))")
        let host = try HostFactory.make(profile, common: common)
        await host.setFollowListChanges(false)
        let statuses = await host.connect([server])
        await host.close()
        await HostFactory.save(host)
        for connected in statuses { Console.out(TrustRendering.badgeLine(connected, color: common.useColor)) }
        let exit = ExitStatus.forServers(statuses, profileProblems: false)
        if exit != 0 { throw CommandExit(status: exit) }
    }
}
