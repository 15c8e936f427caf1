import CurlHTTP
import StrictJSON

/// RFC 9728 + RFC 8414/OIDC discovery in SPEC §9 steps 1-2 order, with every check there.
///
/// 1. Protected resource metadata: the challenge's `resource_metadata` (when given), then
///    `/.well-known/oauth-protected-resource` with the server's path inserted, then at the root. Its
///    `resource` must equal the server URL in ``CanonicalURL`` form, and it must name an authorization server.
/// 2. Authorization server metadata for the first of `authorization_servers`: for an issuer with a path
///    `/.well-known/oauth-authorization-server/<path>`, `/.well-known/openid-configuration/<path>`,
///    `<path>/.well-known/openid-configuration`; without one `/.well-known/oauth-authorization-server`,
///    then `/.well-known/openid-configuration`.
///
/// A 404 moves to the next candidate URL; every other failure is `auth.failed` at once — in particular a
/// document naming a different issuer is refused rather than tried past. Every URL fetched and every endpoint
/// must be https (or http on loopback). Responses are bounded at 1 MiB and 10 s.
public struct AuthorizationDiscovery: Sendable {
    private let fetch: OAuthFetch

    /// Discovery through `fetch`.
    public init(fetch: @escaping OAuthFetch) {
        self.fetch = fetch
    }

    /// Finds and checks the authorization server of `serverURL`.
    /// - Throws: `auth.failed` naming the step that failed.
    public func discover(serverURL: String, challenge: BearerChallenge?) async throws(OAuthError)
        -> DiscoveredAuthorization
    {
        guard let server = OAuthURL(serverURL) else { throw .failed("\(serverURL.prefix(200)) is not an http(s) URL") }
        var candidates = Self.protectedResourceURLs(server)
        if let given = challenge?.resourceMetadata {
            _ = try OAuthURL.endpoint(given, what: "the resource_metadata URL")
            candidates.insert(given, at: 0)
        }
        let (url, resourceDocument) = try await firstDocument(candidates, what: "protected resource metadata")
        guard let resource = resourceDocument["resource"]?.stringValue else {
            throw .failed("the protected resource metadata at \(url) has no resource")
        }
        guard CanonicalURL.same(resource, serverURL) else {
            throw .failed(
                "the protected resource metadata at \(url) is for \(resource.prefix(200)), not \(server.canonical)")
        }
        guard let issuer = AuthorizationServerMetadata.strings(resourceDocument["authorization_servers"])?.first else {
            throw .failed("the protected resource metadata at \(url) names no authorization server")
        }
        let issuerURL = try OAuthURL.endpoint(issuer, what: "the authorization server")
        let (metadataURL, metadataDocument) = try await firstDocument(
            Self.authorizationServerURLs(issuerURL), what: "authorization server metadata for \(issuer)"
        )
        let metadata = try AuthorizationServerMetadata(metadataDocument, url: metadataURL, expectedIssuer: issuer)
        let scopes =
            challenge?.scopes ?? AuthorizationServerMetadata.strings(resourceDocument["scopes_supported"]) ?? []
        return DiscoveredAuthorization(resource: resource, issuer: issuer, metadata: metadata, scopes: scopes)
    }

    /// The protected resource metadata URLs of `server` (RFC 9728 §3.1 path insertion, then the root).
    static func protectedResourceURLs(_ server: OAuthURL) -> [String] {
        let root = server.origin + "/.well-known/oauth-protected-resource"
        let path = server.insertablePath
        return path.isEmpty ? [root] : [root + path, root]
    }

    /// The authorization server metadata URLs of `issuer`, in the MCP specification's order.
    static func authorizationServerURLs(_ issuer: OAuthURL) -> [String] {
        let origin = issuer.origin
        let path = issuer.insertablePath
        if path.isEmpty {
            return [origin + "/.well-known/oauth-authorization-server", origin + "/.well-known/openid-configuration"]
        }
        return [
            origin + "/.well-known/oauth-authorization-server" + path,
            origin + "/.well-known/openid-configuration" + path,
            origin + path + "/.well-known/openid-configuration",
        ]
    }

    /// The first of `urls` that answers with something other than 404, which must be a 200 JSON object.
    private func firstDocument(_ urls: [String], what: String) async throws(OAuthError) -> (String, JSONObject) {
        for url in urls {
            let response = try await OAuthHTTP.send(OAuthHTTP.get(url), with: fetch, what: what)
            if response.status == 404 { continue }
            guard response.status == 200 else {
                throw .failed("\(what) at \(url) answered HTTP \(response.status)")
            }
            return (url, try OAuthHTTP.object(response, url: url, what: what))
        }
        throw .failed("no \(what) was found (tried \(urls.joined(separator: ", ")))")
    }
}

/// What discovery found for one server.
public struct DiscoveredAuthorization: Sendable {
    /// The protected resource metadata's `resource` (the server URL in canonical form); sent as RFC 8707 `resource`.
    public let resource: String
    /// The authorization server's issuer.
    public let issuer: String
    /// The checked authorization server metadata.
    public let metadata: AuthorizationServerMetadata
    /// The challenge's `scope`, else the protected resource's `scopes_supported`, else empty (the caller then
    /// uses the profile's `auth.scopes`).
    public let scopes: [String]

    /// Creates a result from checked parts.
    public init(resource: String, issuer: String, metadata: AuthorizationServerMetadata, scopes: [String]) {
        self.resource = resource
        self.issuer = issuer
        self.metadata = metadata
        self.scopes = scopes
    }
}
