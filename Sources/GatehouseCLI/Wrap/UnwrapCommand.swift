import ArgumentParser
import Foundation
import StrictJSON
import TerminalText

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
