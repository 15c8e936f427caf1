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

/// `gatehouse unwrap HOST`: puts the original entries back (entries added since are kept).
struct UnwrapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unwrap", abstract: "Undo `gatehouse wrap HOST`.")

    @OptionGroup var options: WrapOptions

    func run() async throws {
        let files = try options.files()
        var wrappedProfile = try files.readWrappedProfile()
        let wrapper = ConfigWrapper(gatehouse: files.gatehouse, profilePath: files.profilePath, dialect: options.host)
        let outcome = wrapper.unwrap(config: try files.readConfig(), servers: wrappedProfile["mcpServers"]?.objectValue ?? JSONObject())
        for entry in outcome.missing { Console.error("warning: \(entry) points at a wrapped server that is gone; left as it is") }
        wrappedProfile["mcpServers"] = .object(outcome.servers)
        try files.commit(outcome, wrappedProfile: wrappedProfile, dryRun: options.dryRun, verb: "restored")
    }
}

/// The options `wrap` and `unwrap` share.
struct WrapOptions: ParsableArguments {
    @Argument(help: "claude-desktop, claude-code, cursor, vscode, windsurf or gemini.")
    var host: HostDialect

    @Option(name: .customLong("config"), help: "Another file in that host's format (default: the host's own).")
    var config: String?

    @Flag(name: .customLong("dry-run"), help: "Print the change as a unified diff and write nothing.")
    var dryRun = false

    func files(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> WrapFiles {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? home + "/.config"
        return WrapFiles(
            configPath: config ?? host.defaultPath(environment: environment),
            profilePath: configHome + "/gatehouse/wrapped/\(host.rawValue).json",
            gatehouse: try WrapFiles.runningBinary()
        )
    }
}

extension HostDialect: ExpressibleByArgument {}
