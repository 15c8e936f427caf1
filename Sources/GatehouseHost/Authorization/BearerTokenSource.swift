public import MCPClient

/// Where the host gets the OAuth access token for an HTTP server that requires a login (SPEC §9): the
/// token store, refreshed when due. The front end supplies it (the OAuth module's token provider); the host
/// only attaches what it is given, so it never runs a login itself — non-interactive commands then report
/// `auth.required`, and interactive ones log in and reconnect.
public protocol BearerTokenSource: Sendable {
    /// The access token to send to the server at `serverURL`, nil when none is stored.
    /// - Throws: ``MCPClientError`` with an `auth.*` code (the store is unreadable, a refresh failed).
    func accessToken(forServer serverURL: String) async throws(MCPClientError) -> String?

    /// After the server refused `rejected` with a `401`: a refreshed token (or one another process stored
    /// meanwhile), nil when none can be had.
    /// - Throws: ``MCPClientError`` with an `auth.*` code.
    func accessTokenAfterRejection(forServer serverURL: String, rejected: String) async throws(MCPClientError) -> String?
}
