import CurlHTTP
import StrictJSON

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

    /// The error for an HTTP response outside 2xx: `auth.required` for a `401` that asks for a bearer token
    /// (`WWW-Authenticate: Bearer …`), `auth.insufficient_scope` for a `403` with
    /// `error="insufficient_scope"` (SPEC §9), else `connect.http_status`; the body's JSON-RPC error is kept.
    static func httpFailure(status: Int, headers: [(name: String, value: String)], body: [UInt8]) -> MCPClientError {
        let rpc = (try? JSONParser().parse(body)).flatMap(JSONRPCMessage.init).flatMap { message -> RPCErrorObject? in
            if case .errorResponse(_, let object) = message { return object }
            return nil
        }
        let lowered = headers.map { (name: $0.name.lowercased(), value: $0.value) }
        let challenge = lowered.first { $0.name == "www-authenticate" }?.value ?? ""
        let bearer = challenge.lowercased().hasPrefix("bearer")
        if status == 401, bearer {
            return MCPClientError(
                .authRequired, "HTTP 401: the server requires an OAuth login (WWW-Authenticate: Bearer)",
                rpcError: rpc, httpStatus: status, httpHeaders: lowered
            )
        }
        if status == 403, bearer, challenge.lowercased().contains("insufficient_scope") {
            return MCPClientError(
                .insufficientScope, "HTTP 403: the token's scopes are not enough (insufficient_scope)", rpcError: rpc,
                httpStatus: status, httpHeaders: lowered
            )
        }
        let excerpt = String(decoding: body.prefix(200), as: UTF8.self)
        return MCPClientError(.httpStatus, "HTTP \(status): \(excerpt)", rpcError: rpc, httpStatus: status)
    }

    /// The error for a transfer that failed with `error`; `context` prefixes the message.
    static func error(_ error: HTTPError, context: String? = nil) -> MCPClientError {
        MCPClientError(code(for: error), context.map { "\($0): \(error.message)" } ?? error.message)
    }
}
