import GatehouseHost
import StrictJSON

/// Tab completion: commands, servers, `server.tool` names, argument names from the schema, enum values.
enum ReplCompletion {
    struct Words: Sendable {
        let commands: [String]
        let servers: [String]
        /// `server.tool` → its `inputSchema.properties`.
        let tools: [String: [String: JSONValue]]
    }

    /// Command names, server names, `server.tool` names and argument names of what `host` has connected.
    static func words(of host: HostSession) async -> Words {
        let servers = await host.servers
        var tools: [String: [String: JSONValue]] = [:]
        for (name, status) in servers {
            for tool in status.tools {
                tools[name + "." + tool.name] =
                    tool.definition["inputSchema"]?["properties"]?.objectValue.map { object in
                        Dictionary(uniqueKeysWithValues: object.map { ($0.key, $0.value) })
                    } ?? [:]
            }
        }
        return Words(commands: commands, servers: servers.keys.sorted(), tools: tools)
    }

    /// The verbs completion offers (`exit` is `quit` written another way).
    static let commands = ReplVerbs.names.filter { $0 != "exit" }

    static func candidates(prefix: String, word: String, words: Words) -> [String] {
        let before = ReplTokenizer.split(prefix)
        guard let first = before.first else { return words.commands + words.tools.keys.sorted() }
        let toolName = first == "call" || first == "describe" ? before.dropFirst().first : first
        if before.count == 1, first == "call" || first == "describe" { return words.tools.keys.sorted() }
        if before.count == 1, ["tools", "trust", "allow", "reconnect", "login", "log"].contains(first) {
            return words.servers + (first == "trust" ? ["accept"] : [])
        }
        if let toolName, let properties = words.tools[toolName] {
            if let equals = word.firstIndex(of: "=") {
                let name = String(word[..<equals])
                let values = properties[name]?["enum"]?.arrayValue?.compactMap(\.stringValue) ?? []
                return values.map { name + "=" + $0 }
            }
            return properties.keys.sorted().map { $0 + "=" }
        }
        return []
    }
}
