import CurlHTTP
import Foundation
import OAuth
import StrictJSON
import Testing

struct TokenProviderTests {
    typealias Server = FakeAuthorizationServer

    /// A store holding AT-0 / RT-0 for the fake server (whose token endpoint then accepts RT-0 first), obtained at 1000.
    static func storeWithToken(expiresAt: Double? = 4600, refresh: String? = "RT-0") throws -> TokenStore {
        try Server.store(
            holding: Server.storedToken(
                accessToken: "AT-0", refreshToken: refresh, expiresAt: expiresAt, obtainedAt: 1000)
        )
    }

    @Test("no stored token: nil, and nothing is fetched")
    func none() async throws {
        let server = Server()
        let provider = TokenProvider(
            store: TokenStore(path: try temporaryDirectory() + "/t.json"), fetch: server.fetch, now: { 0 })
        #expect(try await provider.accessToken(forServer: Server.serverURL) == nil)
        #expect(server.requests.isEmpty)
    }

    @Test("a fresh token is returned as stored; within the 30 s margin it is refreshed and the rotation stored")
    func refreshBeforeExpiry() async throws {
        let server = Server()
        let store = try Self.storeWithToken()
        let fresh = TokenProvider(store: store, fetch: server.fetch, now: { 4500 })
        #expect(try await fresh.accessToken(forServer: Server.serverURL) == "AT-0")
        #expect(server.requests.isEmpty)

        let late = TokenProvider(store: store, fetch: server.fetch, now: { 4580 })
        #expect(try await late.accessToken(forServer: Server.serverURL) == "AT-1")
        let form = Server.form(try #require(server.requests.first))
        #expect(form["grant_type"] == "refresh_token" && form["refresh_token"] == "RT-0")
        #expect(form["resource"] == Server.serverURL && form["client_id"] == "dyn-client")
        let stored = try #require(try store.read().token(forServer: Server.serverURL))
        #expect(stored.accessToken == "AT-1" && stored.refreshToken == "RT-1")
        #expect(stored.obtainedAt == 4580 && stored.expiresAt == 4580 + 3600)
    }

    @Test("a refresh answer without a refresh token keeps the old one")
    func keepsRefreshToken() async throws {
        let server = Server()
        server.route("POST", "https://auth.example/token", json: ["access_token": "NEW", "token_type": "Bearer"])
        let store = try Self.storeWithToken()
        let provider = TokenProvider(store: store, fetch: server.fetch, now: { 9999 })
        #expect(try await provider.accessToken(forServer: Server.serverURL) == "NEW")
        let stored = try #require(try store.read().token(forServer: Server.serverURL))
        #expect(stored.refreshToken == "RT-0" && stored.expiresAt == nil)
    }

    @Test("after a 401 the token is refreshed, unless another process already rotated it")
    func afterRejection() async throws {
        let server = Server()
        let store = try Self.storeWithToken()
        let provider = TokenProvider(store: store, fetch: server.fetch, now: { 2000 })
        #expect(try await provider.accessTokenAfterRejection(forServer: Server.serverURL, rejected: "AT-0") == "AT-1")
        #expect(server.requests.count == 1)
        // This process still holds AT-0, rejected again; the store already has AT-1 from "another process".
        #expect(try await provider.accessTokenAfterRejection(forServer: Server.serverURL, rejected: "AT-0") == "AT-1")
        #expect(server.requests.count == 1)
    }

    @Test("two concurrent refreshes of one rejected token make one refresh request and agree on the token")
    func concurrentRefresh() async throws {
        let server = Server()
        let store = try Self.storeWithToken()
        let provider = TokenProvider(
            store: store,
            fetch: { request in
                try await Task.sleep(nanoseconds: 100_000_000)
                return try await server.fetch(request)
            }, now: { 2000 })
        async let first = provider.accessTokenAfterRejection(forServer: Server.serverURL, rejected: "AT-0")
        async let second = provider.accessTokenAfterRejection(forServer: Server.serverURL, rejected: "AT-0")
        let tokens = try await [first, second]
        #expect(tokens == ["AT-1", "AT-1"])
        #expect(server.requests.count == 1)
        #expect(try store.read().token(forServer: Server.serverURL)?.refreshToken == "RT-1")
    }

    @Test("invalid_grant removes the token and is auth.required; other failures are auth.failed and keep it")
    func refreshRefused() async throws {
        let server = Server()
        let store = try Self.storeWithToken(refresh: "RT-stale")
        let provider = TokenProvider(store: store, fetch: server.fetch, now: { 9999 })
        do {
            _ = try await provider.accessToken(forServer: Server.serverURL)
            Issue.record("a refused refresh succeeded")
        } catch {
            #expect(error.code == .required)
        }
        #expect(try store.read().tokens.isEmpty)

        let broken = Server()
        broken.route("POST", "https://auth.example/token", status: 503, body: "{}")
        let kept = try Self.storeWithToken()
        let failing = TokenProvider(store: kept, fetch: broken.fetch, now: { 9999 })
        await #expect(throws: OAuthError.self) { try await failing.accessToken(forServer: Server.serverURL) }
        #expect(try kept.read().tokens.count == 1)
    }

    @Test("an expired token without a refresh token gives nil; one without an expiry never expires")
    func noRefreshToken() async throws {
        let server = Server()
        let expired = TokenProvider(store: try Self.storeWithToken(refresh: nil), fetch: server.fetch, now: { 9999 })
        #expect(try await expired.accessToken(forServer: Server.serverURL) == nil)
        let forever = TokenProvider(store: try Self.storeWithToken(expiresAt: nil), fetch: server.fetch, now: { 1e12 })
        #expect(try await forever.accessToken(forServer: Server.serverURL) == "AT-0")
        #expect(server.requests.isEmpty)
    }
}
