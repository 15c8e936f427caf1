import Foundation
import GatehouseHost
import StrictJSON
import TestSupport
import Testing
import TrustCore

/// The whole verifier against a real HTTP registry: keys, revocations and the online status record.
@Suite(.timeLimit(.minutes(5)))
struct OnlineStatusTests {
    let server: RegistryServer
    let clock = ManualClock()
    let factory: TokenFactory

    init() async throws {
        server = try await RegistryServer.start()
        factory = try TokenFactory(issuer: "https://registry.test", now: 1_800_000_000)
        try server.serve("/.well-known/jwks.json", JSONSerializer.string(["keys": [factory.publicJWK]]))
        try server.serve("/api/v1/revocations", "{\"updated_at\":\"2026-11-27T10:00:00Z\",\"revoked\":[\"aii_revoked\"]}")
    }

    func verify(subject: String, online: Bool) async -> VerificationReport {
        let configuration = RegistryConfiguration(
            issuer: factory.issuer, jwks: .url(server.baseURL + "/.well-known/jwks.json"),
            revocations: .url(server.baseURL + "/api/v1/revocations"),
            identities: .url(server.baseURL + "/api/v1/identities"), verify: .url(server.baseURL + "/api/v1/verify")
        )
        let source = RegistrySource(registries: [configuration], clock: clock.function)
        let policy = VerificationPolicy(trustedIssuers: [factory.issuer], online: online)
        var claims = factory.claims
        claims["sub"] = .string(subject)
        let token = factory.token(claims: claims)
        let request = VerificationRequest(
            carriers: [IdentityCarrier(name: "result._meta", content: .block(id: subject, passport: token, registry: factory.issuer))],
            binding: .endpoint("https://tools.example.com/mcp"), now: factory.now
        )
        return await PassportVerifier(policy: policy, materials: source).verify(request)
    }

    @Test("status active passes, and the record's tier and operator are shown")
    func active() async throws {
        try server.serve("/api/v1/identities/aii_a", "{\"status\":\"active\",\"tier\":\"business_verified\",\"operator\":\"Acme\"}")
        let report = await verify(subject: "aii_a", online: true)
        #expect(report.verdict == .verified)
        #expect(report.record?.operatorName == "Acme")
        #expect(report.checks.first { $0.name == .status }?.result == .pass)
    }

    @Test("any status but active fails with passport.status_inactive", arguments: ["suspended", "revoked", "ACTIVE", ""])
    func inactive(_ status: String) async throws {
        try server.serve("/api/v1/identities/aii_b", "{\"status\":\"\(status)\"}")
        let report = await verify(subject: "aii_b", online: true)
        #expect(report.verdict == .rejected)
        #expect(report.reasons.first?.code == .statusInactive)
    }

    @Test("a record without a status fails closed")
    func missingStatus() async throws {
        try server.serve("/api/v1/identities/aii_c", "{\"tier\":\"issued\"}")
        #expect(await verify(subject: "aii_c", online: true).reasons.first?.code == .statusInactive)
    }

    @Test("when the identity record is missing, POST /api/v1/verify is asked instead")
    func verifyFallback() async throws {
        try server.serve("/api/v1/verify.POST", "{\"valid\":true,\"identity\":\"aii_d\",\"status\":\"active\"}")
        let report = await verify(subject: "aii_d", online: true)
        #expect(report.verdict == .verified)
        #expect(server.requests.contains("GET /api/v1/identities/aii_d"))
        #expect(server.requests.contains("POST /api/v1/verify"))
    }

    @Test("with neither record nor verify answer, the verdict is error with registry.unavailable")
    func unavailable() async throws {
        let report = await verify(subject: "aii_e", online: true)
        #expect(report.verdict == .error)
        #expect(report.reasons.first?.code == .registryUnavailable)
    }

    @Test("offline, the status step is skipped and nothing is asked")
    func offline() async throws {
        let report = await verify(subject: "aii_f", online: false)
        #expect(report.verdict == .verified)
        #expect(!server.requests.contains { $0.contains("/identities/") })
    }

    @Test("a revoked identity on the served list is rejected")
    func revoked() async throws {
        #expect(await verify(subject: "aii_revoked", online: false).reasons.first?.code == .revoked)
    }

    @Test("a registry that is down with nothing cached gives error, registry.unavailable")
    func downWithoutCache() async throws {
        server.down()
        let report = await verify(subject: "aii_g", online: false)
        #expect(report.verdict == .error)
        #expect(report.reasons.first?.code == .registryUnavailable)
    }
}
