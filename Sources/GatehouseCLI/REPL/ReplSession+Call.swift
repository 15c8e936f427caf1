import Foundation
import GatehouseHost
import MCPClient
import StrictJSON
import TerminalText
import TrustCore

extension ReplSession {
    func call(_ qualified: String, _ words: [String], raw: String) async {
        guard let (status, tool) = await lookup(qualified) else { return }
        let server = status.entry.name
        let base: JSONObject
        let pairs: [String]
        do {
            (base, pairs) = try ToolCallParts.arguments(words: words, raw: raw)
        } catch {
            Console.error("usage: \((error as? CLIError)?.message ?? "\(error)")")
            return
        }
        let schema = tool.definition["inputSchema"]
        var arguments: JSONObject
        do {
            arguments = try ToolArguments.build(schema: schema, pairs: pairs, base: base, checkRequired: ask == nil)
            // Interactive: ask for each missing required argument, converted by the schema like the others.
            for name in ToolArguments.missingRequired(schema: schema, arguments: arguments) {
                guard let ask, let answer = await ask("  \(field: name, limit: 80) (required): "), !answer.isEmpty else {
                    Console.error("usage: missing required argument: \(name)")
                    return
                }
                arguments = try ToolArguments.build(schema: schema, pairs: ["\(name)=\(answer)"], base: arguments, checkRequired: false)
            }
        } catch {
            Console.error("usage: \(error.message)")
            return
        }
        if case .quarantined = await host.target(server: server, tool: tool.name) {
            Console.error("\(tool.qualifiedName) is quarantined (\(tool.decision.note)); `allow \(server)` lifts it for this session")
            return
        }
        if status.verdict != .verified {
            Console.error("warning: \(server) is \(ReportRendering.badge(status, color: color)); calling anyway")
        }
        do {
            running.set(server)
            defer { running.set(nil) }
            let result = try await host.call(server: server, tool: tool.name, arguments: arguments) { params in
                let progress = params["progress"]?.numberValue?.doubleValue ?? 0
                let total = params["total"]?.numberValue?.doubleValue
                let message = params["message"]?.stringValue ?? ""
                let amount = total.map { "\(Int(progress))/\(Int($0))" } ?? "\(progress)"
                ProgressLine.show("… \(amount) \(field: message, limit: 100)")
            }
            ProgressLine.clear()
            Console.out(ContentRendering.text(result))
        } catch let error as MCPClientError {
            ProgressLine.clear()
            Console.error("error[\(error.code.rawValue)]: \(error.message)")
        } catch let error as HostError {
            ProgressLine.clear()
            Console.error("error[\(error.code.rawValue)]: \(error.message)")
        } catch {
            Console.error("error: \(error)")
        }
    }

    /// `resources`, `read URI`, `prompts`, `prompt NAME [K=V…]` over the loaded (or allowed) servers.
    func content(_ command: String, _ words: [String]) async {
        let usable = await host.servers.values.filter(\.loaded).sorted { $0.entry.name < $1.entry.name }
        for status in usable {
            guard status.handshake?.capabilities?[command.hasPrefix("prompt") ? "prompts" : "resources"] != nil else { continue }
            let server = status.entry.name
            do {
                switch command {
                case "resources":
                    for resource in try await host.content(.listResources, server: server)["resources"]?.arrayValue ?? [] {
                        Console.out("\(status.entry.name)  \(field: resource["uri"]?.stringValue ?? "", limit: 300)  \(field: resource["name"]?.stringValue ?? "")")
                    }
                case "prompts":
                    for prompt in try await host.content(.listPrompts, server: server)["prompts"]?.arrayValue ?? [] {
                        Console.out("\(status.entry.name).\(field: prompt["name"]?.stringValue ?? "")  \(field: prompt["description"]?.stringValue ?? "", limit: 200)")
                    }
                case "read":
                    guard let uri = words.first else { return Console.error("read URI") }
                    let listed = try await host.content(.listResources, server: server)["resources"]?.arrayValue ?? []
                    guard listed.contains(where: { $0["uri"]?.stringValue == uri }) else { continue }
                    let result = try await host.content(.readResource(uri: uri), server: server)
                    for item in result["contents"]?.arrayValue ?? [] {
                        if let text = item["text"]?.stringValue {
                            Console.out(TerminalText(multiline: text))
                        } else {
                            Console.out("[\(field: item["mimeType"]?.stringValue ?? "binary", limit: 80) content]")
                        }
                    }
                    return
                default:
                    guard let name = words.first else { return Console.error("prompt NAME [K=V…]") }
                    let bare = name.split(separator: ".").last.map(String.init) ?? name
                    guard name == bare || name.hasPrefix(status.entry.name + ".") else { continue }
                    let listed = try await host.content(.listPrompts, server: server)["prompts"]?.arrayValue ?? []
                    guard listed.contains(where: { $0["name"]?.stringValue == bare }) else { continue }
                    var arguments: [String: String] = [:]
                    for pair in words.dropFirst() {
                        let parts = pair.split(separator: "=", maxSplits: 1)
                        if parts.count == 2 { arguments[String(parts[0])] = String(parts[1]) }
                    }
                    let result = try await host.content(.getPrompt(name: bare, arguments: arguments), server: server)
                    for message in result["messages"]?.arrayValue ?? [] {
                        let text = message["content"]?["text"]?.stringValue ?? ""
                        Console.out("\(field: message["role"]?.stringValue ?? "?", limit: 20): \(multiline: text)")
                    }
                    return
                }
            } catch {
                Console.error("\(status.entry.name): \(error)")
            }
        }
        if command == "read" || command == "prompt" { Console.error("no loaded server offers \(words.first ?? "")") }
    }
}

/// Splits a REPL line into words; double or single quotes group words, a backslash escapes one character.
enum ReplTokenizer {
    static func split(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var escaped = false
        var inWord = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
                inWord = true
            } else if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character == " " || character == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }
}

/// Tab completion: commands, servers, `server.tool` names, argument names from the schema, enum values.
enum ReplCompletion {
    struct Words: Sendable {
        let commands: [String]
        let servers: [String]
        /// `server.tool` → its `inputSchema.properties`.
        let tools: [String: [String: JSONValue]]
    }

    static func candidates(prefix: String, word: String, words: Words) -> [String] {
        let before = ReplTokenizer.split(prefix)
        guard let first = before.first else { return words.commands + words.tools.keys.sorted() }
        let toolName = first == "call" || first == "describe" ? before.dropFirst().first : first
        if before.count == 1, first == "call" || first == "describe" { return words.tools.keys.sorted() }
        if before.count == 1, ["tools", "trust", "allow", "reconnect", "log"].contains(first) {
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

/// The progress line of a running call, on stderr, only when stderr is a terminal.
enum ProgressLine {
    static let enabled = isatty(STDERR_FILENO) == 1

    static func show(_ text: TerminalText) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\(text.string)\u{1B}[K".utf8))
    }

    static func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
