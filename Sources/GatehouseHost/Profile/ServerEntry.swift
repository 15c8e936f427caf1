public import MCPClient

/// One server entry of a profile.
public struct ServerEntry: Sendable, Hashable {
    /// The name (`weather` in `weather.get_forecast`).
    public var name: String
    /// The file it came from.
    public var source: String
    /// How to reach it.
    public var transport: ServerTransport
    /// Its `trust` overrides.
    public var trust: ServerTrust
    /// Its time limits.
    public var timeouts: Timeouts
    /// Its OAuth settings (SPEC §9, profile `auth`).
    public var auth = ServerAuth()

    /// The endpoint as reported everywhere and as the trust store's key: the profile's unexpanded command line
    /// or URL, without URL user-info (``EndpointText``).
    public var endpoint: String

    /// What versions before ``EndpointText`` reported and keyed the trust store by: the expanded command line
    /// or URL, secrets included. Used only to find (and re-key) such trust store records.
    public var legacyEndpoint: String {
        switch transport {
        case .stdio(let specification): ([specification.command] + specification.arguments).joined(separator: " ")
        case .streamableHTTP(let url, _), .legacySSE(let url, _): url
        }
    }

    /// The HTTP URL, for HTTP transports.
    public var url: String? {
        switch transport {
        case .stdio: nil
        case .streamableHTTP(let url, _), .legacySSE(let url, _): url
        }
    }
}

/// A server's OAuth settings (SPEC §9): `"auth": false` turns OAuth off (a `401` is then
/// `connect.http_status`); an object names a pre-registered client, a Client ID Metadata Document and
/// scopes.
public struct ServerAuth: Sendable, Hashable {
    /// False for `"auth": false`.
    public var enabled = true
    /// `auth.clientId`: a pre-registered client.
    public var clientID: String?
    /// `auth.clientSecret`, with the pre-registered client (never printed).
    public var clientSecret: String?
    /// `auth.clientMetadataUrl`: the client's Client ID Metadata Document.
    public var clientMetadataURL: String?
    /// `auth.scopes`: scopes to ask for when the server names none.
    public var scopes: [String] = []

    /// Defaults: OAuth on, nothing pre-registered.
    public init() {}
}
