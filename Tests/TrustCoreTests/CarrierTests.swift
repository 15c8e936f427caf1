import StrictJSON
import TestSupport
import Testing
import TrustCore

/// Step 1 and the verdicts that depend on which carriers were found (SPEC §2.1, §2.4).
struct CarrierTests {
    func verify(_ factory: TokenFactory, _ carriers: [IdentityCarrier]) async -> VerificationReport {
        var setup = Setup(factory)
        setup.carriers = carriers
        return await setup.run(now: factory.now)
    }

    @Test("a header-only token is checked with its sub as the id and its iss as the registry")
    func headerOnly() async throws {
        let factory = try TokenFactory()
        let report = await verify(factory, [IdentityCarrier(name: "http-header", content: .token(factory.token()))])
        #expect(report.verdict == .verified)
        #expect(report.identity == "aii_test")
        #expect(report.carriers == ["http-header"])
    }

    @Test("a header-only token from an untrusted iss is refused before any key is looked up")
    func headerOnlyUntrusted() async throws {
        let factory = try TokenFactory()
        let token = factory.withClaims { $0["iss"] = "https://evil.example" }.token
        let report = await verify(factory, [IdentityCarrier(name: "http-header", content: .token(token))])
        #expect(report.reasons.first?.code == .issuerUntrusted)
        #expect(report.checks[1].name == .registryTrusted && report.checks[1].result == .fail)
    }

    @Test("a header-only token that cannot be read fails as malformed, not as untrusted")
    func headerOnlyMalformed() async throws {
        let factory = try TokenFactory()
        let report = await verify(factory, [IdentityCarrier(name: "http-header", content: .token("not.a token"))])
        #expect(report.reasons.first?.code == .malformed)
    }

    @Test("the same token in a block and the header agrees")
    func blockAndHeaderAgree() async throws {
        let factory = try TokenFactory()
        let token = factory.token()
        let report = await verify(factory, [
            IdentityCarrier(name: "capabilities.experimental", content: .block(id: "aii_test", passport: token, registry: factory.issuer)),
            IdentityCarrier(name: "http-header", content: .token(token)),
        ])
        #expect(report.verdict == .verified)
        #expect(report.carriers == ["capabilities.experimental", "http-header"])
    }

    @Test("a well-known document naming another id is a conflict")
    func wellKnownConflict() async throws {
        let factory = try TokenFactory()
        let report = await verify(factory, [
            IdentityCarrier(name: "result._meta", content: .block(id: "aii_test", passport: factory.token(), registry: factory.issuer)),
            IdentityCarrier(name: "well-known", content: .wellKnown(identityID: "aii_other", registry: factory.issuer)),
        ])
        #expect(report.reasons.first?.code == .identityConflict)
        #expect(report.verdict == .rejected)
    }

    @Test("a header token whose sub differs from a well-known id is a conflict")
    func headerSubjectConflict() async throws {
        let factory = try TokenFactory()
        let report = await verify(factory, [
            IdentityCarrier(name: "http-header", content: .token(factory.token())),
            IdentityCarrier(name: "well-known", content: .wellKnown(identityID: "aii_other", registry: factory.issuer)),
        ])
        #expect(report.reasons.first?.code == .identityConflict)
    }

    @Test("a block whose own id differs from its token's sub is subject_mismatch, not a conflict")
    func blockSubjectMismatch() async throws {
        let factory = try TokenFactory()
        let report = await verify(factory, [
            IdentityCarrier(name: "result._meta", content: .block(id: "aii_else", passport: factory.token(), registry: factory.issuer)),
        ])
        #expect(report.reasons.first?.code == .subjectMismatch)
    }

    @Test("a well-known document alone is declared, never verified")
    func wellKnownAlone() async throws {
        let factory = try TokenFactory()
        let report = await verify(factory, [
            IdentityCarrier(name: "well-known", content: .wellKnown(identityID: "aii_test", registry: factory.issuer)),
        ])
        #expect(report.verdict == .declared)
        #expect(report.valid)
        #expect(report.checks.first { $0.name == .signature }?.result == .skip)
    }

    @Test("a well-known document naming an untrusted registry is rejected")
    func wellKnownUntrusted() async throws {
        let factory = try TokenFactory()
        let report = await verify(factory, [
            IdentityCarrier(name: "well-known", content: .wellKnown(identityID: "aii_test", registry: "https://evil.example")),
        ])
        #expect(report.verdict == .rejected)
        #expect(report.reasons.first?.code == .issuerUntrusted)
    }

    @Test("a declared identity that is revoked is rejected")
    func wellKnownRevoked() async throws {
        let factory = try TokenFactory()
        var setup = Setup(factory)
        setup.carriers = [IdentityCarrier(name: "well-known", content: .wellKnown(identityID: "aii_test", registry: factory.issuer))]
        setup.revocations = RevocationList(updatedAt: nil, identities: ["aii_test": ""])
        let report = await setup.run(now: factory.now)
        #expect(report.reasons.first?.code == .revoked)
    }

    @Test("an identity block without a token is malformed")
    func blockWithoutToken() async throws {
        let factory = try TokenFactory()
        let report = await verify(factory, [
            IdentityCarrier(name: "result.metadata", content: .block(id: "aii_test", passport: nil, registry: factory.issuer)),
        ])
        #expect(report.verdict == .rejected)
        #expect(report.reasons.first?.code == .malformed)
    }

    @Test("every check is reported, in SPEC order, and skipped after the first failure")
    func checkOrder() async throws {
        let factory = try TokenFactory()
        let report = await verify(factory, [])
        #expect(report.checks.map(\.name) == CheckName.allCases)
        #expect(report.checks.dropFirst().allSatisfy { $0.result == .skip })
        #expect(report.verdict == .unverified)
        #expect(report.reasons.map(\.code) == [.passportMissing])
    }

    @Test("plain http to a non-loopback host binds with a transport.insecure warning")
    func insecureWarning() async throws {
        let factory = try TokenFactory()
        var setup = Setup(factory)
        setup.binding = .endpoint("http://tools.example.com/mcp")
        let report = await setup.run(now: factory.now)
        #expect(report.verdict == .verified)
        #expect(report.warnings.map(\.code) == [.transportInsecure])
        setup.binding = .endpoint("https://tools.example.com/mcp")
        #expect(await setup.run(now: factory.now).warnings.isEmpty)
    }

    @Test("the reason code list is the one SPEC names")
    func reasonCodes() {
        let expected = [
            "passport.missing", "identity.conflict", "passport.issuer_untrusted", "passport.registry_mismatch",
            "passport.malformed", "passport.alg_not_allowed", "passport.header_forbidden", "passport.key_unknown",
            "passport.key_id_mismatch", "passport.key_invalid", "passport.signature_invalid", "passport.claim_missing",
            "passport.claim_invalid", "passport.subject_mismatch", "passport.audience_mismatch", "passport.expired",
            "passport.not_yet_valid", "passport.issued_in_future", "passport.too_old", "passport.tier_unknown",
            "passport.tier_too_low", "passport.surface_mismatch", "passport.revoked", "passport.status_inactive",
            "identity.pin_mismatch", "identity.changed", "registry.unavailable", "transport.insecure",
        ]
        #expect(ReasonCode.all.map(\.rawValue) == expected)
    }
}
