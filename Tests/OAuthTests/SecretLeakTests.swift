import CurlHTTP
import Foundation
import OAuth
import StrictJSON
import Testing

/// No failure this module produces, and no description of its values, holds a token, code, verifier or secret.
struct SecretLeakTests {
    typealias Server = FakeAuthorizationServer

    static let clientSecret = "CLIENT-SECRET-7f3a"
    static let code = "AUTH-CODE-91be"
    static let accessToken = "ACCESS-TOKEN-44d0"
    static let refreshToken = "REFRESH-TOKEN-c2e9"

    /// A token endpoint that echoes everything it was sent in its error_description (and its access token in a
    /// broken answer).
    static func echoingServer(status: Int, error: String = "invalid_request", tokenType: String? = nil) -> Server {
        let server = Server()
        server.route("POST", "https://auth.example/token") { request in
            let echo =
                String(decoding: request.body ?? [], as: UTF8.self) + " "
                + request.headers.map { "\($0.name): \($0.value)" }.joined(separator: " ")
                + " " + Server.form(request).values.joined(separator: " ")
            if let tokenType {
                return Server.json(
                    200,
                    [
                        "access_token": .string(accessToken), "token_type": .string(tokenType),
                        "refresh_token": .string(refreshToken),
                    ])
            }
            return Server.json(status, ["error": .string(error), "error_description": .string(echo)])
        }
        return server
    }

    static func assertClean(_ text: String, _ extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in [clientSecret, code, accessToken, refreshToken] + extra {
            #expect(!text.contains(secret), "\(text) holds \(secret)", sourceLocation: sourceLocation)
        }
    }

    /// A prepared login with a confidential pre-registered client, and the verifier it will send.
    static func prepared(_ server: Server) async throws -> (LoginFlow, PreparedLogin, String, LoopbackListener) {
        let store = TokenStore(path: try temporaryDirectory() + "/tokens.json")
        let settings = OAuthClientSettings(clientId: "client", clientSecret: clientSecret)
        let flow = LoginFlow(
            serverURL: Server.serverURL, settings: settings, store: store, fetch: server.fetch, now: { 1 })
        let listener = try LoopbackListener()
        let prepared = try await flow.prepare(challenge: nil, listener: listener)
        let state = try #require(CallbackParameters(redirectURL: prepared.plan.authorizationURL)?.values["state"])
        return (flow, prepared, state, listener)
    }

    @Test(
        "a token endpoint echoing the code, verifier and client secret back: none reaches the message",
        arguments: [400, 401, 500])
    func tokenEndpointEcho(_ status: Int) async throws {
        let server = Self.echoingServer(status: status)
        let (flow, prepared, state, listener) = try await Self.prepared(server)
        defer { listener.close() }
        do {
            _ = try await flow.complete(
                prepared,
                callback: CallbackParameters(query: "code=\(Self.code)&state=\(state)&iss=https%3A%2F%2Fauth.example"))
            Issue.record("accepted")
        } catch {
            let verifier =
                Server.form(try #require(server.requests(to: "https://auth.example/token").first))["code_verifier"]
                ?? "?"
            // The echo did arrive (as fingerprints), so the test would see a leak.
            #expect(error.message.contains("sha256:"))
            Self.assertClean(error.description, [verifier, state])
            Self.assertClean(String(describing: prepared), [verifier, state])
            Self.assertClean(String(reflecting: prepared), [verifier, state])
        }
    }

    @Test("an access token in a refused token answer is not quoted")
    func refusedAnswer() async throws {
        let (flow, prepared, state, listener) = try await Self.prepared(
            Self.echoingServer(status: 200, tokenType: "mac"))
        defer { listener.close() }
        await #expect {
            _ = try await flow.complete(
                prepared,
                callback: CallbackParameters(query: "code=\(Self.code)&state=\(state)&iss=https%3A%2F%2Fauth.example"))
        } throws: { error in
            Self.assertClean(String(describing: error))
            return true
        }
    }

    @Test("callback refusals never quote the code or state, even when the iss or description carries them")
    func callbackRefusals() async throws {
        let (flow, prepared, state, listener) = try await Self.prepared(Server())
        defer { listener.close() }
        for query in [
            "code=\(Self.code)&state=wrong-\(Self.code)&iss=https%3A%2F%2Fauth.example",
            "code=\(Self.code)&state=\(state)&iss=https%3A%2F%2Fevil.example%2F\(Self.code)",
            "code=\(Self.code)&state=\(state)&iss=https%3A%2F%2Fauth.example&error=x&error_description=\(Self.code)+\(state)",
        ] {
            do {
                _ = try await flow.complete(prepared, callback: CallbackParameters(query: query))
                Issue.record("accepted \(query)")
            } catch {
                Self.assertClean(error.description, [state])
            }
            Self.assertClean(String(describing: CallbackParameters(query: query)), [state])
        }
    }

    @Test(
        "refresh failures echoing the refresh token and client secret: neither reaches the message",
        arguments: [
            (400, "invalid_grant"), (400, "invalid_client"), (503, "temporarily_unavailable"),
        ])
    func refreshEcho(_ status: Int, _ code: String) async throws {
        let store = try Server.store(
            holding: Server.storedToken(
                clientId: "client", clientSecret: Self.clientSecret, authMethod: "client_secret_post",
                accessToken: Self.accessToken, refreshToken: Self.refreshToken, expiresAt: 10, obtainedAt: 1
            )
        )
        let provider = TokenProvider(
            store: store, fetch: Self.echoingServer(status: status, error: code).fetch, now: { 100 })
        do {
            _ = try await provider.accessTokenAfterRejection(forServer: Server.serverURL, rejected: Self.accessToken)
            Issue.record("refresh succeeded")
        } catch {
            #expect(error.code == (code == "invalid_grant" ? .required : .failed))
            Self.assertClean(error.description)
        }
    }

    @Test("descriptions of stored values and settings hold fingerprints, not secrets; a corrupt store is not quoted")
    func descriptions() throws {
        let token = StoredToken(
            serverURL: Server.serverURL, issuer: Server.issuer, resource: Server.serverURL,
            tokenEndpoint: "https://auth.example/token",
            clientId: "client", clientSecret: Self.clientSecret, accessToken: Self.accessToken,
            refreshToken: Self.refreshToken, obtainedAt: 1
        )
        let client = StoredClient(
            issuer: Server.issuer, clientId: "c", clientSecret: Self.clientSecret, redirectURIs: [], kind: "dynamic")
        let contents = TokenStoreContents(tokens: [token], clients: [client])
        let settings = OAuthClientSettings(clientId: "c", clientSecret: Self.clientSecret)
        for text in [
            String(describing: token), String(reflecting: token), String(describing: contents),
            String(describing: settings), String(describing: client),
        ] {
            Self.assertClean(text)
        }
        #expect(String(describing: token).contains(OAuthError.fingerprint(Self.accessToken)))

        let store = TokenStore(path: try temporaryDirectory() + "/tokens.json")
        try Data(
            #"{"version": 1, "tokens": [{"accessToken": "\#(Self.accessToken)" "refreshToken": "\#(Self.refreshToken)"}]}"#
                .utf8
        )
        .write(to: URL(fileURLWithPath: store.path))
        #expect { try store.read() } throws: { error in
            Self.assertClean(String(describing: error))
            return (error as? OAuthError)?.message.contains(store.path) == true
        }
    }
}
