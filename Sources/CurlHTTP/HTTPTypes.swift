/// One HTTP request.
public struct HTTPRequest: Sendable {
    /// `GET` or `POST`.
    public var method: String
    /// An `http://` or `https://` URL; other schemes are refused.
    public var url: String
    /// Request headers, sent in order.
    public var headers: [(name: String, value: String)]
    /// The body of a POST.
    public var body: [UInt8]?
    /// Seconds allowed for the TCP/TLS connection.
    public var connectTimeout: Double
    /// Seconds allowed for the whole exchange (a slow-loris server is cut off here).
    public var totalTimeout: Double
    /// The largest response body accepted; a larger one fails with ``HTTPError/Kind/tooLarge``.
    public var maximumResponseBytes: Int

    /// Creates a request. Redirects are never followed.
    public init(
        method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil,
        connectTimeout: Double = 5, totalTimeout: Double = 10, maximumResponseBytes: Int = 1024 * 1024
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maximumResponseBytes = maximumResponseBytes
    }
}

/// One HTTP response.
public struct HTTPResponse: Sendable {
    /// The status code of the final response.
    public let status: Int
    /// Response headers of the final response, names lower-cased, in order.
    public let headers: [(name: String, value: String)]
    /// The body.
    public let body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name == wanted }?.value
    }
}

/// Why a request produced no response.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: String, Sendable {
        case invalidURL = "http.invalid_url"
        /// Nothing accepted the connection.
        case refused = "http.refused"
        /// The host name did not resolve.
        case unresolved = "http.unresolved"
        /// The TLS handshake or the certificate check failed.
        case tls = "http.tls"
        /// The peer closed or reset the connection before a complete response.
        case closed = "http.closed"
        case timeout = "http.timeout"
        case tooLarge = "http.too_large"
        case transport = "http.transport"
    }

    /// The kind; compare on this.
    public let kind: Kind
    /// A human explanation.
    public let message: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
