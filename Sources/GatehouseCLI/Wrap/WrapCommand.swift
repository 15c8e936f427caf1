import ArgumentParser
import Foundation
import StrictJSON
import TerminalText

/// `gatehouse wrap HOST` (SPEC §8): puts `gatehouse proxy` in front of every server of another host's
/// configuration; the originals move to `$XDG_CONFIG_HOME/gatehouse/wrapped/HOST.json`.
struct WrapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wrap", abstract: "Put Gatehouse's verification in front of every MCP server of another host."
    )

    @OptionGroup var options: WrapOptions

    @Option(name: .customLong("profile"), help: "The profile whose registries and trust settings the wrapped servers use.")
    var profile: String?

    func run() async throws {
        let files = try options.files()
        if files.gatehouse.contains("/.build/") {
            Console.error("warning: \(files.gatehouse) is a build directory's binary; `make install` puts one at ~/.local/bin that survives a clean")
        }
        var wrappedProfile = try files.readWrappedProfile()
        if let settings = try WrapFiles.settings(fromProfile: profile ?? ProfileOptions.defaultPath()) {
            for (key, value) in settings { wrappedProfile[key] = value }
        }
        let wrapper = ConfigWrapper(gatehouse: files.gatehouse, profilePath: files.profilePath, dialect: options.host)
        let outcome = wrapper.wrap(config: try files.readConfig(), servers: wrappedProfile["mcpServers"]?.objectValue ?? JSONObject())
        wrappedProfile["mcpServers"] = .object(outcome.servers)
        try files.commit(outcome, wrappedProfile: wrappedProfile, dryRun: options.dryRun, verb: "wrapped")
    }
}

extension HostDialect: ExpressibleByArgument {}
