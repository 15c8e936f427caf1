/// The interactive flow, SPEC §9 steps 3-6: discovery, the client identity, PKCE S256 with `state` and
/// `resource`, and the code exchange, stored before returning.
///
/// Client identity, in order: `settings.clientId` (with its optional secret); a Client ID Metadata Document
/// (`settings.clientMetadataUrl`) when the server advertises `client_id_metadata_document_supported`; a client
/// already registered at this issuer for the loopback redirect URI; dynamic registration (RFC 7591, see
/// ``ClientRegistration``), stored per issuer. None of these is `auth.failed`.
public struct LoginFlow: Sendable {
    private let serverURL: String
    private let settings: OAuthClientSettings
    private let store: TokenStore
    private let fetch: OAuthFetch
    private let now: @Sendable () -> Double

    /// A login to `serverURL` with the profile's `settings`, storing into `store`.
    public init(
        serverURL: String, settings: OAuthClientSettings, store: TokenStore, fetch: @escaping OAuthFetch,
        now: @escaping @Sendable () -> Double
    ) {
        self.serverURL = serverURL
        self.settings = settings
        self.store = store
        self.fetch = fetch
        self.now = now
    }

    /// Discovery, the client identity and the URL to open; nothing is sent to the authorization endpoint yet.
    /// `listener` is told the `state` and issuer to expect. `extraScopes` (a `403 insufficient_scope` step-up)
    /// are added to the scopes.
    /// - Throws: `auth.failed`.
    public func prepare(challenge: BearerChallenge?, listener: LoopbackListener, extraScopes: [String] = [])
        async throws(OAuthError) -> PreparedLogin
    {
        let discovered = try await AuthorizationDiscovery(fetch: fetch).discover(
            serverURL: serverURL, challenge: challenge)
        let metadata = discovered.metadata
        var scopes = discovered.scopes.isEmpty ? settings.scopes : discovered.scopes
        for scope in extraScopes where !scopes.contains(scope) { scopes.append(scope) }
        let redirectURI = listener.redirectURI
        let client = try await clientIdentity(metadata, redirectURI: redirectURI, scopes: scopes)
        let verifier = try PKCE.makeVerifier()
        let state = try PKCE.makeState()
        var query: [(String, String)] = [
            ("response_type", "code"), ("client_id", client.id), ("redirect_uri", redirectURI),
            ("code_challenge", PKCE.challenge(for: verifier)), ("code_challenge_method", "S256"), ("state", state),
            ("resource", discovered.resource),
        ]
        if !scopes.isEmpty { query.append(("scope", scopes.joined(separator: " "))) }
        let endpoint = metadata.authorizationEndpoint
        let separator = endpoint.contains("?") ? "&" : "?"
        let authorizationURL = endpoint + separator + FormEncoding.encode(query)
        try BrowserOpener.check(authorizationURL)
        let expectation = CallbackExpectation(
            state: state, issuer: discovered.issuer,
            issuerParameterRequired: metadata.authorizationResponseIssParameterSupported
        )
        listener.expect(expectation)
        return PreparedLogin(
            plan: LoginPlan(
                serverURL: serverURL, issuer: discovered.issuer, scopes: scopes, authorizationURL: authorizationURL),
            verifier: verifier, expectation: expectation, client: client, redirectURI: redirectURI,
            resource: discovered.resource,
            tokenEndpoint: metadata.tokenEndpoint
        )
    }

    /// Checks the callback (`iss`, `state`, `error`), exchanges the code for tokens and stores them.
    /// - Throws: `auth.failed`.
    public func complete(_ prepared: PreparedLogin, callback: CallbackParameters) async throws(OAuthError)
        -> StoredToken
    {
        let code = try prepared.expectation.code(of: callback)
        let endpoint = TokenEndpoint(url: prepared.tokenEndpoint, fetch: fetch)
        let grant: TokenEndpoint.Grant
        do throws(TokenEndpoint.Refusal) {
            grant = try await endpoint.request(
                [
                    ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", prepared.redirectURI),
                    ("code_verifier", prepared.verifier), ("resource", prepared.resource),
                ],
                client: prepared.client
            )
        } catch {
            throw error.oauthError
        }
        let obtainedAt = now()
        let token = StoredToken(
            serverURL: serverURL, issuer: prepared.plan.issuer, resource: prepared.resource,
            tokenEndpoint: prepared.tokenEndpoint,
            clientId: prepared.client.id, clientSecret: prepared.client.secret,
            tokenEndpointAuthMethod: prepared.client.authMethod,
            accessToken: grant.accessToken, refreshToken: grant.refreshToken, tokenType: grant.tokenType,
            scopes: grant.scopes ?? prepared.plan.scopes, expiresAt: grant.expiresIn.map { obtainedAt + $0 },
            obtainedAt: obtainedAt
        )
        try store.update { contents in contents.upsert(token) }
        return token
    }

    /// The client identity of SPEC §9 step 3.
    private func clientIdentity(
        _ metadata: AuthorizationServerMetadata, redirectURI: String, scopes: [String]
    ) async throws(OAuthError) -> TokenEndpoint.Client {
        let supported = metadata.tokenEndpointAuthMethods
        if let clientId = settings.clientId {
            return .choosing(id: clientId, secret: settings.clientSecret, supported: supported)
        }
        if metadata.clientIdMetadataDocumentSupported, let documentURL = settings.clientMetadataUrl {
            // https, or http on loopback: the rule of every other endpoint in SPEC §9 (docs/decisions.md).
            guard let url = OAuthURL(documentURL), url.isSecureEndpoint, url.insertablePath.count > 0 else {
                throw .failed("auth.clientMetadataUrl \(documentURL.prefix(200)) is not an https URL (or http on loopback) with a path")
            }
            return TokenEndpoint.Client(id: documentURL, secret: nil, authMethod: "none")
        }
        let issuer = metadata.issuer
        if let stored = try store.read().client(forIssuer: issuer, redirectURI: redirectURI) {
            return .choosing(id: stored.clientId, secret: stored.clientSecret, supported: supported)
        }
        guard let registration = metadata.registrationEndpoint else {
            throw .failed(
                "\(issuer) offers no dynamic client registration and no client is configured; set auth.clientId "
                    + "(or auth.clientMetadataUrl when the server supports client ID metadata documents)"
            )
        }
        let client = try await ClientRegistration.register(
            at: registration, issuer: issuer, redirectURI: redirectURI, scopes: scopes, fetch: fetch
        )
        try store.update { contents in contents.upsert(client) }
        return .choosing(id: client.clientId, secret: client.clientSecret, supported: supported)
    }
}
