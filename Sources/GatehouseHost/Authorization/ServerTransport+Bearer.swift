import MCPClient

extension ServerTransport {
    /// Whether the profile already sends an `Authorization` header of its own (a static token): then
    /// OAuth tokens are not attached.
    var hasAuthorizationHeader: Bool {
        switch self {
        case .stdio: false
        case .streamableHTTP(_, let headers), .legacySSE(_, let headers):
            headers.keys.contains { $0.lowercased() == "authorization" }
        }
    }

    /// The same transport sending `Authorization: Bearer <token>` on every request.
    func bearing(_ token: String) -> ServerTransport {
        switch self {
        case .stdio:
            return self
        case .streamableHTTP(let url, var headers):
            headers["Authorization"] = "Bearer " + token
            return .streamableHTTP(url: url, headers: headers)
        case .legacySSE(let url, var headers):
            headers["Authorization"] = "Bearer " + token
            return .legacySSE(url: url, headers: headers)
        }
    }
}
