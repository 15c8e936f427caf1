import CurlHTTP
import Ed25519
import Foundation
import GatehouseHost
import StrictJSON
import Locking
import TestSupport
import Testing
import TrustCore

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let seconds = Locked<Int64>(1_800_000_000)
    var now: Int64 { seconds.withLock { $0 } }
    func advance(_ delta: Int64) { seconds.withLock { $0 += delta } }
    var function: @Sendable () -> Int64 { { self.now } }
}

/// The registry source against a real HTTP registry on 127.0.0.1 (SPEC §2.6), with a hand-moved clock.
@Suite(.timeLimit(.minutes(5)))
struct RegistrySourceTests {
    let server: RegistryServer
    let clock = ManualClock()
    let issuer = "https://registry.test"

    init() async throws {
        server = try await RegistryServer.start()
    }

    func source(cacheDirectory: String? = nil, timeout: Double = 5) -> RegistrySource {
        let configuration = RegistryConfiguration(
            issuer: issuer, jwks: .url(server.baseURL + "/.well-known/jwks.json"),
            revocations: .url(server.baseURL + "/api/v1/revocations"),
            identities: .url(server.baseURL + "/api/v1/identities"), verify: .url(server.baseURL + "/api/v1/verify")
        )
        return RegistrySource(
            registries: [configuration], fetcher: StandardResourceFetcher(connectTimeout: 2, totalTimeout: timeout),
            cacheDirectory: cacheDirectory, clock: clock.function
        )
    }

    func jwks(_ factories: TokenFactory...) -> String {
        JSONSerializer.string(["keys": .array(factories.map(\.publicJWK))])
    }

    func keyIDs(_ lookup: RegistryLookup<JWKSet>) -> [String]? {
        guard case .available(let set) = lookup else { return nil }
        return set.keys.compactMap(\.keyID)
    }

    @Test("Cache-Control max-age is honoured, clamped to [5 min, 24 h]")
    func maxAge() async throws {
        let path = "/.well-known/jwks.json"
        try server.serve(path, jwks(try TokenFactory()), headers: ["Cache-Control": "public, max-age=600"])
        let source = source()
        #expect(keyIDs(await source.keySet(issuer: issuer, keyID: nil)) == ["k1"])
        clock.advance(599)
        _ = await source.keySet(issuer: issuer, keyID: nil)
        #expect(server.count(path) == 1)
        clock.advance(2)
        _ = await source.keySet(issuer: issuer, keyID: nil)
        #expect(server.count(path) == 2)

        try server.serve(path, jwks(try TokenFactory()), headers: ["Cache-Control": "max-age=10"])
        clock.advance(601)
        _ = await source.keySet(issuer: issuer, keyID: nil)
        #expect(server.count(path) == 3)
        clock.advance(299)
        _ = await source.keySet(issuer: issuer, keyID: nil)
        #expect(server.count(path) == 3, "a max-age of 10 s is raised to 300 s")
        clock.advance(2)
        _ = await source.keySet(issuer: issuer, keyID: nil)
        #expect(server.count(path) == 4)

        try server.serve(path, jwks(try TokenFactory()), headers: ["Cache-Control": "max-age=9999999"])
        clock.advance(301)
        _ = await source.keySet(issuer: issuer, keyID: nil)
        #expect(server.count(path) == 5)
        clock.advance(86_399)
        _ = await source.keySet(issuer: issuer, keyID: nil)
        #expect(server.count(path) == 5)
        clock.advance(2)
        _ = await source.keySet(issuer: issuer, keyID: nil)
        #expect(server.count(path) == 6, "a max-age above a day is lowered to 24 h")
    }

    @Test("an unknown kid refetches at most once per 30 s")
    func unknownKeyRefetch() async throws {
        let path = "/.well-known/jwks.json"
        let first = try TokenFactory(keyID: "k1")
        let second = try TokenFactory(keyID: "k2")
        try server.serve(path, jwks(first), headers: ["Cache-Control": "max-age=3600"])
        let source = source()
        _ = await source.keySet(issuer: issuer, keyID: "k1")
        #expect(server.count(path) == 1)
        clock.advance(1)
        #expect(keyIDs(await source.keySet(issuer: issuer, keyID: "k2")) == ["k1"])
        #expect(server.count(path) == 2)
        for _ in 0..<5 {
            clock.advance(5)
            _ = await source.keySet(issuer: issuer, keyID: "k2")
        }
        #expect(server.count(path) == 2, "25 s later, still one refetch")
        try server.serve(path, jwks(first, second), headers: ["Cache-Control": "max-age=3600"])
        clock.advance(6)
        #expect(keyIDs(await source.keySet(issuer: issuer, keyID: "k2")) == ["k1", "k2"])
        #expect(server.count(path) == 3)
        _ = await source.keySet(issuer: issuer, keyID: "k2")
        #expect(server.count(path) == 3, "a known kid does not refetch")
    }

    @Test("the stale copy serves while the registry is down, until maxStaleSeconds; then registry.unavailable")
    func staleThenUnavailable() async throws {
        let path = "/.well-known/jwks.json"
        try server.serve(path, jwks(try TokenFactory()), headers: ["Cache-Control": "max-age=300"])
        let source = source()
        #expect(keyIDs(await source.keySet(issuer: issuer, keyID: nil)) == ["k1"])
        server.down()
        clock.advance(3600)
        #expect(keyIDs(await source.keySet(issuer: issuer, keyID: nil)) == ["k1"])
        // Three when the first fetch's connection was kept: libcurl resends a GET that got no answer on a reused
        // connection once, on a new one.
        #expect((2...3).contains(server.count(path)), "a refetch was tried")
        clock.advance(86_400 - 3600)
        #expect(keyIDs(await source.keySet(issuer: issuer, keyID: nil)) == ["k1"], "exactly maxStaleSeconds old")
        clock.advance(1)
        guard case .unavailable(let why) = await source.keySet(issuer: issuer, keyID: nil) else {
            Issue.record("expected registry.unavailable after maxStaleSeconds")
            return
        }
        #expect(why.contains("older than 86400"))
        server.up()
        #expect(keyIDs(await source.keySet(issuer: issuer, keyID: nil)) == ["k1"], "recovers when the registry is back")
    }

    @Test("oversized, malformed and error responses are refused without wiping the cache", arguments: [
        "malformed", "oversized", "not-a-jwks", "status-500",
    ])
    func badResponses(_ kind: String) async throws {
        let path = "/.well-known/jwks.json"
        let good = try TokenFactory()
        try server.serve(path, jwks(good), headers: ["Cache-Control": "max-age=300"])
        let source = source()
        #expect(keyIDs(await source.keySet(issuer: issuer, keyID: nil)) == ["k1"])
        switch kind {
        case "malformed": try server.serve(path, "{\"keys\": [")
        case "oversized": try server.serve(path, "{\"keys\":[],\"pad\":\"" + String(repeating: "x", count: 70_000) + "\"}")
        case "not-a-jwks": try server.serve(path, "{\"keys\":{\"kty\":\"OKP\"}}")
        default: try server.serve(path, jwks(try TokenFactory(keyID: "evil")), status: 500)
        }
        clock.advance(301)
        guard case .available(let set) = await source.keySet(issuer: issuer, keyID: nil) else {
            Issue.record("the cached JWKS was lost after a \(kind) response")
            return
        }
        #expect(set.keys.first?.publicKey == good.keyPair.publicKey)
        #expect(server.count(path) == 2)
    }

    @Test("a slow-loris registry is cut off by the timeout and the cache serves")
    func slowLoris() async throws {
        let path = "/.well-known/jwks.json"
        try server.serve(path, jwks(try TokenFactory()))
        let source = source(timeout: 1)
        #expect(keyIDs(await source.keySet(issuer: issuer, keyID: nil)) == ["k1"])
        try server.serve(path, jwks(try TokenFactory(keyID: "slow")), trickle: 0.2)
        clock.advance(301)
        let started = Date()
        #expect(keyIDs(await source.keySet(issuer: issuer, keyID: nil)) == ["k1"])
        #expect(Date().timeIntervalSince(started) < 5)
    }

    func revocations(_ stamp: String, _ identities: [String]) -> String {
        JSONSerializer.string(["updated_at": .string(stamp), "revoked": .array(identities.map(JSONValue.string))])
    }

    func revokedIdentities(_ lookup: RegistryLookup<RevocationList>) -> [String]? {
        guard case .available(let list) = lookup else { return nil }
        return list.identities.keys.sorted()
    }

    @Test("an older revocation list is ignored (rollback), a newer one replaces the cache")
    func rollback() async throws {
        let path = "/api/v1/revocations"
        try server.serve(path, revocations("2026-11-27T10:00:00Z", ["aii_x"]))
        let source = source()
        #expect(revokedIdentities(await source.revocationList(issuer: issuer)) == ["aii_x"])
        try server.serve(path, revocations("2026-11-27T09:00:00Z", []))
        clock.advance(301)
        #expect(revokedIdentities(await source.revocationList(issuer: issuer)) == ["aii_x"])
        try server.serve(path, "[]")
        clock.advance(301)
        #expect(revokedIdentities(await source.revocationList(issuer: issuer)) == ["aii_x"], "an undated list is no way around it")
        try server.serve(path, revocations("2026-11-27T11:00:00Z", ["aii_y"]))
        clock.advance(301)
        #expect(revokedIdentities(await source.revocationList(issuer: issuer)) == ["aii_y"])
        #expect(server.count(path) == 4)
    }

    @Test("the disk cache keeps the newest revocation list across restarts")
    func rollbackAcrossRestarts() async throws {
        let path = "/api/v1/revocations"
        let cache = try Repository.temporaryDirectory()
        try server.serve(path, revocations("2026-11-27T10:00:00Z", ["aii_x"]))
        #expect(revokedIdentities(await source(cacheDirectory: cache).revocationList(issuer: issuer)) == ["aii_x"])
        try server.serve(path, revocations("2026-11-26T10:00:00Z", []))
        clock.advance(301)
        #expect(revokedIdentities(await source(cacheDirectory: cache).revocationList(issuer: issuer)) == ["aii_x"])
        #expect(server.count(path) == 2)
    }
}
