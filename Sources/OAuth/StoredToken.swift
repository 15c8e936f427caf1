/// One stored token set: for one server URL and one authorization server issuer.
///
/// - Important: `accessToken`, `refreshToken` and `clientSecret` are secrets: they are written only to the
///   token store and sent only to the server's origin and `tokenEndpoint`; `description` never shows them.
public struct StoredToken: Sendable, Hashable, CustomStringConvertible {
    /// The server URL as the profile gives it (compared in ``CanonicalURL`` form).
    public var serverURL: String
    /// The authorization server's issuer.
    public var issuer: String
    /// The RFC 8707 `resource` the token was requested for.
    public var resource: String
    /// Where the token is refreshed.
    public var tokenEndpoint: String
    /// The client the token was issued to.
    public var clientId: String
    /// The client secret of a confidential client, kept so that the token can be refreshed.
    public var clientSecret: String?
    /// How the client authenticates at the token endpoint: `none`, `client_secret_basic` or `client_secret_post`.
    public var tokenEndpointAuthMethod: String
    /// The access token.
    public var accessToken: String
    /// The refresh token, when the authorization server issued one.
    public var refreshToken: String?
    /// The token type (`Bearer`).
    public var tokenType: String
    /// The granted scopes.
    public var scopes: [String]
    /// When the access token expires, seconds since 1970; nil when the server gave no `expires_in`.
    public var expiresAt: Double?
    /// When the token was obtained, seconds since 1970.
    public var obtainedAt: Double

    /// Creates a token record.
    public init(
        serverURL: String, issuer: String, resource: String, tokenEndpoint: String, clientId: String,
        clientSecret: String? = nil,
        tokenEndpointAuthMethod: String = "none", accessToken: String, refreshToken: String? = nil,
        tokenType: String = "Bearer",
        scopes: [String] = [], expiresAt: Double? = nil, obtainedAt: Double
    ) {
        self.serverURL = serverURL
        self.issuer = issuer
        self.resource = resource
        self.tokenEndpoint = tokenEndpoint
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.tokenEndpointAuthMethod = tokenEndpointAuthMethod
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.tokenType = tokenType
        self.scopes = scopes
        self.expiresAt = expiresAt
        self.obtainedAt = obtainedAt
    }

    /// True when the token has expired at `now` or will within `margin` seconds; a token without an expiry never is.
    public func isExpired(at now: Double, margin: Double = 30) -> Bool {
        guard let expiresAt else { return false }
        return now + margin >= expiresAt
    }

    /// The server, issuer, scopes and expiry, with the access token only as its ``OAuthError/fingerprint(_:)``.
    public var description: String {
        "token \(OAuthError.fingerprint(accessToken)) for \(serverURL) from \(issuer), scopes [\(scopes.joined(separator: " "))]"
            + (expiresAt.map { ", expires at \(Int($0))" } ?? "")
    }
}

/// A registered client, kept per authorization server issuer (and redirect URI) and reused.
public struct StoredClient: Sendable, Hashable, CustomStringConvertible {
    /// The authorization server's issuer.
    public var issuer: String
    /// The client identifier.
    public var clientId: String
    /// The client secret, when the registration returned one.
    public var clientSecret: String?
    /// The redirect URIs registered.
    public var redirectURIs: [String]
    /// `dynamic` (RFC 7591) or `metadata-document` (a Client ID Metadata Document).
    public var kind: String

    /// Creates a client record.
    public init(issuer: String, clientId: String, clientSecret: String? = nil, redirectURIs: [String], kind: String) {
        self.issuer = issuer
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.redirectURIs = redirectURIs
        self.kind = kind
    }

    /// True when one of the registered redirect URIs equals `redirectURI`, port included: RFC 8252 §7.3 lets
    /// a loopback port vary, but authorization servers that compare exactly (the MCP SDK's) refuse another
    /// port, so a different port registers again (docs/decisions.md).
    public func accepts(redirectURI: String) -> Bool {
        guard let wanted = OAuthURL(redirectURI) else { return false }
        return redirectURIs.contains { registered in
            guard let url = OAuthURL(registered) else { return false }
            return url.scheme == wanted.scheme && url.host == wanted.host && url.path == wanted.path
                && url.query == wanted.query && url.port == wanted.port
        }
    }

    /// The ports of the registered `http://127.0.0.1:<port>/…` redirect URIs.
    public var loopbackPorts: [UInt16] {
        redirectURIs.compactMap { OAuthURL($0) }.filter { $0.scheme == "http" && $0.host == "127.0.0.1" }
            .compactMap { $0.port.flatMap { UInt16(exactly: $0) } }
    }

    /// The issuer, client id and kind; never the secret.
    public var description: String { "\(kind) client \(clientId) at \(issuer)" }
}
