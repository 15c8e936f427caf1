import Foundation
import MCPClient
import StrictJSON
import TrustCore

/// Reads profiles: the Gatehouse format, a superset of the `mcpServers` files of Claude Desktop, Claude Code
/// and Cursor, the VS Code `servers` key, and the `url`/`serverUrl`/`httpUrl`/`type` variants (SPEC §3).
///
/// Several files merge in order: a later file's servers replace earlier ones of the same name, its
/// registries replace earlier ones with the same issuer, and its `trust` members override earlier ones. A
/// file that cannot be read or is not a JSON object, or whose global `trust` or `registries` is invalid, is
/// fatal (the policy cannot be guessed); a bad server entry is reported and skipped.
public enum ProfileLoader {
    /// Loads and merges `paths`.
    /// - Throws: ``ProfileProblem`` for a fatal problem.
    public static func load(
        _ paths: [String], environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ProfileProblem) -> Profile {
        var profile = Profile()
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ProfileProblem(file: path, server: nil, field: nil, message: "cannot be read")
            }
            try merge([UInt8](data), file: path, environment: environment, into: &profile)
        }
        if profile.registries.isEmpty { profile.registries = [RegistryConfiguration.defaults(issuer: "https://aiidentity.org")] }
        return profile
    }

    /// Reads one profile document (the contents of `file`) into `profile`, later members winning.
    /// - Throws: ``ProfileProblem`` for a fatal problem; a bad server entry is recorded and skipped.
    public static func merge(
        _ bytes: [UInt8], file: String, environment: [String: String], into profile: inout Profile
    ) throws(ProfileProblem) {
        let document: JSONValue
        do {
            document = try JSONParser(maximumDepth: 64, maximumBytes: 8 * 1024 * 1024).parse(bytes)
        } catch {
            throw ProfileProblem(file: file, server: nil, field: nil, message: "is not valid JSON: \(error.description)")
        }
        guard case .object(let object) = document else {
            throw ProfileProblem(file: file, server: nil, field: nil, message: "is not a JSON object")
        }
        var reader = EntryReader(file: file, environment: environment)
        try reader.merge(object, into: &profile)
        profile.files.append(file)
    }
}

/// Reads one file's members.
struct EntryReader {
    let file: String
    let environment: [String: String]

    func problem(_ server: String?, _ field: String?, _ message: String) -> ProfileProblem {
        ProfileProblem(file: file, server: server, field: field, message: message)
    }

    mutating func merge(_ object: JSONObject, into profile: inout Profile) throws(ProfileProblem) {
        if let registries = object["registries"] {
            for registry in try readRegistries(registries) {
                profile.registries.removeAll { IssuerName.same($0.issuer, registry.issuer) }
                profile.registries.append(registry)
            }
        }
        if let trust = object["trust"] { try readTrust(trust, into: &profile.trust) }
        for key in ["mcpServers", "servers"] {
            guard let servers = object[key] else { continue }
            guard case .object(let entries) = servers else {
                profile.problems.append(problem(nil, key, "is not an object of servers"))
                continue
            }
            for (name, value) in entries {
                do {
                    guard let entry = try readServer(name: name, value) else { continue }
                    if let index = profile.servers.firstIndex(where: { $0.name == name }) {
                        profile.servers[index] = entry
                    } else {
                        profile.servers.append(entry)
                    }
                } catch {
                    profile.problems.append(error)
                }
            }
        }
    }

    func expand(_ text: String, server: String?, field: String) throws(ProfileProblem) -> String {
        do {
            return try VariableExpansion.expand(text, environment: environment)
        } catch {
            throw problem(server, field, error.message)
        }
    }

    func readRegistries(_ value: JSONValue) throws(ProfileProblem) -> [RegistryConfiguration] {
        guard case .array(let entries) = value else { throw problem(nil, "registries", "is not an array") }
        var registries: [RegistryConfiguration] = []
        for (index, entry) in entries.enumerated() {
            let field = "registries[\(index)]"
            guard case .object(let object) = entry, let issuer = object["issuer"]?.stringValue,
                issuer.lowercased().hasPrefix("https://") || issuer.lowercased().hasPrefix("http://")
            else { throw problem(nil, field + ".issuer", "an http(s) issuer URL is required") }
            var registry = RegistryConfiguration.defaults(issuer: issuer)
            for key in object.keys where !["issuer", "jwks", "revocations", "identities", "verify", "name"].contains(key) {
                throw problem(nil, "\(field).\(key)", "is not a registry setting")
            }
            func location(_ key: String) throws(ProfileProblem) -> ResourceLocation? {
                guard let value = object[key] else { return nil }
                guard case .string(let text) = value else { throw problem(nil, "\(field).\(key)", "is not a string") }
                let expanded = try expand(text, server: nil, field: "\(field).\(key)")
                switch ResourceLocation.parse(resolve(expanded)) {
                case .success(let location): return location
                case .failure(let error): throw problem(nil, "\(field).\(key)", error.message)
                }
            }
            if let jwks = try location("jwks") { registry.jwks = jwks }
            if let revocations = try location("revocations") { registry.revocations = revocations }
            if let identities = try location("identities") { registry.identities = identities }
            if let verify = try location("verify") { registry.verify = verify }
            registries.append(registry)
        }
        return registries
    }

    /// A relative file path is taken from the current directory when it exists there, else from the
    /// profile's own directory (so a profile works from the repository root and from its folder).
    func resolve(_ location: String) -> String {
        guard !location.contains("://"), !location.hasPrefix("/") else { return location }
        if FileManager.default.fileExists(atPath: location) { return location }
        let directory = (file as NSString).deletingLastPathComponent
        return directory.isEmpty ? location : directory + "/" + location
    }
}
