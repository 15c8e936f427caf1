import Foundation
import GatehouseHost
import MCPClient
import StrictJSON
import TestSupport
import Testing
import TrustCore

/// The HTTP carriers with a real Streamable HTTP server: the X-AI-Identity header alone, the well-known
/// document alone (at most declared), and two carriers that disagree.
@Suite(.timeLimit(.minutes(5)))
struct HTTPCarrierTests {
    let fixture: IdentityFixture

    init() throws {
        fixture = try IdentityFixture()
    }

    func status(environment: (Int) -> [String: String], trust: JSONValue? = nil) async throws -> ServerStatus {
        let port = try ServerProcess.freePort()
        let server = try await ServerProcess.start(
            try TestServers.python(), [TestServers.script("identity_http_server.py"), "{port}"], environment: environment(port), port: port
        )
        var entry: JSONObject = ["url": .string("http://127.0.0.1:\(port)/mcp")]
        if let trust { entry["trust"] = trust }
        let profile = try ProfileLoader.load([try fixture.profile(["web": .object(entry)])])
        let host = HostSession(profile: profile, store: TrustStore(emptyAt: fixture.directory + "/t.json"), registry: RegistrySource(registries: profile.registries))
        let status = try #require(await host.connect().first)
        await host.close()
        server.stop()
        return status
    }

    @Test("a header-only passport verifies with its sub as the id, bound to the URL")
    func headerOnly() async throws {
        try await ServerSlots.run {
            let status = try await status { port in
                ["GATEHOUSE_HEADER_TOKEN": fixture.passport("aii_header", surfaces: ["mcp://127.0.0.1:\(port)"])]
            }
            #expect(status.verdict == .verified, "\(status.reasons)")
            #expect(status.report?.carriers == ["http-header"])
            #expect(status.report?.identity == "aii_header")
            #expect(status.report?.surface == "mcp://127.0.0.1:\(status.entry.url?.split(separator: ":").last?.split(separator: "/").first ?? "")")
            #expect(status.loaded)
        }
    }

    @Test("a well-known document alone is declared, and enforce keeps the tools out")
    func wellKnownOnly() async throws {
        try await ServerSlots.run {
            let status = try await status { _ in
                ["GATEHOUSE_WELL_KNOWN": "{\"version\":\"1\",\"identity_id\":\"aii_wk\",\"registry\":\"\(fixture.issuer)\"}"]
            }
            #expect(status.verdict == .declared)
            #expect(status.report?.carriers == ["well-known"])
            #expect(status.report?.identity == "aii_wk")
            #expect(!status.loaded)
        }
    }

    @Test("a _meta block and a header carrying different tokens are identity.conflict")
    func conflict() async throws {
        try await ServerSlots.run {
            let status = try await status { port in
                let surfaces = ["mcp://127.0.0.1:\(port)"]
                let block = fixture.block("aii_a", passport: fixture.passport("aii_a", surfaces: surfaces))
                return ["GATEHOUSE_META_BLOCK": JSONSerializer.string(block),
                        "GATEHOUSE_HEADER_TOKEN": fixture.passport("aii_b", surfaces: surfaces)]
            }
            #expect(status.verdict == .rejected)
            #expect(status.reasons.first?.code == .identityConflict)
            #expect(status.report?.carriers == ["result._meta", "http-header"])
            #expect(!status.loaded)
        }
    }

    @Test("wellKnown false skips the document")
    func wellKnownDisabled() async throws {
        try await ServerSlots.run {
            let status = try await status(environment: { _ in
                ["GATEHOUSE_WELL_KNOWN": "{\"version\":\"1\",\"identity_id\":\"aii_wk\",\"registry\":\"\(fixture.issuer)\"}"]
            }, trust: ["wellKnown": false])
            #expect(status.verdict == .unverified)
        }
    }
}
