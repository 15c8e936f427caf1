public import StrictJSON

/// Something a transport observed.
public enum TransportEvent: Sendable {
    /// A JSON value that arrived (not yet classified as JSON-RPC).
    case message(JSONValue)
    /// A line or event that is not JSON (or not valid UTF-8); counted and shown by `log SERVER`.
    case skipped(String)
    /// The HTTP head of a request's response, delivered before any message of that response.
    case receipt(RequestID, SendReceipt)
    /// One request's response can no longer arrive (its HTTP stream failed or ended without it).
    case requestFailed(RequestID, MCPClientError)
    /// The transport ended; no more events follow.
    case closed(MCPClientError)
}

/// Per-message facts an HTTP transport turns into headers.
public struct SendOptions: Sendable {
    /// The JSON-RPC method (`Mcp-Method`).
    public var method: String
    /// `params.name` or `params.uri` for `tools/call`, `prompts/get`, `resources/read` (`Mcp-Name`).
    public var name: String?
    /// The request id, so a transport can cancel that request's stream.
    public var requestID: RequestID?

    /// Creates options.
    public init(method: String, name: String? = nil, requestID: RequestID? = nil) {
        self.method = method
        self.name = name
        self.requestID = requestID
    }
}

/// What the carrier said about a sent message (HTTP status and headers; nil fields on stdio).
public struct SendReceipt: Sendable {
    /// The HTTP status.
    public var status: Int?
    /// The HTTP response headers, names lower-cased.
    public var headers: [(name: String, value: String)]

    /// An empty receipt.
    public static let none = SendReceipt(status: nil, headers: [])
}

/// Moves JSON-RPC messages to and from one server. Inbound messages arrive on ``events``, which may be
/// iterated once. Implementations are stdio, Streamable HTTP and the legacy HTTP+SSE transport.
public protocol MessageTransport: AnyObject, Sendable {
    /// Inbound events; consumed by one reader.
    var events: AsyncStream<TransportEvent> { get }
    /// Sends one message.
    /// - Throws: ``MCPClientError`` (`connect.*` for HTTP failures, `call.server_exited` when closed).
    func send(_ message: JSONValue, options: SendOptions) async throws -> SendReceipt
    /// Abandons the response to `requestID` where the transport can (HTTP closes that stream).
    func abandon(_ requestID: RequestID) async
    /// Shuts the transport down (stdio: close stdin, SIGTERM, SIGKILL).
    func close() async
    /// Sets the negotiated protocol version and era (HTTP headers depend on them).
    func negotiated(version: String, modern: Bool) async
}

/// A transport that can be shut down with nobody waiting: ``dispose()`` starts what ``MessageTransport/close()``
/// does on threads the transport already has (stdio's stop sequence, libcurl's transfers) and returns at once.
protocol DisposableTransport: MessageTransport {
    /// Starts the shutdown and returns without waiting for it.
    func dispose()
}

/// A transport that can hand each inbound event to its connection on its own reader thread (stdio), so a
/// response resolves its waiter with no hop through ``MessageTransport/events`` and a task in between.
protocol DeliversInline: MessageTransport {
    /// Calls `sink` with every inbound event, in order, one at a time — those that arrived before this call
    /// first — ending with `.closed`; false (and nothing is delivered) when ``MessageTransport/events`` is
    /// already being read.
    func deliverInline(to sink: @escaping @Sendable (TransportEvent) -> Void) -> Bool
}
