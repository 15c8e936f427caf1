import StrictJSON

/// The era negotiation of `reference/mcp-protocol.md` §A14, for one connection attempt.
struct Negotiation {
    let configuration: ServerConfiguration
    let clientInfo: JSONValue
    let eraCache: EraCache
    /// Where the connections' work runs.
    let nursery: TaskNursery
    let started = ContinuousClock.now

    init(configuration: ServerConfiguration, clientInfo: JSONValue, eraCache: EraCache, nursery: TaskNursery) {
        self.configuration = configuration
        self.clientInfo = clientInfo
        self.eraCache = eraCache
        self.nursery = nursery
    }

    var cacheKey: String { "\(configuration.transport)" }

    /// Seconds left of the connect timeout (at least a millisecond, for APIs that need a positive timeout).
    var remaining: Double { max(0.001, timeLeft) }

    /// Seconds left of the connect timeout; zero or less once it has passed.
    var timeLeft: Double {
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return configuration.timeouts.connect - seconds
    }

    /// What the probe concluded.
    enum ProbeOutcome {
        case modern(version: String, result: JSONValue, receipt: SendReceipt)
        case legacy(freshTransport: Bool)
        case legacySSE
    }

    /// Negotiates; a timeout anywhere in it is reported with the connect timeout itself (the probe and the
    /// `initialize` after it each wait only for what is left of it).
    mutating func run() async throws -> (Handshake, RPCConnection, any MessageTransport) {
        do {
            return try await negotiate()
        } catch let error as MCPClientError where error.code == .connectTimeout {
            let limit = Seconds.text(configuration.timeouts.connect)
            throw MCPClientError(.connectTimeout, "the handshake did not finish within the connect timeout of \(limit) s")
        }
    }

    private mutating func negotiate() async throws -> (Handshake, RPCConnection, any MessageTransport) {
        let forced = configuration.era
        let cached = await eraCache.era(for: cacheKey)
        if case .legacySSE = configuration.transport {
            return try await legacyHandshake(transport: try await makeTransport(sse: true))
        }
        if forced == .legacy || (forced == nil && cached == .legacy) {
            return try await legacyHandshake(transport: try await makeTransport(legacy: true))
        }
        let transport = try await makeTransport()
        let connection = RPCConnection.open(transport, in: nursery)
        let outcome: ProbeOutcome
        do {
            outcome = try await probe(connection, version: MCPSession.modernVersions[0], attempt: 1)
        } catch {
            dispose(transport)
            throw error
        }
        switch outcome {
        case .modern(let version, let result, let receipt):
            await transport.negotiated(version: version, modern: true)
            await eraCache.record(.stateless, for: cacheKey)
            let handshake = Handshake(
                era: .stateless, protocolVersion: version, result: result, headers: receipt.headers,
                transport: configuration.transport.name
            )
            return (handshake, connection, transport)
        case .legacy(let fresh):
            if forced == .stateless {
                dispose(transport)
                throw MCPClientError(.versionUnsupported, "the server does not speak the 2026-07-28 revision")
            }
            if fresh {
                dispose(transport)
                return try await legacyHandshake(transport: try await makeTransport(legacy: true))
            }
            return try await legacyHandshake(transport: transport, connection: connection)
        case .legacySSE:
            dispose(transport)
            return try await legacyHandshake(transport: try await makeTransport(sse: true))
        }
    }

    /// Shuts a transport down without waiting: a failed or abandoned attempt must not delay the answer
    /// (closing a stdio server may take seconds of SIGTERM grace).
    func dispose(_ transport: any DisposableTransport) {
        transport.dispose()
    }

    func makeTransport(sse: Bool = false, legacy: Bool = false) async throws -> any DisposableTransport {
        switch configuration.transport {
        case .stdio(let specification):
            return try StdioTransport(specification, shutdownGrace: configuration.timeouts.shutdown)
        case .streamableHTTP(let url, let headers):
            if sse { return try await LegacySSETransport.connect(url: url, headers: headers, timeout: remaining) }
            return StreamableHTTPTransport(url: url, headers: headers, connectTimeout: remaining, modern: !legacy)
        case .legacySSE(let url, let headers):
            return try await LegacySSETransport.connect(url: url, headers: headers, timeout: remaining)
        }
    }

    /// A stdio probe that times out means "legacy, on a fresh process", so it is cut at 10 s (as the Python
    /// SDK does). On HTTP a timeout is no evidence of anything, and with a forced era there is nothing to
    /// fall back to: those probes may use the whole connect timeout.
    var probeTimeout: Double {
        guard case .stdio = configuration.transport, configuration.era == nil else { return remaining }
        return min(10, remaining)
    }

    func probeOptions(id: String) -> RequestOptions {
        var options = RequestOptions(timeout: probeTimeout, maximum: remaining)
        options.timeoutCode = .connectTimeout
        options.closedCode = .connectClosed
        options.id = .string(id)
        options.cancellable = false
        return options
    }

    /// Sends `server/discover` and classifies the answer.
    func probe(_ connection: RPCConnection, version: String, attempt: Int) async throws -> ProbeOutcome {
        let meta = MCPSession.modernMeta(version: version, clientInfo: clientInfo)
        do {
            let (result, receipt) = try await connection.request(
                "server/discover", params: ["_meta": .object(meta)], options: probeOptions(id: "discover-\(attempt)")
            )
            let supported = result["supportedVersions"]?.arrayValue?.compactMap(\.stringValue) ?? []
            if let mutual = MCPSession.modernVersions.first(where: supported.contains) {
                return .modern(version: mutual, result: result, receipt: receipt)
            }
            return .legacy(freshTransport: !(connection.transport is StdioTransport))
        } catch let error as MCPClientError {
            return try await classify(error, connection: connection, attempt: attempt)
        }
    }

    private func classify(_ error: MCPClientError, connection: RPCConnection, attempt: Int) async throws -> ProbeOutcome {
        if let rpc = error.rpcError, rpc.code == -32022 {
            let supported = rpc.data?["supported"]?.arrayValue?.compactMap(\.stringValue) ?? []
            if let mutual = MCPSession.modernVersions.first(where: supported.contains), attempt == 1 {
                return try await probe(connection, version: mutual, attempt: 2)
            }
            if supported.contains(where: MCPSession.legacyVersions.contains) { return .legacy(freshTransport: false) }
            throw MCPClientError(.versionUnsupported, "the server supports only \(supported), none of which this client speaks")
        }
        switch error.code {
        case .connectTimeout, .connectClosed:
            // A probe that used up the whole connect timeout leaves nothing for a fresh process: starting
            // one would only be killed again at once.
            guard case .stdio = configuration.transport, timeLeft > 0.05 else { throw error }
            return .legacy(freshTransport: true)
        case .rpcError:
            return .legacy(freshTransport: false)
        case .httpStatus:
            let status = error.httpStatus ?? 0
            if status == 401 || status == 403 || status >= 500 || configuration.era == .stateless { throw error }
            return .legacy(freshTransport: true)
        default:
            throw error
        }
    }

    /// `initialize` with the newest legacy version, then `notifications/initialized`.
    func legacyHandshake(
        transport: any DisposableTransport, connection existing: RPCConnection? = nil
    ) async throws -> (Handshake, RPCConnection, any MessageTransport) {
        let connection = existing ?? RPCConnection.open(transport, in: nursery)
        var options = RequestOptions(timeout: remaining, maximum: remaining)
        options.timeoutCode = .connectTimeout
        options.closedCode = .connectClosed
        options.cancellable = false
        let params: JSONValue = [
            "protocolVersion": .string(MCPSession.legacyVersions[0]),
            "capabilities": ["elicitation": ["form": [:]], "roots": [:]],
            "clientInfo": clientInfo,
        ]
        do {
            let (result, receipt) = try await connection.request("initialize", params: params, options: options)
            guard let version = result["protocolVersion"]?.stringValue else {
                throw MCPClientError(.handshakeFailed, "the initialize result has no protocolVersion")
            }
            guard MCPSession.legacyVersions.contains(version) else {
                throw MCPClientError(.versionUnsupported, "the server chose protocol version \(version.prefix(40))")
            }
            await transport.negotiated(version: version, modern: false)
            try await connection.notify("notifications/initialized", params: nil)
            await eraCache.record(.legacy, for: cacheKey)
            let headers = (transport as? LegacySSETransport)?.streamHeaders ?? receipt.headers
            let handshake = Handshake(
                era: .legacy, protocolVersion: version, result: result, headers: headers,
                transport: transportName(transport)
            )
            return (handshake, connection, transport)
        } catch let error as MCPClientError {
            dispose(transport)
            if case .streamableHTTP = configuration.transport, error.code == .httpStatus,
                [400, 404, 405].contains(error.httpStatus ?? 0), !(transport is LegacySSETransport)
            {
                do {
                    return try await legacyHandshake(transport: try await makeTransport(sse: true))
                } catch let sseError as MCPClientError {
                    throw MCPClientError(
                        error.code, "\(error.message); the HTTP+SSE fallback failed too: \(sseError.message)",
                        rpcError: error.rpcError, httpStatus: error.httpStatus
                    )
                }
            }
            if error.code == .rpcError {
                throw MCPClientError(.handshakeFailed, "initialize failed: \(error.message)", rpcError: error.rpcError)
            }
            throw error
        }
    }

    private func transportName(_ transport: any MessageTransport) -> String {
        transport is LegacySSETransport ? "sse" : configuration.transport.name
    }
}
