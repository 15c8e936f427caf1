import Foundation
import GatehouseHost
import StrictJSON
import TerminalText

/// The files of `wrap` and `unwrap`: the host's configuration (read as JSONC, backed up byte for byte,
/// replaced atomically with its mode kept) and the wrapped profile.
struct WrapFiles {
    let configPath: String
    let profilePath: String
    /// The absolute path of the running `gatehouse`.
    let gatehouse: String

    static func runningBinary() throws -> String {
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            throw CLIError(code: .usageInvalid, message: "cannot tell where the gatehouse binary is", exitCode: ExitStatus.usage)
        }
        return path
    }

    /// The host's configuration; a file that is not JSON (comments and trailing commas allowed) is a
    /// usage error and is left untouched.
    func readConfig() throws -> JSONObject {
        guard let data = FileManager.default.contents(atPath: configPath) else {
            throw CLIError(code: .usageInvalid, message: "\(configPath) does not exist or cannot be read", exitCode: ExitStatus.usage)
        }
        do {
            guard case .object(let object) = try JSONParser(maximumDepth: 64).parse(JSONCText.strict([UInt8](data))) else {
                throw CLIError(code: .usageInvalid, message: "\(configPath) is not a JSON object; it was left untouched", exitCode: ExitStatus.usage)
            }
            return object
        } catch let error as JSONParseError {
            throw CLIError(code: .usageInvalid, message: "\(configPath) is not valid JSON (\(error)); it was left untouched", exitCode: ExitStatus.usage)
        }
    }

    func readWrappedProfile() throws -> JSONObject {
        guard let data = FileManager.default.contents(atPath: profilePath) else { return JSONObject() }
        guard case .object(let object)? = try? JSONParser().parse([UInt8](data)) else {
            throw CLIError(code: .profileInvalid, message: "\(profilePath) is not a JSON object; it was left untouched", exitCode: ExitStatus.usage)
        }
        return object
    }

    /// `registries` and `trust` of a profile, file paths in them made absolute (the wrapped profile lives
    /// elsewhere).
    static func settings(fromProfile path: String?) throws -> JSONObject? {
        guard let path, let data = FileManager.default.contents(atPath: path),
            case .object(let profile)? = try? JSONParser().parse(JSONCText.strict([UInt8](data)))
        else { return nil }
        let directory = (URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()).path
        var settings = JSONObject()
        if let trust = profile["trust"] { settings["trust"] = trust }
        if case .array(let registries)? = profile["registries"] {
            settings["registries"] = .array(registries.map { registry in
                guard case .object(var object) = registry else { return registry }
                for key in ["jwks", "revocations"] {
                    if let value = object[key]?.stringValue, !value.contains("://"), !value.hasPrefix("/") {
                        object[key] = .string(directory + "/" + value)
                    }
                }
                return .object(object)
            })
        }
        return settings
    }

    /// Writes both files (or, with `dryRun`, prints the diff); says what changed on stderr.
    func commit(_ outcome: ConfigWrapper.Outcome, wrappedProfile: JSONObject, dryRun: Bool, verb: String) throws {
        let before = String(decoding: FileManager.default.contents(atPath: configPath) ?? Data(), as: UTF8.self)
        let after = JSONSerializer.string(.object(outcome.config), style: .pretty) + "\n"
        guard !outcome.changed.isEmpty else {
            Console.error("nothing to change in \(configPath)")
            return
        }
        if dryRun {
            Console.out(TerminalText(multiline: UnifiedDiff.text(before, after, from: configPath, to: configPath + " (\(verb))")))
            return
        }
        let backup = try AtomicFile.copy(configPath, to: configPath + ".gatehouse-backup-" + StateFile.stamp())
        try AtomicFile.write(Data(after.utf8), to: configPath, modeOf: configPath)
        try FileManager.default.createDirectory(
            atPath: (profilePath as NSString).deletingLastPathComponent, withIntermediateDirectories: true
        )
        let profileText = JSONSerializer.string(.object(wrappedProfile), style: .pretty) + "\n"
        try AtomicFile.write(Data(profileText.utf8), to: profilePath, modeOf: nil)
        for entry in outcome.changed { Console.error("\(verb) \(entry)") }
        Console.error("\(configPath): \(outcome.changed.count) entr\(outcome.changed.count == 1 ? "y" : "ies") \(verb); backup \(backup)")
    }
}
