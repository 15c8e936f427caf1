import ArgumentParser
import GatehouseHost
import StrictJSON
import TerminalText

extension ReplVerbs {
    /// `resources`: every loaded server's resources.
    struct Resources: ReplVerb {
        static let configuration = CommandConfiguration(abstract: "The loaded servers' resources.")

        func perform(with runner: CommandRunner, line: String) async -> CommandOutcome {
            await runner.listEach("resources", .listResources) { status, resource in
                "\(status.entry.name)  \(field: resource["uri"]?.stringValue ?? "", limit: 300)  \(field: resource["name"]?.stringValue ?? "")"
            }
        }
    }

    /// `prompts`: every loaded server's prompts.
    struct Prompts: ReplVerb {
        static let configuration = CommandConfiguration(abstract: "The loaded servers' prompts.")

        func perform(with runner: CommandRunner, line: String) async -> CommandOutcome {
            await runner.listEach("prompts", .listPrompts) { status, prompt in
                "\(status.entry.name).\(field: prompt["name"]?.stringValue ?? "")  \(field: prompt["description"]?.stringValue ?? "", limit: 200)"
            }
        }
    }

    /// `read URI`: one resource, from the loaded server that lists it.
    struct Read: ReplVerb {
        static let configuration = CommandConfiguration(abstract: "Read one resource.")

        @Argument var uri: String

        func perform(with runner: CommandRunner, line: String) async -> CommandOutcome {
            await runner.firstContentServer(offering: "resources", for: uri) { status in
                let server = status.entry.name
                let listed =
                    try await runner.host.content(.listResources, server: server)["resources"]?.arrayValue ?? []
                guard listed.contains(where: { $0["uri"]?.stringValue == uri }) else { return nil }
                let result = try await runner.host.content(.readResource(uri: uri), server: server)
                return (result["contents"]?.arrayValue ?? []).map { item in
                    guard let text = item["text"]?.stringValue else {
                        return "[\(field: item["mimeType"]?.stringValue ?? "binary", limit: 80) content]"
                    }
                    return TerminalText(multiline: text)
                }
            }
        }
    }

    /// `prompt NAME [KEY=VALUE…]`: one prompt (NAME or SERVER.NAME), from the loaded server that lists it.
    struct Prompt: ReplVerb {
        static let configuration = CommandConfiguration(abstract: "Get one prompt.")

        @Argument var name: String
        @Argument(parsing: .captureForPassthrough) var arguments: [String] = []

        func perform(with runner: CommandRunner, line: String) async -> CommandOutcome {
            let bare = name.split(separator: ".").last.map(String.init) ?? name
            var values: [String: String] = [:]
            for pair in arguments {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
            }
            return await runner.firstContentServer(offering: "prompts", for: name) { status in
                let server = status.entry.name
                guard name == bare || name.hasPrefix(server + ".") else { return nil }
                let listed = try await runner.host.content(.listPrompts, server: server)["prompts"]?.arrayValue ?? []
                guard listed.contains(where: { $0["name"]?.stringValue == bare }) else { return nil }
                let result = try await runner.host.content(.getPrompt(name: bare, arguments: values), server: server)
                return (result["messages"]?.arrayValue ?? []).map { message in
                    let text = message["content"]?["text"]?.stringValue ?? ""
                    return "\(field: message["role"]?.stringValue ?? "?", limit: 20): \(multiline: text)"
                }
            }
        }
    }
}
