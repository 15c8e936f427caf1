import CurlHTTP
import Foundation
import StrictJSON
import Testing

@testable import OAuth

struct LoginFlowTests {
    typealias Server = FakeAuthorizationServer

    struct Setup {
        let server: Server
        let store: TokenStore
        let listener: LoopbackListener
        let flow: LoginFlow

        /// `prepare` without a challenge, and the `state` of its authorization URL.
        func prepared() async throws -> (PreparedLogin, String) {
            let prepared = try await flow.prepare(challenge: nil, listener: listener)
            let state = try #require(LoginFlowTests.query(prepared.plan.authorizationURL)["state"])
            return (prepared, state)
        }
    }

    static func setup(_ server: Server = Server(), settings: OAuthClientSettings = OAuthClientSettings()) throws
        -> Setup
    {
        let store = TokenStore(path: try temporaryDirectory() + "/tokens.json")
        let flow = LoginFlow(
            serverURL: Server.serverURL, settings: settings, store: store, fetch: server.fetch, now: { 5000 })
        return Setup(server: server, store: store, listener: try LoopbackListener(), flow: flow)
    }

    static func query(_ url: String) -> [String: String] {
        CallbackParameters(redirectURL: url)?.values ?? [:]
    }

    @Test("prepare: DCR as a native public client, then an authorization URL with PKCE S256, state, resource and scope")
    func prepare() async throws {
        let setup = try Self.setup()
        defer { setup.listener.close() }
        let prepared = try await setup.flow.prepare(challenge: nil, listener: setup.listener)
        #expect(prepared.plan.serverURL == Server.serverURL)
        #expect(prepared.plan.issuer == Server.issuer)
        #expect(prepared.plan.scopes == ["read"])
        #expect(prepared.plan.authorizationURL.hasPrefix("https://auth.example/authorize?"))
        let query = Self.query(prepared.plan.authorizationURL)
        #expect(query["response_type"] == "code")
        #expect(query["client_id"] == "dyn-client")
        #expect(query["redirect_uri"] == setup.listener.redirectURI)
        #expect(query["code_challenge_method"] == "S256")
        #expect(query["code_challenge"]?.count == 43)
        #expect(query["state"]?.count == 43)
        #expect(query["resource"] == Server.serverURL)
        #expect(query["scope"] == "read")

        let registration = try #require(setup.server.requests(to: "https://auth.example/register").first)
        let body = try JSONParser().parse(registration.body ?? [])
        #expect(body["application_type"]?.stringValue == "native")
        #expect(body["token_endpoint_auth_method"]?.stringValue == "none")
        #expect(body["redirect_uris"] == [.string(setup.listener.redirectURI)])
        #expect(body["grant_types"] == ["authorization_code", "refresh_token"])
        #expect(body["response_types"] == ["code"])
        let clients = try setup.store.read().clients
        #expect(
            clients.map(\.clientId) == ["dyn-client"] && clients.first?.kind == "dynamic"
                && clients.first?.issuer == Server.issuer)
        #expect(setup.server.requests(to: "https://auth.example/authorize").isEmpty)
    }

    @Test(
        "complete: the code, verifier (whose S256 is the challenge), redirect URI and resource reach the token endpoint; the token is stored"
    )
    func complete() async throws {
        let setup = try Self.setup()
        defer { setup.listener.close() }
        let (prepared, state) = try await setup.prepared()
        let query = Self.query(prepared.plan.authorizationURL)
        let token = try await setup.flow.complete(
            prepared, callback: CallbackParameters(query: "code=the-code&state=\(state)&iss=https%3A%2F%2Fauth.example")
        )
        #expect(token.accessToken == "AT-1" && token.refreshToken == "RT-1" && token.tokenType == "Bearer")
        #expect(token.expiresAt == 8600 && token.obtainedAt == 5000)
        #expect(
            token.clientId == "dyn-client" && token.resource == Server.serverURL
                && token.tokenEndpoint == "https://auth.example/token")
        #expect(try setup.store.read().token(forServer: Server.serverURL) == token)

        let request = try #require(setup.server.requests(to: "https://auth.example/token").first)
        #expect(
            request.headers.contains { $0.name == "Content-Type" && $0.value == "application/x-www-form-urlencoded" })
        let form = Server.form(request)
        #expect(form["grant_type"] == "authorization_code")
        #expect(form["code"] == "the-code")
        #expect(form["redirect_uri"] == setup.listener.redirectURI)
        #expect(form["resource"] == Server.serverURL)
        #expect(form["client_id"] == "dyn-client")
        let verifier = try #require(form["code_verifier"])
        let challenge = PKCE.challenge(for: verifier)
        #expect(challenge == query["code_challenge"])
    }

    @Test("a second login listens on the registered port again and reuses the client; on another port it registers again")
    func reusesClient() async throws {
        let setup = try Self.setup()
        _ = try await setup.flow.prepare(challenge: nil, listener: setup.listener)
        let registered = setup.listener.redirectURI
        setup.listener.close()
        let ports = try setup.store.read().registeredLoopbackPorts
        let second = try LoopbackListener(preferredPorts: ports)
        defer { second.close() }
        #expect(second.redirectURI == registered, "the registered port was free, so it is used again")
        let prepared = try await setup.flow.prepare(challenge: nil, listener: second)
        #expect(Self.query(prepared.plan.authorizationURL)["client_id"] == "dyn-client")
        #expect(setup.server.requests(to: "https://auth.example/register").count == 1)
        // The registered port taken (by `second`): an OS-chosen port, and a registration for it.
        let third = try LoopbackListener(preferredPorts: ports)
        defer { third.close() }
        #expect(third.redirectURI != registered)
        _ = try await setup.flow.prepare(challenge: nil, listener: third)
        #expect(setup.server.requests(to: "https://auth.example/register").count == 2)
    }

    @Test(
        "a wrong state, an iss that differs, a missing advertised iss, an error response: auth.failed, no token request"
    )
    func callbackRefusals() async throws {
        let setup = try Self.setup()
        defer { setup.listener.close() }
        let (prepared, state) = try await setup.prepared()
        let iss = "iss=https%3A%2F%2Fauth.example"
        let cases: [(String, String)] = [
            ("code=c&state=wrong&\(iss)", "state"),
            ("code=c&\(iss)", "state"),
            ("code=c&state=\(state)&iss=https%3A%2F%2Fevil.example&error_description=CLICK-HERE", "evil.example"),
            ("code=c&state=\(state)", "no iss"),
            ("state=\(state)&\(iss)&error=access_denied&error_description=user+said+no", "access_denied"),
            ("state=\(state)&\(iss)", "no code"),
        ]
        for (query, expected) in cases {
            do {
                _ = try await setup.flow.complete(prepared, callback: CallbackParameters(query: query))
                Issue.record("\(query) was accepted")
            } catch {
                #expect(error.code == .failed)
                #expect(error.message.contains(expected), "\(error.message)")
                #expect(!error.message.contains("CLICK-HERE"))
            }
        }
        #expect(setup.server.requests(to: "https://auth.example/token").isEmpty)
    }

    @Test("without the iss advertisement a missing iss is accepted, but a differing one is still refused")
    func issNotAdvertised() async throws {
        let setup = try Self.setup(
            Server(metadata: Server.metadataDocument(removing: ["authorization_response_iss_parameter_supported"])))
        defer { setup.listener.close() }
        let (prepared, state) = try await setup.prepared()
        await #expect(throws: OAuthError.self) {
            try await setup.flow.complete(
                prepared, callback: CallbackParameters(query: "code=c&state=\(state)&iss=https%3A%2F%2Fauth.example%2F")
            )
        }
        let token = try await setup.flow.complete(
            prepared, callback: CallbackParameters(query: "code=c&state=\(state)"))
        #expect(token.accessToken == "AT-1")
    }

    @Test("a pre-registered confidential client uses client_secret_basic when supported, else client_secret_post")
    func confidentialClient() async throws {
        let settings = OAuthClientSettings(clientId: "pre id", clientSecret: "s3cret:x")
        for (methods, expectBasic) in [
            (["client_secret_basic", "client_secret_post"], true), (["client_secret_post"], false),
        ] {
            let server = Server(
                metadata: Server.metadataDocument([
                    "token_endpoint_auth_methods_supported": .array(methods.map { .string($0) })
                ]))
            let setup = try Self.setup(server, settings: settings)
            defer { setup.listener.close() }
            let (prepared, state) = try await setup.prepared()
            #expect(Self.query(prepared.plan.authorizationURL)["client_id"] == "pre id")
            let token = try await setup.flow.complete(
                prepared, callback: CallbackParameters(query: "code=c&state=\(state)&iss=https%3A%2F%2Fauth.example"))
            #expect(token.clientSecret == "s3cret:x")
            let request = try #require(server.requests(to: "https://auth.example/token").first)
            let form = Server.form(request)
            let authorization = request.headers.first { $0.name == "Authorization" }?.value
            if expectBasic {
                #expect(authorization == "Basic " + Data("pre%20id:s3cret%3Ax".utf8).base64EncodedString())
                // The id rides in the body too (the MCP SDK's token endpoint wants it); never the secret.
                #expect(form["client_secret"] == nil && form["client_id"] == "pre id")
                #expect(token.tokenEndpointAuthMethod == "client_secret_basic")
            } else {
                #expect(authorization == nil)
                #expect(form["client_id"] == "pre id" && form["client_secret"] == "s3cret:x")
            }
            #expect(server.requests(to: "https://auth.example/register").isEmpty)
        }
    }

    @Test("a Client ID Metadata Document is used when advertised and configured, never registering")
    func metadataDocument() async throws {
        let server = Server(metadata: Server.metadataDocument(["client_id_metadata_document_supported": true]))
        let setup = try Self.setup(
            server, settings: OAuthClientSettings(clientMetadataUrl: "https://gatehouse.example/client.json"))
        defer { setup.listener.close() }
        let prepared = try await setup.flow.prepare(challenge: nil, listener: setup.listener)
        #expect(Self.query(prepared.plan.authorizationURL)["client_id"] == "https://gatehouse.example/client.json")
        #expect(server.requests(to: "https://auth.example/register").isEmpty)
    }

    @Test("a metadata document URL over plain http off loopback, or without a path, is auth.failed before anything is sent", arguments: [
        "http://gatehouse.example/client.json", "https://gatehouse.example", "ftp://gatehouse.example/client.json",
    ])
    func insecureMetadataDocument(_ documentURL: String) async throws {
        let server = Server(metadata: Server.metadataDocument(["client_id_metadata_document_supported": true]))
        let setup = try Self.setup(server, settings: OAuthClientSettings(clientMetadataUrl: documentURL))
        defer { setup.listener.close() }
        await #expect(throws: OAuthError.self) {
            try await setup.flow.prepare(challenge: nil, listener: setup.listener)
        }
        #expect(server.requests(to: "https://auth.example/register").isEmpty)
    }

    @Test("no client id, no metadata document support and no registration endpoint is auth.failed")
    func noClient() async throws {
        let server = Server(metadata: Server.metadataDocument(removing: ["registration_endpoint"]))
        let setup = try Self.setup(
            server, settings: OAuthClientSettings(clientMetadataUrl: "https://gatehouse.example/client.json"))
        defer { setup.listener.close() }
        await #expect(throws: OAuthError.self) {
            try await setup.flow.prepare(challenge: nil, listener: setup.listener)
        }
    }

    @Test("scopes: discovery's, else the profile's; a step-up asks for the union")
    func scopes() async throws {
        let setup = try Self.setup(
            Server(resource: ["resource": .string(Server.serverURL), "authorization_servers": [.string(Server.issuer)]]
            ),
            settings: OAuthClientSettings(scopes: ["profile"])
        )
        defer { setup.listener.close() }
        let plain = try await setup.flow.prepare(challenge: nil, listener: setup.listener)
        #expect(plain.plan.scopes == ["profile"])
        let challenge = BearerChallenge(header: #"Bearer error="insufficient_scope", scope="read write""#)
        let stepUp = try await setup.flow.prepare(
            challenge: challenge, listener: setup.listener, extraScopes: ["read", "admin"])
        #expect(stepUp.plan.scopes == ["read", "write", "admin"])
        #expect(Self.query(stepUp.plan.authorizationURL)["scope"] == "read write admin")
    }

    @Test(
        "token endpoint answers that are refused",
        arguments: [
            (302, #"{"access_token":"x","token_type":"Bearer"}"#, "redirect"),
            (200, #"{"access_token":"x","token_type":"mac"}"#, "Bearer"),
            (200, #"{"token_type":"Bearer"}"#, "access_token"),
            (200, "not json", "JSON"),
            (400, #"{"error":"invalid_grant"}"#, "invalid_grant"),
            (200, #"{"access_token":"x","token_type":"Bearer","expires_in":"soon"}"#, "expires_in"),
        ])
    func tokenRefusals(_ status: Int, _ body: String, _ expected: String) async throws {
        let server = Server()
        server.route(
            "POST", "https://auth.example/token", status: status, body: body,
            headers: [("location", "https://evil.example/")])
        let setup = try Self.setup(server)
        defer { setup.listener.close() }
        let (prepared, state) = try await setup.prepared()
        do {
            _ = try await setup.flow.complete(
                prepared, callback: CallbackParameters(query: "code=c&state=\(state)&iss=https%3A%2F%2Fauth.example"))
            Issue.record("accepted")
        } catch {
            #expect(error.code == .failed)
            #expect(error.message.contains(expected), "\(error.message)")
        }
        #expect(server.requestedURLs.filter { $0.contains("evil") }.isEmpty)
        #expect(try setup.store.read().tokens.isEmpty)
    }

    @Test("an authorization endpoint the browser opener would refuse is refused at prepare")
    func unsafeAuthorizationEndpoint() async throws {
        let setup = try Self.setup(
            Server(metadata: Server.metadataDocument(["authorization_endpoint": "https://auth.example/a;$(id)"])))
        defer { setup.listener.close() }
        await #expect(throws: OAuthError.self) {
            try await setup.flow.prepare(challenge: nil, listener: setup.listener)
        }
    }
}
