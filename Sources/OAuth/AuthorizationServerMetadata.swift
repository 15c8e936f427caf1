import StrictJSON

/// The authorization server metadata (RFC 8414 §2, or OpenID Connect discovery) after SPEC §9 step 2's checks.
public struct AuthorizationServerMetadata: Sendable, Hashable {
    /// `issuer`, equal to the issuer the document's URL was built from.
    public let issuer: String
    /// `authorization_endpoint` (https, or http on loopback).
    public let authorizationEndpoint: String
    /// `token_endpoint` (https, or http on loopback), on the issuer's origin.
    public let tokenEndpoint: String
    /// `registration_endpoint` (RFC 7591), when offered.
    public let registrationEndpoint: String?
    /// `scopes_supported`, when listed.
    public let scopesSupported: [String]?
    /// `code_challenge_methods_supported`; always contains `S256`.
    public let codeChallengeMethods: [String]
    /// `client_id_metadata_document_supported` (false when absent).
    public let clientIdMetadataDocumentSupported: Bool
    /// `authorization_response_iss_parameter_supported` (RFC 9207; false when absent).
    public let authorizationResponseIssParameterSupported: Bool
    /// `token_endpoint_auth_methods_supported`; RFC 8414's default `["client_secret_basic"]` when absent.
    public let tokenEndpointAuthMethods: [String]

    /// Creates metadata from already checked values.
    public init(
        issuer: String, authorizationEndpoint: String, tokenEndpoint: String, registrationEndpoint: String? = nil,
        scopesSupported: [String]? = nil, codeChallengeMethods: [String] = ["S256"],
        clientIdMetadataDocumentSupported: Bool = false,
        authorizationResponseIssParameterSupported: Bool = false,
        tokenEndpointAuthMethods: [String] = ["client_secret_basic"]
    ) {
        self.issuer = issuer
        self.authorizationEndpoint = authorizationEndpoint
        self.tokenEndpoint = tokenEndpoint
        self.registrationEndpoint = registrationEndpoint
        self.scopesSupported = scopesSupported
        self.codeChallengeMethods = codeChallengeMethods
        self.clientIdMetadataDocumentSupported = clientIdMetadataDocumentSupported
        self.authorizationResponseIssParameterSupported = authorizationResponseIssParameterSupported
        self.tokenEndpointAuthMethods = tokenEndpointAuthMethods
    }

    /// Reads and checks the document fetched from `url` for `expectedIssuer`.
    /// - Throws: `auth.failed` for a different `issuer` (plain string comparison), a missing or insecure
    ///   endpoint, a `token_endpoint` on another origin than the issuer's (it would receive the code, the
    ///   verifier, the client secret and every refresh token: docs/decisions.md), or a
    ///   `code_challenge_methods_supported` that is absent or lacks `S256`.
    init(_ object: JSONObject, url: String, expectedIssuer: String) throws(OAuthError) {
        guard let issuer = object["issuer"]?.stringValue else {
            throw .failed("the authorization server metadata at \(url) has no issuer")
        }
        guard issuer == expectedIssuer else {
            throw .failed(
                "the authorization server metadata at \(url) names issuer \(issuer.prefix(200)), not \(expectedIssuer)")
        }
        func endpoint(_ key: String, required: Bool) throws(OAuthError) -> String? {
            guard let value = object[key] else {
                if required { throw .failed("the authorization server metadata at \(url) has no \(key)") }
                return nil
            }
            guard let text = value.stringValue else { throw .failed("\(key) at \(url) is not a string") }
            _ = try OAuthURL.endpoint(text, what: "\(key) of \(issuer)")
            return text
        }
        let tokenEndpoint = try endpoint("token_endpoint", required: true) ?? ""
        if let tokenOrigin = OAuthURL(tokenEndpoint)?.origin, tokenOrigin != OAuthURL(issuer)?.origin {
            throw .failed(
                "the token_endpoint of \(issuer) is on another origin (\(tokenOrigin.prefix(200))): the code and tokens would leave the issuer; refused")
        }
        guard let methods = Self.strings(object["code_challenge_methods_supported"]) else {
            throw .failed(
                "\(issuer) lists no code_challenge_methods_supported, so PKCE S256 cannot be assumed; refused")
        }
        guard methods.contains("S256") else {
            throw .failed(
                "\(issuer) does not support PKCE S256 (code_challenge_methods_supported: \(methods.joined(separator: ", ")))"
            )
        }
        self.init(
            issuer: issuer,
            authorizationEndpoint: try endpoint("authorization_endpoint", required: true) ?? "",
            tokenEndpoint: tokenEndpoint,
            registrationEndpoint: try endpoint("registration_endpoint", required: false),
            scopesSupported: Self.strings(object["scopes_supported"]),
            codeChallengeMethods: methods,
            clientIdMetadataDocumentSupported: object["client_id_metadata_document_supported"]?.boolValue ?? false,
            authorizationResponseIssParameterSupported: object["authorization_response_iss_parameter_supported"]?
                .boolValue ?? false,
            tokenEndpointAuthMethods: Self.strings(object["token_endpoint_auth_methods_supported"]) ?? [
                "client_secret_basic"
            ]
        )
    }

    /// The strings of a JSON array of strings, nil when absent or not an array (non-strings are skipped).
    static func strings(_ value: JSONValue?) -> [String]? {
        value?.arrayValue?.compactMap(\.stringValue)
    }
}
