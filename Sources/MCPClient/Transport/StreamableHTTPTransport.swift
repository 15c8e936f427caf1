import CurlHTTP
import Foundation
public import StrictJSON
import Locking

/// Streamable HTTP through libcurl, both eras: one POST per message, JSON or SSE responses.
///
/// Stateless era (2026-07-28): `MCP-Protocol-Version`, `Mcp-Method` and (for calls, prompts and reads)
/// `Mcp-Name` on every POST; no session; cancelling a request closes its stream. Legacy era: the
/// `Mcp-Session-Id` minted on `initialize`, `MCP-Protocol-Version` after it, and a standalone GET stream for
/// server notifications and requests when the server offers one. Profile headers go on every request.
public final class StreamableHTTPTransport: MessageTransport, StartsSending, DisposableTransport {
    /// Inbound events.
    public let events: AsyncStream<TransportEvent>
    private let continuation: AsyncStream<TransportEvent>.Continuation
    let url: String
    let headers: [String: String]
    let connectTimeout: Double
    private struct State {
        var negotiatedVersion: String?
        var modern: Bool
        var sessionID: String?
        var exchanges: [RequestID: HTTPExchange] = [:]
        var standaloneStream: HTTPExchange?
        var closed = false
    }

    private let state: Locked<State>
    /// The largest response body or SSE event accepted.
    public static let maximumMessageBytes = 16 * 1024 * 1024

    /// Creates a transport; `modern` selects the stateless headers for the first message (the era probe).
    public init(url: String, headers: [String: String], connectTimeout: Double, modern: Bool = true) {
        self.url = url
        self.headers = headers
        self.connectTimeout = connectTimeout
        state = Locked(State(modern: modern))
        (events, continuation) = AsyncStream.makeStream(of: TransportEvent.self, bufferingPolicy: .unbounded)
    }

    public func send(_ message: JSONValue, options: SendOptions) async throws -> SendReceipt {
        try await start(message, options: options)()
    }

    /// Starts the POST now; the returned wait ends with its head (or its failure).
    func start(_ message: JSONValue, options: SendOptions) -> @Sendable () async throws -> SendReceipt {
        let (isModern, version, session, isClosed) = state.withLock { ($0.modern, $0.negotiatedVersion, $0.sessionID, $0.closed) }
        guard !isClosed else { return { throw MCPClientError(.connectClosed, "the transport is closed") } }
        var requestHeaders: [(name: String, value: String)] = [
            ("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream"),
        ]
        if isModern {
            let metaVersion = message["params"]?["_meta"]?["io.modelcontextprotocol/protocolVersion"]?.stringValue
            requestHeaders.append(("MCP-Protocol-Version", metaVersion ?? version ?? "2026-07-28"))
            requestHeaders.append(("Mcp-Method", options.method))
            if let name = options.name { requestHeaders.append(("Mcp-Name", Self.headerValue(name))) }
        } else {
            if let version { requestHeaders.append(("MCP-Protocol-Version", version)) }
            if let session { requestHeaders.append(("Mcp-Session-Id", session)) }
        }
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { requestHeaders.append((name, value)) }
        let request = HTTPRequest(
            method: "POST", url: url, headers: requestHeaders, body: JSONSerializer.bytes(message),
            connectTimeout: connectTimeout, totalTimeout: 0
        )
        let sink = continuation
        var onSuccessHead: (@Sendable ([(name: String, value: String)]) -> Void)?
        if !isModern, options.method == "initialize" {
            onSuccessHead = { [weak self] headers in
                guard let self, let minted = headers.first(where: { $0.name == "mcp-session-id" })?.value else { return }
                state.withLock { $0.sessionID = minted }
            }
        }
        var onFinished: (@Sendable () -> Void)?
        if let id = options.requestID {
            onFinished = { [weak self] in
                guard let self else { return }
                state.withLock { _ = $0.exchanges.removeValue(forKey: id) }
            }
        }
        let exchange = HTTPExchange(
            requestID: options.requestID, maximumBytes: Self.maximumMessageBytes,
            onSuccessHead: onSuccessHead, onFinished: onFinished, deliver: { sink.yield($0) }
        )
        if let id = options.requestID { state.withLock { $0.exchanges[id] = exchange } }
        exchange.begin(request)
        return { try await exchange.receipt() }
    }

    /// `Mcp-Name` values that are not plain visible ASCII go as `=?base64?…?=` (SEP-2243).
    static func headerValue(_ value: String) -> String {
        let plain = value.unicodeScalars.allSatisfy { $0.value >= 0x21 && $0.value <= 0x7E }
        guard !plain || value.hasPrefix("=?base64?") else { return value }
        return "=?base64?" + Data(value.utf8).base64EncodedString() + "?="
    }

    public func abandon(_ requestID: RequestID) async {
        let exchange = state.withLock { $0.exchanges.removeValue(forKey: requestID) }
        exchange?.cancel()
    }

    public func negotiated(version: String, modern: Bool) async {
        state.withLock { state in
            state.negotiatedVersion = version
            state.modern = modern
        }
        if !modern { openStandaloneStream(version: version) }
    }

    /// The legacy GET stream for server-initiated messages; a 405 (not offered) is fine.
    private func openStandaloneStream(version: String) {
        var requestHeaders: [(name: String, value: String)] = [("Accept", "text/event-stream"), ("MCP-Protocol-Version", version)]
        if let session = state.withLock({ $0.sessionID }) { requestHeaders.append(("Mcp-Session-Id", session)) }
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { requestHeaders.append((name, value)) }
        let request = HTTPRequest(method: "GET", url: url, headers: requestHeaders, connectTimeout: connectTimeout, totalTimeout: 0)
        let sink = continuation
        let exchange = HTTPExchange(requestID: nil, maximumBytes: Self.maximumMessageBytes) { sink.yield($0) }
        state.withLock { $0.standaloneStream = exchange }
        exchange.begin(request)  // nobody waits for its head: its messages arrive as events
    }

    public func close() async {
        guard let delete = shutDown() else { return }
        if let delete { _ = try? await CurlHTTPClient.perform(delete) }
        endEvents()
    }

    /// ``close()`` without waiting: the legacy session's DELETE goes out on a transfer thread of its own.
    func dispose() {
        guard let delete = shutDown() else { return }
        if let delete { _ = CurlStream.start(delete, onHead: { _, _ in }, onData: { _ in true }, onEnd: { _ in }) }
        endEvents()
    }

    /// Marks the transport closed and cancels every transfer; returns the legacy session's DELETE to send
    /// (`.some(nil)` when there is none), or nil when the transport was closed already.
    private func shutDown() -> HTTPRequest?? {
        let (all, standalone, session, wasClosed) = state.withLock { state in
            defer {
                state.closed = true
                state.exchanges.removeAll()
            }
            return (Array(state.exchanges.values), state.standaloneStream, state.modern ? nil : state.sessionID, state.closed)
        }
        guard !wasClosed else { return nil }
        for exchange in all { exchange.cancel() }
        standalone?.cancel()
        return .some(session.map { session in
            HTTPRequest(method: "DELETE", url: url, headers: [("Mcp-Session-Id", session)], connectTimeout: 2, totalTimeout: 2)
        })
    }

    private func endEvents() {
        continuation.yield(.closed(MCPClientError(.connectClosed, "the client closed the connection")))
        continuation.finish()
    }
}
