import ArgumentParser
import GatehouseHost
import MCPClient
import StrictJSON
import TerminalText

/// `gatehouse tools` (SPEC §4): connect, verify, and list tools with every server's trust status.
struct ToolsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tools", abstract: "List the tools of the profile's servers, with their trust status."
    )

    @OptionGroup var profileOptions: ProfileOptions

    @Option(help: "Only this server.")
    var server: String?

    @Flag(help: "Also list quarantined tools.")
    var all = false

    @Option(help: "table or json.")
    var format: TableFormat = .table

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let profile = try profileOptions.load()
        if let server, profile.server(named: server) == nil {
            throw CLIError.usage("no server named \"\(server)\" in \(profile.files.joined(separator: ", "))")
        }
        let host = try HostFactory.make(profile, common: common)
        await host.setFollowListChanges(false)
        let statuses = await host.connect(server.map { [$0] })
        await HostFactory.save(host)
        switch format {
        case .json:
            let servers: [JSONValue] = statuses.map { status in
                var object = JSONObject()
                object["name"] = .string(status.entry.name)
                object["transport"] = .string(status.entry.transport.name)
                object["endpoint"] = .string(status.entry.endpoint)
                object["trust"] = TrustRendering.trustObject(status)
                object["tools"] = .array(status.tools.filter { all || $0.loaded }.map(TrustRendering.toolObject))
                return .object(object)
            }
            Console.document(JSONSerializer.string(["servers": .array(servers)], style: .pretty))
        case .table:
            for status in statuses { Console.out(table(status)) }
        }
        await host.close()
        let status = ExitStatus.forServers(statuses, profileProblems: !profile.problems.isEmpty)
        if status != 0 { throw CommandExit(status: status) }
    }

    private func table(_ status: ServerStatus) -> TerminalText {
        var lines = [TrustRendering.badgeLine(status, color: common.useColor)]
        let shown = status.tools.filter { all || $0.loaded }
        for tool in shown {
            let state = tool.loaded ? tool.pinState.rawValue : "quarantined, \(tool.pinState.rawValue)"
            let description = (tool.definition["description"]?.stringValue ?? "").split(separator: "\n").first ?? ""
            let name = TerminalText(field: tool.qualifiedName, limit: 120).padding(toLength: 28)
            lines.append("  \(name) \(field: String(description), limit: 60)  (\(state))")
            for change in tool.diff { lines.append("      changed \(field: change, limit: 160)") }
        }
        let hidden = status.tools.count - shown.count
        if hidden > 0 { lines.append("  … \(hidden) quarantined tool(s); --all lists them (\(status.policyNote))") }
        for removed in status.removedTools { lines.append("  \(status.entry.name).\(field: removed, limit: 120)  (removed)") }
        return lines.joined(separator: "\n")
    }
}

/// Output formats of the listing commands.
enum TableFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table
    case json
}

extension ExitStatus {
    /// SPEC §4's precedence: 2 for profile problems, else 1 if any server's tools were kept out for a trust
    /// reason, else 3 if any connection failed, else 0.
    static func forServers(_ statuses: [ServerStatus], profileProblems: Bool) -> Int32 {
        if profileProblems { return usage }
        if statuses.contains(where: { ($0.started && $0.connectionError == nil && !$0.loaded) || $0.rejectedBeforeLogin }) {
            return trustFailure
        }
        if statuses.contains(where: { $0.connectionError != nil }) { return connection }
        return success
    }
}
