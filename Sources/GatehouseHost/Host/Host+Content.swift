import MCPClient
public import StrictJSON

extension HostSession {
    /// Resources, resource templates, prompts and completions of a server whose tools are loaded (or allowed for this
    /// session) — the same gate as a tool call, so no front end reads content from a quarantined server.
    public enum ContentRequest: Sendable {
        case listResources
        case listResourceTemplates
        case readResource(uri: String)
        case listPrompts
        case getPrompt(name: String, arguments: [String: String])
        /// `completion/complete` with the host's params (`ref`, `argument`, `context`).
        case complete(JSONObject)
    }

    /// Runs `request` on `server`.
    /// - Throws: ``HostError`` (`host.unknown_server`, `host.tool_quarantined`), or the server's error.
    public func content(_ request: ContentRequest, server: String) async throws -> JSONValue {
        guard let status = servers[server] else { throw HostError(.unknownServer, message: "no server named \(server)") }
        guard status.loaded else {
            throw HostError(.toolQuarantined, message: "\(server) is quarantined: \(status.policyNote)")
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
        case .complete(let params): return try await session.complete(params)
        }
    }

    /// Each change of a server's verdict or tools (a re-list after `list_changed`), by server name.
    public func changes() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(64))
        changeListeners.append(continuation)
        return stream
    }
}

/// What a connected server left beside its answers, for `log SERVER`.
public struct ServerLog: Sendable {
    /// Its stderr (stdio servers), most recent last.
    public let stderr: String?
    /// The most recent lines that were not JSON-RPC.
    public let skipped: [String]
    /// The most recent `notifications/message` entries.
    public let messages: [String]
}

extension HostSession {
    /// The log of a connected server (nil when it is not connected).
    public func log(of server: String) async -> ServerLog? {
        guard let session = servers[server]?.session else { return nil }
        let stderr = (session.transport as? StdioTransport)?.stderrLog.text
        return ServerLog(
            stderr: stderr, skipped: await session.connection.recentSkipped,
            messages: await session.connection.recentLogMessages
        )
    }
}
