/// What the token store holds: the tokens, keyed by (server URL, issuer), and the registered clients, keyed by
/// issuer (and redirect URI).
public struct TokenStoreContents: Sendable, Hashable {
    /// The stored tokens.
    public var tokens: [StoredToken]
    /// The registered clients.
    public var clients: [StoredClient]

    /// Contents holding `tokens` and `clients`.
    public init(tokens: [StoredToken] = [], clients: [StoredClient] = []) {
        self.tokens = tokens
        self.clients = clients
    }

    /// The token for `serverURL` (compared in ``CanonicalURL`` form); of several issuers, the newest.
    public func token(forServer serverURL: String) -> StoredToken? {
        tokens.filter { CanonicalURL.same($0.serverURL, serverURL) }.max { $0.obtainedAt < $1.obtainedAt }
    }

    /// Adds `token`, replacing any for the same server URL and issuer.
    public mutating func upsert(_ token: StoredToken) {
        tokens.removeAll { CanonicalURL.same($0.serverURL, token.serverURL) && $0.issuer == token.issuer }
        tokens.append(token)
    }

    /// Removes the tokens of `serverURL` (every issuer); returns how many.
    @discardableResult
    public mutating func removeTokens(forServer serverURL: String) -> Int {
        let before = tokens.count
        tokens.removeAll { CanonicalURL.same($0.serverURL, serverURL) }
        return before - tokens.count
    }

    /// A client registered at `issuer` whose redirect URIs accept `redirectURI` (see ``StoredClient/accepts(redirectURI:)``).
    public func client(forIssuer issuer: String, redirectURI: String) -> StoredClient? {
        clients.last { $0.issuer == issuer && $0.accepts(redirectURI: redirectURI) }
    }

    /// The loopback ports the registered clients were given, newest first: a login's listener tries them
    /// before an OS-chosen port, so the registration is reused (``LoopbackListener/init(preferredPorts:)``).
    public var registeredLoopbackPorts: [UInt16] {
        var seen = Set<UInt16>()
        return clients.reversed().flatMap(\.loopbackPorts).filter { seen.insert($0).inserted }
    }

    /// Adds `client`, replacing any at the same issuer with the same redirect URIs.
    public mutating func upsert(_ client: StoredClient) {
        clients.removeAll { $0.issuer == client.issuer && $0.redirectURIs == client.redirectURIs }
        clients.append(client)
    }
}
