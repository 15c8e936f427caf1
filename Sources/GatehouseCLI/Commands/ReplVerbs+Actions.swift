import ArgumentParser
import GatehouseHost
import StrictJSON
import TerminalText
import TrustCore

extension ReplVerbs {
    /// `help`: the verbs.
    struct Help: ReplVerb {
        static let configuration = CommandConfiguration(abstract: "The commands.")

        func perform(with runner: CommandRunner, line: String) async -> CommandOutcome {
            CommandOutcome(text: TerminalText(multiline: ReplVerbs.help))
        }
    }

    /// `call SERVER.TOOL [KEY=VALUE…|JSON]`, also written `SERVER.TOOL …`.
    struct Call: ReplVerb {
        static let configuration = CommandConfiguration(abstract: "Call a tool; Ctrl-C cancels it.")

        @Argument var tool: String
        @Argument(parsing: .captureForPassthrough) var arguments: [String] = []

        func perform(with runner: CommandRunner, line: String) async -> CommandOutcome {
            guard case .success(let (server, name)) = runner.qualified(tool) else {
                return CommandOutcome(.usage("name a tool as SERVER.TOOL"))
            }
            let base: JSONObject
            let pairs: [String]
            do {
                (base, pairs) = try ToolCallParts.arguments(words: arguments, raw: line)
            } catch {
                return CommandOutcome(error as? CLIError ?? .usage("\(error)"))
            }
            return await runner.call(server: server, tool: name, base: base, pairs: pairs)
        }
    }

    /// `allow SERVER`: lifts a quarantine for the session, saying what it overrides.
    struct Allow: ReplVerb {
        static let configuration = CommandConfiguration(abstract: "Lift a quarantine for this session.")

        @Argument var server: String

        func perform(with runner: CommandRunner, line: String) async -> CommandOutcome {
            guard let status = await runner.host.allow(server) else {
                return CommandOutcome(.usage("no server named \"\(server)\""))
            }
            let quarantined = status.tools.filter { !$0.loaded }
            let badge = ReportRendering.badge(status, color: runner.color)
            var lines: [TerminalText] = [
                "allowing \(server) for this session only, overriding: \(badge); \(status.policyNote)"
            ]
            for reason in status.reasons { lines.append("  \(reason.code.rawValue): \(reason.message)") }
            lines.append("  \(quarantined.count) quarantined tool(s) become callable; the trust store is not changed")
            return CommandOutcome(text: lines.joined(separator: "\n"))
        }
    }

    /// `trust accept SERVER [TOOL]`: a changed identity or tool into the trust store.
    struct Accept: ReplVerb {
        static let configuration = CommandConfiguration(
            abstract: "Accept a changed identity or tool into the trust store.")

        @Argument var server: String
        @Argument var tool: String?

        func perform(with runner: CommandRunner, line: String) async -> CommandOutcome {
            let accepted = await runner.host.accept(server: server, tool: tool)
            do {
                try await runner.host.saveTrustStore()
            } catch {
                runner.note("warning[\(CLIError.Code.trustStoreWrite)]: \(error)")
            }
            guard !accepted.isEmpty else { return CommandOutcome(text: "nothing to accept for \(server)") }
            let lines =
                accepted.map { "accepted \(server): \($0)" as TerminalText } + [
                    "reconnect \(server) to load what was accepted"
                ]
            return CommandOutcome(text: lines.joined(separator: "\n"))
        }
    }

    /// `reconnect [SERVER…]`: connects and verifies again.
    struct Reconnect: ReplVerb {
        static let configuration = CommandConfiguration(abstract: "Connect and verify again.")

        @Argument var servers: [String] = []

        func perform(with runner: CommandRunner, line: String) async -> CommandOutcome {
            let statuses = await runner.host.reconnect(servers.isEmpty ? nil : servers)
            return CommandOutcome(
                text: statuses.map { TrustRendering.badgeLine($0, color: runner.color) }.joined(separator: "\n"))
        }
    }

    /// `quit`: ends the REPL.
    struct Quit: ReplVerb {
        static let configuration = CommandConfiguration(abstract: "End the REPL.")

        func perform(with runner: CommandRunner, line: String) async -> CommandOutcome {
            var outcome = CommandOutcome()
            outcome.quits = true
            return outcome
        }
    }

    /// `exit`: the same as `quit`.
    struct Exit: ReplVerb {
        static let configuration = CommandConfiguration(abstract: "End the REPL.")

        func perform(with runner: CommandRunner, line: String) async -> CommandOutcome {
            await Quit().perform(with: runner, line: line)
        }
    }
}
