import ArgumentParser
import GatehouseHost
import MCPClient
import StrictJSON
import TerminalText
import TrustCore

extension ReplVerbs {
    /// `servers`: every server with its trust badge.
    struct Servers: ReplVerb {
        static let configuration = CommandConfiguration(abstract: "Every server with its trust badge.")

        func perform(with runner: CommandRunner, line: String) async -> CommandOutcome {
            let all = await runner.host.servers
            let allowed = await runner.host.allowed
            var lines: [TerminalText] = []
            for entry in runner.profile.servers {
                guard let status = all[entry.name] else {
                    lines.append("\(entry.name)  … connecting (up to \(Seconds.text(entry.timeouts.connect)) s)")
                    continue
                }
                var line = TrustRendering.badgeLine(status, color: runner.color)
                if allowed.contains(entry.name) { line += "  (allowed for this session)" }
                lines.append(line)
            }
            return CommandOutcome(text: lines.joined(separator: "\n"))
        }
    }

    /// `trust [SERVER]` (``TrustChecks``) and `trust accept SERVER [TOOL]` (``Accept``).
    struct Trust: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Trust checks, and accepting changes.", subcommands: [TrustChecks.self, Accept.self],
            defaultSubcommand: TrustChecks.self
        )
    }

    /// `trust [SERVER]`: the full check list of one server, or of all.
    struct TrustChecks: ReplVerb {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "The full check list of one server (or all).")

        @Argument var server: String?

        func perform(with runner: CommandRunner, line: String) async -> CommandOutcome {
            var lines: [TerminalText] = []
            for name in server.map({ [$0] }) ?? runner.profile.servers.map(\.name) {
                let status: ServerStatus
                switch await runner.connected(name) {
                case .success(let found): status = found
                case .failure(let refusal):
                    if server != nil { return CommandOutcome(refusal) }
                    runner.note(TerminalText(refusal.message))
                    continue
                }
                lines.append(TrustRendering.badgeLine(status, color: runner.color))
                lines.append("  \(status.policyNote)")
                for check in status.report?.checks ?? [] {
                    let result = check.result.rawValue.padding(toLength: 5)
                    lines.append("    \(result) \(check.name.rawValue.padding(toLength: 17)) \(check.detail)")
                }
                for warning in status.report?.warnings ?? [] {
                    lines.append("  warning \(warning.code.rawValue): \(warning.message)")
                }
            }
            return CommandOutcome(text: lines.joined(separator: "\n"))
        }
    }

    /// `tools [SERVER] [--all]`: loaded tools, and with `--all` quarantined ones too.
    struct Tools: ReplVerb {
        static let configuration = CommandConfiguration(abstract: "Loaded tools (--all: quarantined ones too).")

        @Argument var server: String?
        @Flag var all = false

        func perform(with runner: CommandRunner, line: String) async -> CommandOutcome {
            let statuses = await runner.host.servers
            var lines: [TerminalText] = []
            for entry in runner.profile.servers where server == nil || entry.name == server {
                guard let status = statuses[entry.name] else { continue }
                let badge = ReportRendering.badge(status, color: runner.color)
                for tool in status.tools where all || tool.loaded {
                    let state =
                        tool.decision.isSessionOverride
                        ? "  [allowed] " : (tool.loaded ? "" : "  [quarantined: \(tool.pinState.rawValue)] ")
                    let description =
                        (tool.definition["description"]?.stringValue ?? "").split(separator: "\n").first ?? ""
                    lines.append(
                        "\(badge)  \(field: tool.qualifiedName)\(state)  \(field: String(description), limit: 70)")
                }
            }
            return CommandOutcome(text: lines.joined(separator: "\n"))
        }
    }

    /// `describe SERVER.TOOL`: schema, annotations and pin, with invisible Unicode made visible.
    struct Describe: ReplVerb {
        static let configuration = CommandConfiguration(abstract: "Schema, annotations and pin of one tool.")

        @Argument var tool: String

        func perform(with runner: CommandRunner, line: String) async -> CommandOutcome {
            let (status, record): (ServerStatus, ToolRecord)
            switch await runner.lookup(tool) {
            case .success(let found): (status, record) = found
            case .failure(let refusal): return CommandOutcome(refusal)
            }
            let badge = ReportRendering.badge(status, color: runner.color)
            var lines: [TerminalText] = [
                "\(field: record.qualifiedName)  \(badge)  pin \(record.pin) (\(record.pinState.rawValue))"
            ]
            lines.append(TerminalText(multiline: record.definition["description"]?.stringValue ?? "(no description)"))
            if let schema = record.definition["inputSchema"] {
                lines.append("inputSchema: \(multiline: JSONSerializer.string(schema, style: .pretty))")
            }
            if let annotations = record.definition["annotations"] {
                lines.append("annotations (untrusted hints): \(JSONSerializer.string(annotations))")
            }
            for change in record.diff { lines.append("changed since pinned: \(change)") }
            return CommandOutcome(text: lines.joined(separator: "\n"))
        }
    }

    /// `log [SERVER]`: stderr, skipped lines and `notifications/message`.
    struct Log: ReplVerb {
        static let configuration = CommandConfiguration(abstract: "A server's stderr and log messages.")

        @Argument var server: String?

        func perform(with runner: CommandRunner, line: String) async -> CommandOutcome {
            var lines: [TerminalText] = []
            for entry in runner.profile.servers where server == nil || entry.name == server {
                guard await runner.host.servers[entry.name] != nil else { continue }
                lines.append("== \(entry.name)")
                guard let log = await runner.host.log(of: entry.name) else { continue }
                if let stderr = log.stderr { lines.append(TerminalText(multiline: String(stderr.suffix(4000)))) }
                for skipped in log.skipped { lines.append("skipped: \(skipped)") }
                for message in log.messages { lines.append("log: \(message)") }
            }
            return CommandOutcome(text: lines.joined(separator: "\n"))
        }
    }
}
