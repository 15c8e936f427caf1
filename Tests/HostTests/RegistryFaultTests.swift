import CurlHTTP
import Foundation
import GatehouseHost
import StrictJSON
import TestSupport
import Testing
import TrustCore

/// Registry faults for both resources (issue 7 §5), against a real HTTP registry on 127.0.0.1: a
/// slow-loris, a 10 MiB body and a body that is not JSON each leave the last good copy in use (never
/// wiped) and take no longer than the timeout; a registry that is down at start-up is served from the disk
/// cache of an earlier run, and without one gives `registry.unavailable`.
@Suite(.timeLimit(.minutes(5)))
struct RegistryFaultTests {
    let server: RegistryServer
    let clock = ManualClock()
    let issuer = "https://registry.test"
    static let jwksPath = "/.well-known/jwks.json"
    static let revocationsPath = "/api/v1/revocations"

    init() async throws {
        server = try await RegistryServer.start()
    }

    func source(cacheDirectory: String? = nil) -> RegistrySource {
        let configuration = RegistryConfiguration(
            issuer: issuer, jwks: .url(server.baseURL + Self.jwksPath), revocations: .url(server.baseURL + Self.revocationsPath),
            identities: .url(server.baseURL + "/api/v1/identities"), verify: .url(server.baseURL + "/api/v1/verify")
        )
        return RegistrySource(
            registries: [configuration], fetcher: StandardResourceFetcher(connectTimeout: 2, totalTimeout: 2),
            cacheDirectory: cacheDirectory, clock: clock.function
        )
    }

    /// What the source serves for `resource`: the key ids or the revoked identities, nil when unavailable.
    func served(_ resource: String, from source: RegistrySource) async -> [String]? {
        if resource == "jwks" {
            guard case .available(let set) = await source.keySet(issuer: issuer, keyID: nil) else { return nil }
            return set.keys.compactMap(\.keyID)
        }
        guard case .available(let list) = await source.revocationList(issuer: issuer) else { return nil }
        return list.identities.keys.sorted()
    }

    func serveGood(_ resource: String) throws -> [String] {
        if resource == "jwks" {
            try server.serve(Self.jwksPath, JSONSerializer.string(["keys": [try TokenFactory(keyID: "good").publicJWK]]))
            return ["good"]
        }
        try server.serve(Self.revocationsPath, #"{"updated_at":"2026-11-27T10:00:00Z","revoked":["aii_good"]}"#)
        return ["aii_good"]
    }

    @Test("slow-loris, 10 MiB and non-JSON responses keep the last good copy", arguments: [
        ("jwks", "slow-loris"), ("jwks", "10 MiB"), ("jwks", "not JSON"),
        ("revocations", "slow-loris"), ("revocations", "10 MiB"), ("revocations", "not JSON"),
    ])
    func fault(_ resource: String, _ fault: String) async throws {
        let path = resource == "jwks" ? Self.jwksPath : Self.revocationsPath
        let good = try serveGood(resource)
        let source = source()
        #expect(await served(resource, from: source) == good)
        switch fault {
        case "slow-loris": try server.serve(path, String(repeating: " ", count: 4096) + "{}", trickle: 0.2)
        case "10 MiB": try server.serve(path, "[\"" + String(repeating: "a", count: 10 * 1024 * 1024) + "\"]")
        default: try server.serve(path, "<html>registry maintenance</html>\u{FF}")
        }
        clock.advance(301)  // past the freshness of a response without Cache-Control (5 min), well inside maxStaleSeconds
        let started = Date()
        #expect(await served(resource, from: source) == good, "\(fault) \(resource) must not replace or wipe the cache")
        #expect(Date().timeIntervalSince(started) < 10, "cut off by the timeout")
        #expect(server.count(path) == 2, "the bad response was fetched, and refused")
    }

    @Test("down at start-up: the disk cache of an earlier run serves; without one, registry.unavailable", arguments: ["jwks", "revocations"])
    func downAtStartUp(_ resource: String) async throws {
        let cache = try Repository.temporaryDirectory()
        let good = try serveGood(resource)
        #expect(await served(resource, from: source(cacheDirectory: cache)) == good)
        server.down()
        clock.advance(3600)
        #expect(await served(resource, from: source(cacheDirectory: cache)) == good, "a new run serves the cached copy")
        let uncached = source(cacheDirectory: try Repository.temporaryDirectory())
        if resource == "jwks" {
            guard case .unavailable(let why) = await uncached.keySet(issuer: issuer, keyID: nil) else {
                Issue.record("a JWKS with no cache and no registry must be unavailable")
                return
            }
            #expect(!why.isEmpty)
        } else {
            guard case .unavailable = await uncached.revocationList(issuer: issuer) else {
                Issue.record("a revocation list with no cache and no registry must be unavailable")
                return
            }
        }
    }
}
