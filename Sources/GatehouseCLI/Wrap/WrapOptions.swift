import ArgumentParser
import Foundation
import StrictJSON
import TerminalText

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
