/// A server's OAuth settings from the profile (mirrors the host's `ServerAuth`).
public struct OAuthClientSettings: Sendable, Hashable, CustomStringConvertible {
    /// A pre-registered client id (`auth.clientId`).
    public var clientId: String?
    /// Its secret, for a confidential client (`auth.clientSecret`).
    public var clientSecret: String?
    /// The URL of a Client ID Metadata Document (`auth.clientMetadataUrl`): https, or http on loopback.
    public var clientMetadataUrl: String?
    /// Scopes used when neither the challenge nor the protected resource names any (`auth.scopes`).
    public var scopes: [String]

    /// Creates settings; every field is optional.
    public init(
        clientId: String? = nil, clientSecret: String? = nil, clientMetadataUrl: String? = nil, scopes: [String] = []
    ) {
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.clientMetadataUrl = clientMetadataUrl
        self.scopes = scopes
    }

    /// The settings with the secret only as its fingerprint.
    public var description: String {
        "client \(clientId ?? "(none)")" + (clientSecret.map { " secret \(OAuthError.fingerprint($0))" } ?? "")
            + (clientMetadataUrl.map { " metadata document \($0)" } ?? "")
            + " scopes [\(scopes.joined(separator: " "))]"
    }
}
