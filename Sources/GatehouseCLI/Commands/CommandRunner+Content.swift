import GatehouseHost
import MCPClient
import StrictJSON
import TerminalText

extension CommandRunner {
    /// A tool by its `SERVER.TOOL` name on a connected server, or the refusal.
    func lookup(_ qualified: String) async -> Result<(ServerStatus, ToolRecord), CLIError> {
        let name: (server: String, tool: String)
        switch self.qualified(qualified) {
        case .success(let split): name = split
        case .failure(let refusal): return .failure(refusal)
        }
        let status: ServerStatus
        switch await connected(name.server) {
        case .success(let found): status = found
        case .failure(let refusal): return .failure(refusal)
        }
        guard let tool = status.tool(named: name.tool) else {
            return .failure(.usage("\(name.server) has no tool \"\(name.tool)\""))
        }
        return .success((status, tool))
    }

    /// The loaded (or allowed) servers that declared `capability`, by name.
    private func contentServers(offering capability: String) async -> [ServerStatus] {
        await host.servers.values.filter(\.loaded).sorted { $0.entry.name < $1.entry.name }.filter {
            $0.handshake?.capabilities?[capability] != nil
        }
    }

    /// One line per item of each content server's `capability` list (`resources`, `prompts`), server by
    /// server; a server that fails is noted and skipped.
    func listEach(
        _ capability: String, _ request: HostSession.ContentRequest, _ line: (ServerStatus, JSONValue) -> TerminalText
    ) async -> CommandOutcome {
        var lines: [TerminalText] = []
        for status in await contentServers(offering: capability) {
            do {
                let items = try await host.content(request, server: status.entry.name)[capability]?.arrayValue ?? []
                lines += items.map { line(status, $0) }
            } catch {
                note("\(status.entry.name): \(error)")
            }
        }
        return CommandOutcome(text: lines.joined(separator: "\n"))
    }

    /// The lines of the first content server for which `fetch` gives some (nil: it does not have `what`).
    func firstContentServer(
        offering capability: String, for what: String, _ fetch: (ServerStatus) async throws -> [TerminalText]?
    ) async -> CommandOutcome {
        for status in await contentServers(offering: capability) {
            do {
                if let lines = try await fetch(status) { return CommandOutcome(text: lines.joined(separator: "\n")) }
            } catch {
                note("\(status.entry.name): \(error)")
            }
        }
        return CommandOutcome(.usage("no loaded server offers \(what)"))
    }
}
