public import StrictJSON

/// A connected MCP server: the negotiated era, the raw handshake, and the client features.
///
/// `connect` negotiates as `reference/mcp-protocol.md` §A14 says: probe `server/discover` first, fall back
/// conservatively to `initialize`, spawn a fresh process for the stdio fallback when the probe timed out or
/// the child exited, and cache the era per server configuration.
public actor MCPSession {
    /// Revisions this client speaks, newest first.
    public static let modernVersions = ["2026-07-28"]
    public static let legacyVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]

    /// What the handshake established.
    public nonisolated let handshake: Handshake
    /// The JSON-RPC engine (notifications, skipped-line counts).
    public nonisolated let connection: RPCConnection
    /// The transport (stdio exposes its stderr log).
    public nonisolated let transport: any MessageTransport
    /// The configuration connected with.
    public nonisolated let configuration: ServerConfiguration
    let clientInfo: JSONValue
    /// The `_meta` every request carries in the stateless era (built once: it depends only on the handshake).
    private nonisolated let requestMeta: JSONObject?
    let inputHandler: @Sendable (InputRequest) async -> InputAnswer
    /// Where the connection's work and the `subscriptions/listen` request run.
    let nursery: TaskNursery
    /// Whether `subscriptions/listen` has been started.
    private(set) var isListening = false

    init(
        handshake: Handshake, connection: RPCConnection, transport: any MessageTransport,
        configuration: ServerConfiguration, clientInfo: JSONValue, nursery: TaskNursery,
        inputHandler: @escaping @Sendable (InputRequest) async -> InputAnswer
    ) {
        self.handshake = handshake
        self.connection = connection
        self.transport = transport
        self.configuration = configuration
        self.clientInfo = clientInfo
        self.inputHandler = inputHandler
        self.nursery = nursery
        requestMeta = handshake.era == .stateless
            ? Self.modernMeta(version: handshake.protocolVersion, clientInfo: clientInfo) : nil
    }

    /// The client's `Implementation`.
    public static func clientInfo(name: String = "gatehouse", version: String = "0.1.0") -> JSONValue {
        ["name": .string(name), "version": .string(version)]
    }

    /// Declines elicitation, lists no roots, and refuses sampling with a JSON-RPC error (there is no model).
    public static let declineInput: @Sendable (InputRequest) async -> InputAnswer = { request in
        switch request.method {
        case "roots/list": .result(["roots": []])
        case "elicitation/create": .result(["action": "decline"])
        default: .error(RPCErrorObject(code: -32601, message: "\(request.method) is not supported: this client has no model", data: nil))
        }
    }

    /// Connects and negotiates; the connection's work runs in `nursery` until the session closes.
    /// - Throws: ``MCPClientError`` with a `connect.*` or `protocol.*` code.
    public static func connect(
        _ configuration: ServerConfiguration, in nursery: TaskNursery, clientInfo: JSONValue = MCPSession.clientInfo(),
        eraCache: EraCache = .shared,
        inputHandler: @escaping @Sendable (InputRequest) async -> InputAnswer = MCPSession.declineInput
    ) async throws -> MCPSession {
        var negotiation = Negotiation(configuration: configuration, clientInfo: clientInfo, eraCache: eraCache, nursery: nursery)
        let (handshake, connection, transport) = try await negotiation.run()
        let session = MCPSession(
            handshake: handshake, connection: connection, transport: transport, configuration: configuration,
            clientInfo: clientInfo, nursery: nursery, inputHandler: inputHandler
        )
        await session.installRequestHandler()
        return session
    }

    private func installRequestHandler() async {
        let handler = inputHandler
        await connection.setRequestHandler { method, params in
            switch method {
            case "elicitation/create", "sampling/createMessage", "roots/list":
                switch await handler(InputRequest(method: method, params: params)) {
                case .result(let result): return .success(result)
                case .error(let error): return .failure(error)
                }
            default:
                return .failure(RPCErrorObject(code: -32601, message: "method not found: \(method)", data: nil))
            }
        }
        await connection.setSendsCancelNotifications(!(handshake.era == .stateless && handshake.transport != "stdio"))
    }

    /// Closes the connection (stdio: close stdin, SIGTERM, SIGKILL); the `subscriptions/listen` request, if
    /// open, fails with it and ends.
    public func close() async {
        await transport.close()
    }

    /// Opens `subscriptions/listen` for all list changes; it stays open (no timeout) until the session closes.
    func startListening() {
        let notifications: JSONValue = ["toolsListChanged": true, "promptsListChanged": true, "resourcesListChanged": true]
        let params: JSONObject = ["notifications": notifications]
        let forever = 10.0 * 365 * 86_400
        isListening = nursery.start { [weak self] in
            _ = try? await self?.request("subscriptions/listen", params: params, timeout: forever, maximum: forever)
        }
    }

    /// The `_meta` a 2026-07-28 request carries.
    static func modernMeta(version: String, clientInfo: JSONValue) -> JSONObject {
        var meta = JSONObject()
        meta["io.modelcontextprotocol/protocolVersion"] = .string(version)
        meta["io.modelcontextprotocol/clientCapabilities"] = ["elicitation": ["form": [:]]]
        meta["io.modelcontextprotocol/clientInfo"] = clientInfo
        return meta
    }

    /// Sends a request in the negotiated era (adding `_meta` in the stateless one) and checks `resultType`.
    /// Nonisolated: it reads only constants, so a call does not hop onto this actor and back.
    public nonisolated func request(
        _ method: String, params: JSONObject = JSONObject(), timeout: Double? = nil, maximum: Double? = nil,
        progress: (@Sendable (JSONValue) -> Void)? = nil, name: String? = nil
    ) async throws -> JSONValue {
        var options = RequestOptions(
            timeout: timeout ?? configuration.timeouts.call, maximum: maximum ?? configuration.timeouts.maximum
        )
        options.progress = progress
        options.name = name
        var params = params
        if var meta = requestMeta {
            for (key, value) in params["_meta"]?.objectValue ?? JSONObject() { meta[key] = value }
            params["_meta"] = .object(meta)
        }
        let (result, _) = try await connection.request(method, params: .object(params), options: options)
        guard case .object = result else {
            throw MCPClientError(.invalidMessage, "the result of \(method) is not an object")
        }
        switch result["resultType"] {
        case nil, .some(.string("complete")), .some(.string("input_required")): return result
        case .some(let other):
            throw MCPClientError(.invalidMessage, "unknown resultType \(JSONSerializer.string(other).prefix(40)) for \(method)")
        }
    }

    /// Sends a request that may need user input (MRTR in the stateless era): answers `input_required`
    /// through the input handler and retries with a new id, `inputResponses` and the echoed `requestState`.
    public nonisolated func interactiveRequest(
        _ method: String, params: JSONObject, progress: (@Sendable (JSONValue) -> Void)? = nil, name: String? = nil
    ) async throws -> JSONValue {
        var params = params
        for _ in 0..<16 {
            let result = try await request(method, params: params, progress: progress, name: name)
            guard result["resultType"] == "input_required" else { return result }
            var responses = JSONObject()
            for (key, entry) in result["inputRequests"]?.objectValue ?? JSONObject() {
                let inputMethod = entry["method"]?.stringValue ?? ""
                switch await inputHandler(InputRequest(method: inputMethod, params: entry["params"])) {
                case .result(let answer): responses[key] = answer
                case .error where inputMethod == "elicitation/create":
                    responses[key] = ["action": "decline"]  // MRTR carries results only
                case .error(let error):
                    throw MCPClientError(.rpcError, "the server asked for \(inputMethod.prefix(60)): \(error.message)", rpcError: error)
                }
            }
            params["inputResponses"] = responses.isEmpty ? nil : .object(responses)
            params["requestState"] = result["requestState"]
            guard !responses.isEmpty || result["requestState"] != nil else {
                throw MCPClientError(.invalidMessage, "input_required without inputRequests or requestState")
            }
        }
        throw MCPClientError(.invalidMessage, "\(method) still asked for input after 16 rounds")
    }
}
