import Foundation
import GatehouseHost
import MCPClient
import StrictJSON
import TerminalText
import TrustCore

/// What one scenario command produced. Its text is what `gatehouse run` prints, so it is terminal text
/// (a server's error message in it is sanitized on one line); `expect text contains` reads it.
struct CommandOutcome {
    var status: Int32 = 0
    var code: CLIError.Code?
    var text: TerminalText = ""
    var json: JSONValue?

    init(status: Int32 = 0, code: CLIError.Code? = nil, text: TerminalText = "", json: JSONValue? = nil) {
        self.status = status
        self.code = code
        self.text = text
        self.json = json
    }

    /// A refused command, as `gatehouse call` would have exited.
    init(_ error: CLIError) {
        self.init(status: error.exitCode, code: error.code, text: TerminalText(error.message))
    }
}

/// Runs scenario commands over one host (one connection per server).
struct ScenarioRunner {
    let host: HostSession

    func run(_ line: String) async -> CommandOutcome {
        let words = ReplTokenizer.split(line)
        guard let command = words.first else { return CommandOutcome() }
        switch command {
        case "call": return await call(words.dropFirst().first ?? "", Array(words.dropFirst(2)), raw: line)
        case "allow":
            guard await host.allow(words.dropFirst().first ?? "") != nil else {
                return CommandOutcome(status: ExitStatus.usage, code: .usageInvalid, text: "no such server")
            }
            return CommandOutcome(text: "allowed \(words[1]) for this run")
        case "servers", "tools", "trust":
            let servers = await host.servers.values.sorted { $0.entry.name < $1.entry.name }
            let wanted = words.dropFirst().first
            let lines = servers.filter { wanted == nil || $0.entry.name == wanted }.map { status in
                let tools = command == "tools" ? status.tools.filter(\.loaded).map { "  \(field: $0.qualifiedName)" as TerminalText } : []
                return ([TrustRendering.badgeLine(status, color: false)] + tools).joined(separator: "\n")
            }
            return CommandOutcome(text: lines.joined(separator: "\n"))
        case "reconnect":
            _ = await host.reconnect(words.count > 1 ? Array(words.dropFirst()) : nil)
            return CommandOutcome(text: "reconnected")
        default:
            guard command.contains(".") else {
                return CommandOutcome(status: ExitStatus.usage, code: .usageInvalid, text: "unknown command \(command)")
            }
            return await call(command, Array(words.dropFirst()), raw: line)
        }
    }

    /// A call with `gatehouse call`'s exit codes: 1 quarantined, 2 unknown or bad arguments, 3 connection, 4 tool error.
    private func call(_ qualified: String, _ words: [String], raw: String) async -> CommandOutcome {
        guard let dot = qualified.firstIndex(of: ".") else {
            return CommandOutcome(status: ExitStatus.usage, code: .usageInvalid, text: "name a tool as SERVER.TOOL")
        }
        let server = String(qualified[..<dot])
        let tool = String(qualified[qualified.index(after: dot)...])
        let target = await host.target(server: server, tool: tool)
        if let refusal = ToolCallParts.refusal(target, server: server, tool: tool) { return CommandOutcome(refusal) }
        guard case .callable(_, let record) = target else { return CommandOutcome(status: ExitStatus.usage, code: .usageInvalid) }
        let base: JSONObject
        let pairs: [String]
        do {
            (base, pairs) = try ToolCallParts.arguments(words: words, raw: raw)
        } catch let error as CLIError {
            return CommandOutcome(error)
        } catch {
            return CommandOutcome(status: ExitStatus.usage, code: .usageInvalid, text: "\(error)")
        }
        let arguments: JSONObject
        do {
            arguments = try ToolArguments.build(schema: record.definition["inputSchema"], pairs: pairs, base: base)
        } catch {
            return CommandOutcome(status: ExitStatus.usage, code: .usageInvalid, text: TerminalText(error.message))
        }
        do {
            let result = try await host.call(server: server, tool: tool, arguments: arguments)
            let failed = result["isError"] == true
            return CommandOutcome(
                status: failed ? ExitStatus.toolError : ExitStatus.success, code: failed ? .toolError : nil,
                text: ContentRendering.text(result), json: result
            )
        } catch let error as MCPClientError {
            return CommandOutcome(status: ToolCallParts.exitStatus(for: error), code: CLIError.Code(error.code), text: TerminalText(error.message))
        } catch let error as HostError {
            return CommandOutcome(status: ExitStatus.trustFailure, code: CLIError.Code(error.code), text: TerminalText(error.message))
        } catch {
            return CommandOutcome(status: ExitStatus.trustFailure, code: CLIError.Code(HostError.Code.toolQuarantined), text: "\(error)")
        }
    }

    /// Checks one expectation against the last outcome; nil when it holds, else why not.
    func check(_ expectation: Scenario.Expectation, after outcome: CommandOutcome?) async -> String? {
        let last = outcome ?? CommandOutcome()
        switch expectation {
        case .ok:
            return last.status == 0 ? nil : "expected ok, got exit \(last.status) (\(last.code?.rawValue ?? "no code")): \(last.text.string.prefix(200))"
        case .error(let code):
            guard last.status != 0 else { return "expected an error, the command succeeded" }
            if let code, last.code?.rawValue != code { return "expected error \(code), got \(last.code?.rawValue ?? "no code")" }
            return nil
        case .exit(let status):
            return last.status == status ? nil : "expected exit \(status), got \(last.status) (\(last.code?.rawValue ?? "no code"))"
        case .trust(let server, let verdict):
            guard let status = await host.servers[server] else { return "no server \(server)" }
            return status.verdict.rawValue == verdict ? nil : "expected \(server) \(verdict), got \(status.verdict.rawValue)"
        case .textContains(let needle):
            return last.text.string.contains(needle) ? nil : "the output does not contain \"\(needle)\": \(last.text.string.prefix(200))"
        case .json(let path, let value):
            let found = JSONPath.evaluate(path, in: last.json)
            return found == value ? nil : "expected \(JSONSerializer.string(value)), got \(found.map { JSONSerializer.string($0) } ?? "nothing")"
        case .toolsInclude(let server, let tool):
            guard let status = await host.servers[server] else { return "no server \(server)" }
            return status.tools.contains { $0.name == tool && $0.loaded } ? nil : "\(server) has no loaded tool \(tool)"
        }
    }
}
