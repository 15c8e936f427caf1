import CurlHTTP
import StrictJSON

/// Dynamic client registration (RFC 7591) of Gatehouse as a native public client.
enum ClientRegistration {
    /// The client name sent.
    static let clientName = "Gatehouse"

    /// The registration request: `application_type` `native` (OIDC would default to `web`, which refuses loopback
    /// redirects), the one loopback `redirect_uri`, no client authentication (a PKCE public client), the
    /// authorization code and refresh token grants, and `scope` when there are scopes.
    static func requestBody(redirectURI: String, scopes: [String]) -> [UInt8] {
        var object: JSONObject = [
            "client_name": .string(clientName),
            "redirect_uris": [.string(redirectURI)],
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
            "token_endpoint_auth_method": "none",
            "application_type": "native",
        ]
        if !scopes.isEmpty { object["scope"] = .string(scopes.joined(separator: " ")) }
        return JSONSerializer.bytes(.object(object))
    }

    /// Registers at `endpoint` for `issuer`.
    /// - Throws: `auth.failed` when the server refuses or answers without a `client_id`.
    static func register(
        at endpoint: String, issuer: String, redirectURI: String, scopes: [String], fetch: OAuthFetch
    ) async throws(OAuthError) -> StoredClient {
        _ = try OAuthURL.endpoint(endpoint, what: "the registration endpoint")
        let request = OAuthHTTP.post(
            endpoint, contentType: "application/json", body: requestBody(redirectURI: redirectURI, scopes: scopes))
        let response = try await OAuthHTTP.send(request, with: fetch, what: "client registration")
        guard response.status == 201 || response.status == 200 else {
            throw .failed("client registration at \(endpoint) answered HTTP \(response.status)")
        }
        let object = try OAuthHTTP.object(response, url: endpoint, what: "the registration response")
        guard let clientId = object["client_id"]?.stringValue, !clientId.isEmpty else {
            throw .failed("the registration response from \(endpoint) has no client_id")
        }
        let redirects = AuthorizationServerMetadata.strings(object["redirect_uris"]) ?? [redirectURI]
        return StoredClient(
            issuer: issuer, clientId: clientId, clientSecret: object["client_secret"]?.stringValue,
            redirectURIs: redirects.isEmpty ? [redirectURI] : redirects, kind: "dynamic"
        )
    }
}
