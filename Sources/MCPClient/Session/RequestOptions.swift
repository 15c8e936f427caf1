public import StrictJSON

/// A notification from the server (progress, log messages, list changes, …).
public struct ServerNotification: Sendable {
    /// The method, e.g. `notifications/tools/list_changed`.
    public let method: String
    /// Its params.
    public let params: JSONValue?
}

/// How one request is bounded and reported.
public struct RequestOptions: Sendable {
    /// Seconds without a response (progress notifications restart it).
    public var timeout: Double
    /// Absolute seconds, whatever the progress.
    public var maximum: Double
    /// The code of a timeout (`call.timeout`, or `connect.timeout` in the handshake).
    public var timeoutCode: MCPClientError.Code = .callTimeout
    /// The code when the transport closes under the request (`call.server_exited`, or `connect.closed`).
    public var closedCode: MCPClientError.Code = .serverExited
    /// Called with each `notifications/progress` params for this request; setting it adds a progress token.
    public var progress: (@Sendable (JSONValue) -> Void)?
    /// An explicit id (the era probe uses a string id).
    public var id: RequestID?
    /// `Mcp-Name` for HTTP.
    public var name: String?
    /// Whether a timeout or cancellation sends `notifications/cancelled` (never for `initialize`).
    public var cancellable = true

    /// Creates options.
    public init(timeout: Double, maximum: Double) {
        self.timeout = timeout
        self.maximum = maximum
    }
}
