import ArgumentParser
import GatehouseHost
import OAuth
import TerminalText

/// `gatehouse auth logout SERVER | --all` (SPEC §9): removes the stored tokens (registered clients stay).
struct AuthLogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logout", abstract: "Remove the stored tokens of a server, or of all.")

    @Argument(help: "The server's name in the profile.")
    var server: String?

    @Flag(help: "Every stored token.")
    var all = false

    @OptionGroup var profileOptions: ProfileOptions

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if (server == nil) == !all { throw ValidationError("give a SERVER or --all") }
    }

    func run() async throws {
        var url: String?
        if let server {
            let profile = try profileOptions.load()
            guard let entry = profile.server(named: server) else {
                throw CLIError.usage("no server named \"\(server)\" in \(profile.files.joined(separator: ", "))")
            }
            guard let address = entry.url else { throw CLIError.usage("\(server) is a stdio server: it has no login") }
            url = address
        }
        let removed: Int
        do {
            removed = try OAuthTransport.store.logout(serverURL: url)
        } catch {
            throw CLIError(code: .authFailed, message: error.message, exitCode: ExitStatus.connection)
        }
        Console.out("removed \(removed) stored token\(removed == 1 ? "" : "s")\(server.map { " of \($0)" } ?? "")")
    }
}
