import ArgumentParser
import Foundation
import GatehouseHost
import MCPClient
import StrictJSON
import TerminalText

/// `--profile` (repeatable) and the SPEC §3 search for a default profile.
struct ProfileOptions: ParsableArguments {
    @Option(name: .customLong("profile"), help: "A profile file (repeatable; later files override earlier ones).")
    var profiles: [String] = []

    /// The files to read: `--profile`s, else `$GATEHOUSE_PROFILE`, else `./gatehouse.json`, else
    /// `$XDG_CONFIG_HOME/gatehouse/profile.json`.
    func paths(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [String] {
        if !profiles.isEmpty { return profiles }
        if let path = Self.defaultPath(environment: environment) { return [path] }
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
        let path = config + "/gatehouse/profile.json"
        throw CLIError(
            code: .profileInvalid,
            message: "no profile: give --profile FILE, set GATEHOUSE_PROFILE, or create ./gatehouse.json or \(path). "
                + "To start, try `make demo` (Profiles/demo.json) or `gatehouse audit --discover`.",
            exitCode: ExitStatus.usage
        )
    }

    /// The default profile when no `--profile` is given, if there is one.
    static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let path = environment["GATEHOUSE_PROFILE"], !path.isEmpty { return path }
        if FileManager.default.fileExists(atPath: "gatehouse.json") { return "gatehouse.json" }
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
        let path = config + "/gatehouse/profile.json"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// Loads the profiles; prints each skipped entry's problem on stderr.
    func load() throws -> Profile {
        let profile: Profile
        do {
            profile = try ProfileLoader.load(try paths())
        } catch let problem as ProfileProblem {
            throw CLIError(code: .profileInvalid, message: problem.description, exitCode: ExitStatus.usage)
        }
        for problem in profile.problems {
            Console.error("warning[\(CLIError.Code.profileInvalid)]: \(problem.description) (entry skipped)")
        }
        return profile
    }
}
