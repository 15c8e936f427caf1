import CurlHTTP

/// The one mapping from a failed HTTP transfer to a SPEC §7 connection code, used by Streamable HTTP,
/// legacy SSE (its stream and its POSTs) and so by the era probe, whatever the path that met the failure.
///
/// Nothing to talk to (refused, a host name that does not resolve, a TLS handshake or certificate that
/// fails) is `connect.refused`, with libcurl's detail in the message; a transfer that timed out is
/// `connect.timeout`; a peer that accepted and then closed or reset the connection is `connect.closed`.
/// HTTP statuses are `connect.http_status` where the response is read (``HTTPExchange``).
enum ConnectionFailure {
    /// The code for a transfer that failed with `error` before a usable response.
    static func code(for error: HTTPError) -> MCPClientError.Code {
        switch error.kind {
        case .refused, .unresolved, .tls, .invalidURL: .connectRefused
        case .timeout: .connectTimeout
        case .closed, .transport, .tooLarge: .connectClosed
        }
    }

    /// The error for a transfer that failed with `error`; `context` prefixes the message.
    static func error(_ error: HTTPError, context: String? = nil) -> MCPClientError {
        MCPClientError(code(for: error), context.map { "\($0): \(error.message)" } ?? error.message)
    }
}
