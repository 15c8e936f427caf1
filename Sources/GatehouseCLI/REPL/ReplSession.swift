import Foundation
import GatehouseHost
import MCPClient
import StrictJSON
import TerminalText
import TrustCore

/// The REPL's commands over one host (SPEC §5).
actor ReplSession {
    let host: HostSession
    let color: Bool
    let profile: Profile
    /// The server being called (questions from it are accepted meanwhile).
    let running: RunningCall
    /// Asks the user one question (interactive sessions only).
    let ask: (@Sendable (TerminalText) async -> String?)?

    init(host: HostSession, color: Bool, profile: Profile, running: RunningCall, ask: (@Sendable (TerminalText) async -> String?)?) {
        self.host = host
        self.color = color
        self.profile = profile
        self.running = running
        self.ask = ask
    }

    static let commands = [
        "help", "servers", "trust", "tools", "describe", "call", "resources", "read", "prompts", "prompt", "allow",
        "reconnect", "log", "quit",
    ]

    /// Command names, server names, `server.tool` names and argument names, for completion.
    func completionWords() async -> ReplCompletion.Words {
        let servers = await host.servers
        var tools: [String: [String: JSONValue]] = [:]
        for (name, status) in servers {
            for tool in status.tools {
                tools[name + "." + tool.name] = tool.definition["inputSchema"]?["properties"]?.objectValue.map { object in
                    Dictionary(uniqueKeysWithValues: object.map { ($0.key, $0.value) })
                } ?? [:]
            }
        }
        return ReplCompletion.Words(commands: Self.commands, servers: servers.keys.sorted(), tools: tools)
    }

    func execute(_ line: String) async {
        let words = ReplTokenizer.split(line)
        guard let command = words.first else { return }
        let rest = Array(words.dropFirst())
        switch command {
        case "help": Console.out(TerminalText(multiline: Self.help))
        case "servers": await servers()
        case "trust":
            if rest.first == "accept" { await accept(Array(rest.dropFirst())) } else { await trust(rest.first) }
        case "tools": await tools(server: rest.first { !$0.hasPrefix("--") }, all: rest.contains("--all"))
        case "describe": await describe(rest.first ?? "")
        case "call": await call(rest.first ?? "", Array(rest.dropFirst()), raw: line)
        case "allow": await allow(rest.first ?? "")
        case "reconnect":
            for status in await host.reconnect(rest.isEmpty ? nil : rest) { Console.out(TrustRendering.badgeLine(status, color: color)) }
        case "log": await log(rest.first)
        case "resources", "read", "prompts", "prompt": await content(command, rest)
        default:
            if command.contains(".") { await call(command, rest, raw: line) } else {
                Console.error("unknown command \"\(command)\"; type help")
            }
        }
    }

    static let help = """
        servers                      every server with its trust badge
        trust [SERVER]               the full check list of one server (or all)
        tools [SERVER] [--all]       loaded tools (--all: quarantined ones too)
        describe SERVER.TOOL         schema, annotations and pin, invisible Unicode made visible
        call SERVER.TOOL [K=V…|JSON] call a tool (also: SERVER.TOOL …); Ctrl-C cancels it
        resources | read URI | prompts | prompt NAME [K=V…]
        allow SERVER                 lift a quarantine for this session (says what it overrides)
        trust accept SERVER [TOOL]   accept a changed identity or tool into the trust store
        reconnect [SERVER] | log [SERVER] | quit
        """

    private func status(_ name: String) async -> ServerStatus? {
        guard let status = await host.servers[name] else {
            if profile.servers.contains(where: { $0.name == name }) {
                Console.error("\(name) is still connecting (its connect timeout is \(seconds(of: name)) s)")
            } else {
                Console.error("no server named \"\(name)\"")
            }
            return nil
        }
        return status
    }

    private func seconds(of name: String) -> String {
        Seconds.text(profile.servers.first { $0.name == name }?.timeouts.connect ?? 0)
    }

    private func servers() async {
        let all = await host.servers
        for entry in profile.servers {
            guard let status = all[entry.name] else {
                Console.out("\(entry.name)  … connecting (up to \(seconds(of: entry.name)) s)")
                continue
            }
            var line = TrustRendering.badgeLine(status, color: color)
            if await host.allowed.contains(entry.name) { line += "  (allowed for this session)" }
            Console.out(line)
        }
    }

    private func trust(_ name: String?) async {
        let targets = name.map { [$0] } ?? profile.servers.map(\.name)
        for target in targets {
            guard let status = await status(target) else { continue }
            Console.out(TrustRendering.badgeLine(status, color: color))
            Console.out("  \(status.policyNote)")
            for check in (status.report?.checks ?? []) {
                Console.out("    \(check.result.rawValue.padding(toLength: 5)) \(check.name.rawValue.padding(toLength: 17)) \(check.detail)")
            }
            for warning in (status.report?.warnings ?? []) { Console.out("  warning \(warning.code.rawValue): \(warning.message)") }
        }
    }

    private func tools(server: String?, all: Bool) async {
        let statuses = await host.servers
        for entry in profile.servers where server == nil || entry.name == server {
            guard let status = statuses[entry.name] else { continue }
            for tool in status.tools where all || tool.loaded {
                let state = tool.decision.isSessionOverride ? "  [allowed] " : (tool.loaded ? "" : "  [quarantined: \(tool.pinState.rawValue)] ")
                let description = (tool.definition["description"]?.stringValue ?? "").split(separator: "\n").first ?? ""
                let badge = ReportRendering.badge(status, color: color)
                Console.out("\(badge)  \(field: tool.qualifiedName)\(state)  \(field: String(description), limit: 70)")
            }
        }
    }

    private func describe(_ qualified: String) async {
        guard let (status, tool) = await lookup(qualified) else { return }
        let badge = ReportRendering.badge(status, color: color)
        Console.out("\(field: tool.qualifiedName)  \(badge)  pin \(tool.pin) (\(tool.pinState.rawValue))")
        Console.out(TerminalText(multiline: tool.definition["description"]?.stringValue ?? "(no description)"))
        if let schema = tool.definition["inputSchema"] {
            Console.out("inputSchema: \(multiline: JSONSerializer.string(schema, style: .pretty))")
        }
        if let annotations = tool.definition["annotations"] {
            Console.out("annotations (untrusted hints): \(JSONSerializer.string(annotations))")
        }
        for change in tool.diff { Console.out("changed since pinned: \(change)") }
    }

    func lookup(_ qualified: String) async -> (ServerStatus, ToolRecord)? {
        guard let dot = qualified.firstIndex(of: ".") else {
            Console.error("name a tool as SERVER.TOOL")
            return nil
        }
        guard let status = await status(String(qualified[..<dot])) else { return nil }
        guard let tool = status.tool(named: String(qualified[qualified.index(after: dot)...])) else {
            Console.error("\(status.entry.name) has no tool \"\(qualified[qualified.index(after: dot)...])\"")
            return nil
        }
        return (status, tool)
    }

    private func allow(_ name: String) async {
        guard let status = await host.allow(name) else {
            Console.error("no server named \"\(name)\"")
            return
        }
        let quarantined = status.tools.filter { !$0.loaded }
        Console.out("allowing \(name) for this session only, overriding: \(ReportRendering.badge(status, color: color)); \(status.policyNote)")
        for reason in status.reasons { Console.out("  \(reason.code.rawValue): \(reason.message)") }
        Console.out("  \(quarantined.count) quarantined tool(s) become callable; the trust store is not changed")
    }

    private func accept(_ words: [String]) async {
        guard let name = words.first else {
            Console.error("trust accept SERVER [TOOL]")
            return
        }
        let accepted = await host.accept(server: name, tool: words.dropFirst().first)
        do {
            try await host.saveTrustStore()
        } catch {
            Console.error("warning[\(CLIError.Code.trustStoreWrite)]: \(error)")
        }
        if accepted.isEmpty { Console.out("nothing to accept for \(name)") }
        for line in accepted { Console.out("accepted \(name): \(line)") }
        if !accepted.isEmpty { Console.out("reconnect \(name) to load what was accepted") }
    }

    private func log(_ name: String?) async {
        for entry in profile.servers where name == nil || entry.name == name {
            guard let status = await host.servers[entry.name] else { continue }
            Console.out("== \(entry.name)")
            guard let log = await host.log(of: status.entry.name) else { continue }
            if let stderr = log.stderr { Console.out(TerminalText(multiline: String(stderr.suffix(4000)))) }
            for line in log.skipped { Console.out("skipped: \(line)") }
            for line in log.messages { Console.out("log: \(line)") }
        }
    }
}
