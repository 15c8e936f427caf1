import MCPClient
public import StrictJSON

extension HostSession {
    /// Resources, resource templates and prompts of a server whose tools are loaded (or allowed for this
    /// session) — the same gate as a tool call, so no front end reads content from a quarantined server.
    public enum ContentRequest: Sendable {
        case listResources
        case listResourceTemplates
        case readResource(uri: String)
        case listPrompts
        case getPrompt(name: String, arguments: [String: String])
    }

    /// Runs `request` on `server`.
    /// - Throws: ``HostError`` (`host.unknown_server`, `host.tool_quarantined`), or the server's error.
    public func content(_ request: ContentRequest, server: String) async throws -> JSONValue {
        guard let status = servers[server] else { throw HostError(code: "host.unknown_server", message: "no server named \(server)") }
        guard status.loaded || allowed.contains(server) else {
            throw HostError(code: "host.tool_quarantined", message: "\(server) is quarantined: \(status.policyNote)")
        }
        guard let session = status.session, status.connectionError == nil else {
            throw status.connectionError ?? MCPClientError(.connectClosed, "\(server) is not connected")
        }
        switch request {
        case .listResources: return ["resources": .array(try await session.listResources())]
        case .listResourceTemplates: return ["resourceTemplates": .array(try await session.listResourceTemplates())]
        case .readResource(let uri): return try await session.readResource(uri)
        case .listPrompts: return ["prompts": .array(try await session.listPrompts())]
        case .getPrompt(let name, let arguments): return try await session.getPrompt(name, arguments: arguments)
        }
    }

    /// Each change of a server's verdict or tools (a re-list after `list_changed`), by server name.
    public func changes() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(64))
        changeListeners.append(continuation)
        return stream
    }
}
