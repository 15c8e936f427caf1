/// Tokens for non-interactive use (audit, call, run, proxy and the host's connect): the stored token, refreshed
/// when it is expired (or within the 30 s margin) or when the server rejected it with a 401.
///
/// A refresh is done under the store's lock: the store is re-read inside the lock, and if another process
/// already rotated the token (the stored access token differs from the one held) that token is used instead of
/// refreshing again; the rotated refresh token is written before the lock is released (when the server returns
/// no new refresh token the old one is kept). A refresh refused with `invalid_grant` removes the token from the
/// store and throws `auth.required`.
public struct TokenProvider: Sendable {
    private let store: TokenStore
    private let fetch: OAuthFetch
    private let now: @Sendable () -> Double

    /// A provider over `store`, refreshing through `fetch`, reading the time from `now` (seconds since 1970).
    public init(store: TokenStore, fetch: @escaping OAuthFetch, now: @escaping @Sendable () -> Double) {
        self.store = store
        self.fetch = fetch
        self.now = now
    }

    /// The access token to send to `serverURL`, nil when none is stored (or an expired one cannot be refreshed
    /// for want of a refresh token).
    /// - Throws: `auth.required` when the refresh token was refused; `auth.failed` for an unusable store or a
    ///   failed refresh (the token stays stored).
    public func accessToken(forServer serverURL: String) async throws(OAuthError) -> String? {
        guard let token = try store.read().token(forServer: serverURL) else { return nil }
        guard token.isExpired(at: now()) else { return token.accessToken }
        return try await refresh(serverURL: serverURL, held: token.accessToken)
    }

    /// After a 401 to `rejected`: a refreshed (or another process's newer) token, nil when none can be had.
    /// - Throws: as ``accessToken(forServer:)``.
    public func accessTokenAfterRejection(forServer serverURL: String, rejected: String) async throws(OAuthError)
        -> String?
    {
        try await refresh(serverURL: serverURL, held: rejected)
    }

    /// Refreshes the token of `serverURL` under the lock, unless the stored one is no longer `held`.
    private func refresh(serverURL: String, held: String) async throws(OAuthError) -> String? {
        let fetch = fetch
        let now = now
        let outcome: Result<String?, OAuthError> = try await store.updateAsync { contents async throws(OAuthError) in
            guard let current = contents.token(forServer: serverURL) else { return .success(nil) }
            if current.accessToken != held, !current.isExpired(at: now()) { return .success(current.accessToken) }
            guard let refreshToken = current.refreshToken else { return .success(nil) }
            let endpoint = TokenEndpoint(url: current.tokenEndpoint, fetch: fetch)
            let client = TokenEndpoint.Client(
                id: current.clientId, secret: current.clientSecret, authMethod: current.tokenEndpointAuthMethod)
            let grant: TokenEndpoint.Grant
            do throws(TokenEndpoint.Refusal) {
                grant = try await endpoint.request(
                    [("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("resource", current.resource)],
                    client: client
                )
            } catch {
                guard error.error == "invalid_grant" else { throw error.oauthError }
                contents.removeTokens(forServer: serverURL)
                // Written by updateAsync before the lock is released; the error is reported after that.
                return .failure(
                    OAuthError(
                        .required,
                        "the refresh token for \(serverURL) was refused (invalid_grant) and removed; log in again with "
                            + "`gatehouse auth login`"
                    )
                )
            }
            var renewed = current
            renewed.accessToken = grant.accessToken
            renewed.tokenType = grant.tokenType
            renewed.refreshToken = grant.refreshToken ?? refreshToken
            renewed.scopes = grant.scopes ?? current.scopes
            renewed.obtainedAt = now()
            renewed.expiresAt = grant.expiresIn.map { renewed.obtainedAt + $0 }
            contents.upsert(renewed)
            return .success(grant.accessToken)
        }
        return try outcome.get()
    }
}
