public import StrictJSON

extension MCPSession {
    /// Every page of a list method, concatenated; a repeated cursor or more than 1000 pages is a protocol error.
    func listAll(_ method: String, key: String) async throws -> [JSONValue] {
        var items: [JSONValue] = []
        var cursor: JSONValue?
        var seen = Set<String>()
        for _ in 0..<1000 {
            var params = JSONObject()
            if let cursor { params["cursor"] = cursor }
            let result = try await request(method, params: params)
            guard case .array(let page)? = result[key] else {
                throw MCPClientError(.invalidMessage, "\(method) result has no \(key) array")
            }
            items.append(contentsOf: page)
            guard let next = result["nextCursor"], next != .null else { return items }
            let text = JSONSerializer.string(next)
            guard seen.insert(text).inserted else {
                throw MCPClientError(.invalidMessage, "\(method) repeated cursor \(text.prefix(40))")
            }
            cursor = next
        }
        throw MCPClientError(.invalidMessage, "\(method) returned more than 1000 pages")
    }

    /// All tools, every page, each as the server sent it.
    public func listTools() async throws -> [JSONValue] {
        try await listAll("tools/list", key: "tools")
    }

    /// Calls a tool; the result (`content`, `structuredContent`, `isError`) is returned as sent.
    public nonisolated func callTool(
        _ name: String, arguments: JSONObject = JSONObject(), progress: (@Sendable (JSONValue) -> Void)? = nil
    ) async throws -> JSONValue {
        try await interactiveRequest(
            "tools/call", params: ["name": .string(name), "arguments": .object(arguments)] as JSONObject,
            progress: progress, name: name
        )
    }

    /// All resources.
    public func listResources() async throws -> [JSONValue] {
        try await listAll("resources/list", key: "resources")
    }

    /// All resource templates.
    public func listResourceTemplates() async throws -> [JSONValue] {
        try await listAll("resources/templates/list", key: "resourceTemplates")
    }

    /// Reads a resource.
    public func readResource(_ uri: String) async throws -> JSONValue {
        try await interactiveRequest("resources/read", params: ["uri": .string(uri)] as JSONObject, name: uri)
    }

    /// All prompts.
    public func listPrompts() async throws -> [JSONValue] {
        try await listAll("prompts/list", key: "prompts")
    }

    /// Completes an argument of a prompt or resource template (`completion/complete`; `params` as the host
    /// sent them: `ref`, `argument`, `context`).
    public func complete(_ params: JSONObject) async throws -> JSONValue {
        try await interactiveRequest("completion/complete", params: params, name: params["ref"]?["name"]?.stringValue)
    }

    /// Gets a prompt with string arguments.
    public func getPrompt(_ name: String, arguments: [String: String] = [:]) async throws -> JSONValue {
        var object = JSONObject()
        for (key, value) in arguments.sorted(by: { $0.key < $1.key }) { object[key] = .string(value) }
        return try await interactiveRequest(
            "prompts/get", params: ["name": .string(name), "arguments": .object(object)] as JSONObject,
            name: name
        )
    }

    /// Asks for list-changed notifications: in the stateless era a long-lived `subscriptions/listen`; in the
    /// legacy era they arrive unasked (nothing to send).
    public func listenForListChanges() {
        guard handshake.era == .stateless, !isListening else { return }
        startListening()
    }

    /// Sets the server's log level (legacy `logging/setLevel`; the stateless era has none).
    public func setLogLevel(_ level: String) async throws {
        guard handshake.era == .legacy else { return }
        _ = try await request("logging/setLevel", params: ["level": .string(level)] as JSONObject)
    }

    /// Liveness check (legacy `ping`; the stateless era has none and succeeds trivially).
    public func ping() async throws {
        guard handshake.era == .legacy else { return }
        _ = try await request("ping")
    }
}
