public import StrictJSON

/// A client failure with a stable dotted code (SPEC §7) and a human message.
///
/// Local failures (`connect.*`, `protocol.*`, `call.*`) never borrow JSON-RPC codes; an error the server
/// sent is `rpc.error` and keeps the server's code, message and `data` whole.
public struct MCPClientError: Error, Sendable, CustomStringConvertible {
    /// The stable code.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let spawnFailed = Code(rawValue: "connect.spawn_failed")
        public static let connectTimeout = Code(rawValue: "connect.timeout")
        public static let connectRefused = Code(rawValue: "connect.refused")
        public static let httpStatus = Code(rawValue: "connect.http_status")
        public static let connectClosed = Code(rawValue: "connect.closed")
        public static let frameTooLarge = Code(rawValue: "protocol.frame_too_large")
        public static let invalidMessage = Code(rawValue: "protocol.invalid_message")
        public static let versionUnsupported = Code(rawValue: "protocol.version_unsupported")
        public static let handshakeFailed = Code(rawValue: "protocol.handshake_failed")
        /// A server listed more, or larger, tools than the host accepts (our addition to SPEC §7's codes).
        public static let limitExceeded = Code(rawValue: "protocol.limit_exceeded")
        public static let callTimeout = Code(rawValue: "call.timeout")
        public static let serverExited = Code(rawValue: "call.server_exited")
        public static let cancelled = Code(rawValue: "call.cancelled")
        /// An HTTP server requires an OAuth login (`401` with `WWW-Authenticate: Bearer`, SPEC §9) and no
        /// token is at hand.
        public static let authRequired = Code(rawValue: "auth.required")
        /// The OAuth flow failed: metadata, registration, PKCE, `state`, `iss`, the token endpoint, or a
        /// token store that cannot be read (SPEC §9).
        public static let authFailed = Code(rawValue: "auth.failed")
        /// The token's scopes are not enough (`403` with `error="insufficient_scope"`, SPEC §9).
        public static let insufficientScope = Code(rawValue: "auth.insufficient_scope")
        /// The server answered with a JSON-RPC error (see ``MCPClientError/rpcError``).
        public static let rpcError = Code(rawValue: "rpc.error")

        /// Whether the code is a connection failure (`connect.*`, and `auth.*`: the server would not talk).
        public var isConnectionFailure: Bool { rawValue.hasPrefix("connect.") || rawValue.hasPrefix("auth.") }
        /// Whether the server wants (other) credentials: `auth.*` (SPEC §9).
        public var isAuthorizationFailure: Bool { rawValue.hasPrefix("auth.") }
        /// Whether the connection is gone after this failure (a connection failure, or the server exited
        /// under a call), so the next request must reconnect.
        public var losesConnection: Bool { isConnectionFailure || self == .serverExited }
    }

    /// The code; compare on this.
    public let code: Code
    /// What happened, for a person.
    public let message: String
    /// The server's JSON-RPC error object, for ``Code/rpcError`` (also parsed from an HTTP error body).
    public let rpcError: RPCErrorObject?
    /// The HTTP status, for ``Code/httpStatus``.
    public let httpStatus: Int?
    /// The HTTP response's headers (names lower-cased) for an `auth.*` failure: the `WWW-Authenticate`
    /// challenge and any identity evidence sent with the `401` (SPEC §9 steps 1 and 7); empty otherwise.
    public let httpHeaders: [(name: String, value: String)]

    /// Creates an error.
    public init(
        _ code: Code, _ message: String, rpcError: RPCErrorObject? = nil, httpStatus: Int? = nil,
        httpHeaders: [(name: String, value: String)] = []
    ) {
        self.code = code
        self.message = message
        self.rpcError = rpcError
        self.httpStatus = httpStatus
        self.httpHeaders = httpHeaders
    }

    /// The value of the first response header called `name` (lower case).
    public func httpHeader(_ name: String) -> String? {
        httpHeaders.first { $0.name == name }?.value
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

/// A JSON-RPC error object as the server sent it.
public struct RPCErrorObject: Error, Sendable, Hashable {
    /// The numeric code.
    public let code: Int64
    /// The message.
    public let message: String
    /// The `data` member, untouched.
    public let data: JSONValue?

    /// Creates an error object.
    public init(code: Int64, message: String, data: JSONValue?) {
        self.code = code
        self.message = message
        self.data = data
    }
}
