import Foundation
import StrictJSON

/// Finds the MCP configurations of other hosts at their Linux locations (`audit --discover`).
public enum Discovery {
    /// A configuration file another host keeps, and which keys hold its servers.
    public struct Location: Sendable {
        public let host: String
        public let path: String
    }

    /// The locations checked, user-level then project-level (relative to `project`).
    public static func locations(home: String, project: String, configHome: String? = nil) -> [Location] {
        let config = configHome ?? home + "/.config"
        return [
            Location(host: "Claude Code", path: home + "/.claude.json"),
            Location(host: "Claude Code (project)", path: project + "/.mcp.json"),
            Location(host: "Cursor", path: home + "/.cursor/mcp.json"),
            Location(host: "Cursor (project)", path: project + "/.cursor/mcp.json"),
            Location(host: "VS Code", path: config + "/Code/User/mcp.json"),
            Location(host: "VS Code (project)", path: project + "/.vscode/mcp.json"),
            Location(host: "Windsurf", path: home + "/.codeium/windsurf/mcp_config.json"),
            Location(host: "Gemini CLI", path: home + "/.gemini/settings.json"),
            Location(host: "Gemini CLI (project)", path: project + "/.gemini/settings.json"),
            Location(host: "Claude Desktop", path: config + "/Claude/claude_desktop_config.json"),
        ]
    }

    /// Reads every existing location into one profile: each server keeps its source file; a name used by
    /// several files gets `@2`, `@3`… so none hides another; a file that cannot be read is a problem.
    public static func load(
        _ locations: [Location], environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Profile {
        var profile = Profile()
        for location in locations where FileManager.default.fileExists(atPath: location.path) {
            guard let data = FileManager.default.contents(atPath: location.path),
                let document = try? JSONParser(maximumDepth: 64, maximumBytes: 64 * 1024 * 1024).parse([UInt8](data)),
                case .object(let object) = document
            else {
                profile.problems.append(ProfileProblem(file: location.path, server: nil, field: nil, message: "is not a readable JSON object (\(location.host))"))
                continue
            }
            profile.files.append(location.path)
            let reader = EntryReader(file: location.path, environment: environment)
            for (_, servers) in serverMaps(in: object) {
                guard case .object(let entries) = servers else { continue }
                for (name, value) in entries {
                    do {
                        guard var entry = try reader.readServer(name: name, value) else { continue }
                        var unique = name
                        var counter = 2
                        while profile.server(named: unique) != nil {
                            unique = "\(name)@\(counter)"
                            counter += 1
                        }
                        entry.name = unique
                        profile.servers.append(entry)
                    } catch {
                        profile.problems.append(error)
                    }
                }
            }
        }
        profile.registries = [RegistryConfiguration.defaults(issuer: "https://aiidentity.org")]
        return profile
    }

    /// `mcpServers`, `servers`, VS Code settings' `mcp.servers`, and Claude Code's per-project `mcpServers`.
    static func serverMaps(in object: JSONObject) -> [(String, JSONValue)] {
        var maps: [(String, JSONValue)] = []
        for key in ["mcpServers", "servers"] { if let map = object[key] { maps.append((key, map)) } }
        if let map = object["mcp"]?["servers"] { maps.append(("mcp.servers", map)) }
        for (path, project) in object["projects"]?.objectValue ?? JSONObject() {
            if let map = project["mcpServers"] { maps.append(("projects.\(path).mcpServers", map)) }
        }
        return maps
    }
}
