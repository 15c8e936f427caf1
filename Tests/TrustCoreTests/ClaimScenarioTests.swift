import Ed25519
import StrictJSON
import TestSupport
import Testing
import TrustCore

/// Steps 7–16 with keys generated at test time, including boundary pairs for exp, nbf, iat, skew and
/// maximum age (now = factory.now, default skew 60 s), and issuer near-misses.
struct ClaimScenarioTests {
    static let missingClaims: [Scenario] = ["iss", "sub", "aud", "iat", "exp", "tier"].map { name in
        Scenario("\(name) missing", .claimMissing) { $0.withClaims { $0[name] = nil } }
    }

    static let typedClaims: [Scenario] = [
        Scenario("exp as a string", .claimInvalid) { $0.withClaims { $0["exp"] = "1800086400" } },
        Scenario("iat with an exponent (not a JSON integer)", .claimInvalid) { $0.withRawClaim("iat", "1.7e9") },
        Scenario("exp with a fraction", .claimInvalid) { $0.withRawClaim("exp", "1800086400.0") },
        Scenario("exp above 2^53", .claimInvalid) { $0.withRawClaim("exp", "9007199254740993") },
        Scenario("iat negative", .claimInvalid) { $0.withRawClaim("iat", "-1") },
        Scenario("exp boolean", .claimInvalid) { $0.withClaims { $0["exp"] = true } },
        Scenario("nbf null", .claimInvalid) { $0.withClaims { $0["nbf"] = nil; $0["nbf"] = .null } },
        Scenario("aud a number", .claimInvalid) { $0.withClaims { $0["aud"] = 1 } },
        Scenario("aud an array holding a number", .claimInvalid) { $0.withClaims { $0["aud"] = ["verifier", 1] } },
        Scenario("sub an object", .claimInvalid) { $0.withClaims { $0["sub"] = ["id": "aii_test"] } },
        Scenario("tier a number", .claimInvalid) { $0.withClaims { $0["tier"] = 3 } },
        Scenario("surfaces a string", .claimInvalid) { $0.withClaims { $0["surfaces"] = "mcp://tools.example.com" } },
        Scenario("operator a number", .claimInvalid) { $0.withClaims { $0["operator"] = 42 } },
    ]

    static func issuerNearMiss(_ name: String, _ issuer: String) -> Scenario {
        Scenario("iss near miss: \(name)", .issuerUntrusted) { $0.withClaims { $0["iss"] = .string(issuer) } }
    }

    static let issuers: [Scenario] = [
        issuerNearMiss("prefix", "https://registry.test.evil"),
        issuerNearMiss("suffix removed", "https://registry.tes"),
        issuerNearMiss("extra path", "https://registry.test/other"),
        issuerNearMiss("http instead of https", "http://registry.test"),
        issuerNearMiss("explicit default port", "https://registry.test:443"),
        Scenario("iss near miss: case of path", .issuerUntrusted) { factory in
            var setup = factory.withClaims { $0["iss"] = "https://registry.test/Reg" }
            setup.policy.trustedIssuers = ["https://registry.test/reg"]
            setup.blockRegistry = "https://registry.test/reg"
            setup.keySets = ["https://registry.test/reg": factory.keySet]
            return setup
        },
        Scenario("iss with upper-case host and a trailing slash is the same issuer", nil) {
            $0.withClaims { $0["iss"] = "HTTPS://REGISTRY.test/" }
        },
        Scenario("iss trusted but not the block's registry", .registryMismatch) { factory in
            var setup = factory.withClaims { $0["iss"] = "https://second.test" }
            setup.policy.trustedIssuers = [factory.issuer, "https://second.test"]
            return setup
        },
        Scenario("sub is not the block id", .subjectMismatch) { factory in
            var setup = Setup(factory)
            setup.blockID = "aii_other"
            return setup
        },
        Scenario("aud names another audience", .audienceMismatch) { $0.withClaims { $0["aud"] = "someone-else" } },
        Scenario("aud an empty array", .audienceMismatch) { $0.withClaims { $0["aud"] = [] } },
        Scenario("aud an array including verifier", nil) { $0.withClaims { $0["aud"] = ["other", "verifier"] } },
    ]

    static func dated(_ name: String, _ expected: ReasonCode?, _ change: @escaping @Sendable (inout JSONObject, Int64) -> Void)
        -> Scenario
    {
        Scenario(name, expected) { factory in factory.withClaims { change(&$0, factory.now) } }
    }

    static let times: [Scenario] = [
        dated("exp = now − skew", .expired) { $0["exp"] = integer($1 - 60) },
        dated("exp = now − skew + 1", nil) { $0["exp"] = integer($1 - 59) },
        dated("exp long past", .expired) { $0["exp"] = integer($1 - 86_400) },
        dated("nbf = now + skew + 1", .notYetValid) { $0["nbf"] = integer($1 + 61) },
        dated("nbf = now + skew", nil) { $0["nbf"] = integer($1 + 60) },
        dated("iat = now + skew + 1", .issuedInFuture) { $0["iat"] = integer($1 + 61) },
        dated("iat = now + skew", nil) { $0["iat"] = integer($1 + 60) },
        Scenario("exp = now with skew 0", .expired) { factory in
            var setup = factory.withClaims { $0["exp"] = integer(factory.now) }
            setup.policy.clockSkewSeconds = 0
            return setup
        },
        Scenario("exp = now + 1 with skew 0", nil) { factory in
            var setup = factory.withClaims { $0["exp"] = integer(factory.now + 1) }
            setup.policy.clockSkewSeconds = 0
            return setup
        },
        Scenario("age one second over the maximum", .tooOld) { factory in
            var setup = factory.withClaims { $0["iat"] = integer(factory.now - 86_401) }
            setup.policy.maximumAgeSeconds = 86_400
            return setup
        },
        Scenario("age exactly the maximum", nil) { factory in
            var setup = factory.withClaims { $0["iat"] = integer(factory.now - 86_400) }
            setup.policy.maximumAgeSeconds = 86_400
            return setup
        },
    ]

    static let tiers: [Scenario] = [
        Scenario("tier unknown", .tierUnknown) { $0.withClaims { $0["tier"] = "gold" } },
        Scenario("tier in the wrong case", .tierUnknown) { $0.withClaims { $0["tier"] = "Business_Verified" } },
        Scenario("tier below the minimum", .tierTooLow) { factory in
            var setup = factory.withClaims { $0["tier"] = "identity_verified" }
            setup.policy.minimumTier = .creatorVerified
            return setup
        },
        Scenario("tier equal to the minimum", nil) { factory in
            var setup = factory.withClaims { $0["tier"] = "creator_verified" }
            setup.policy.minimumTier = .creatorVerified
            return setup
        },
    ]

    static func bound(_ name: String, _ expected: ReasonCode?, surfaces: [String], binding: SurfaceBinding) -> Scenario {
        Scenario(name, expected) { factory in
            var setup = factory.withClaims { $0["surfaces"] = .array(surfaces.map(JSONValue.string)) }
            setup.binding = binding
            return setup
        }
    }

    static let surfaces: [Scenario] = [
        bound("another host", .surfaceMismatch, surfaces: ["mcp://tools.example.com"], binding: .endpoint("https://evil.example.com/mcp")),
        bound("a subdomain is not implied", .surfaceMismatch, surfaces: ["mcp://example.com"], binding: .endpoint("https://tools.example.com/")),
        bound("a non-default port", .surfaceMismatch, surfaces: ["mcp://tools.example.com"], binding: .endpoint("https://tools.example.com:8443/mcp")),
        bound("path prefix without a segment boundary", .surfaceMismatch, surfaces: ["mcp://tools.example.com/mc"], binding: .endpoint("https://tools.example.com/mcp")),
        bound("path below the surface path", nil, surfaces: ["mcp://tools.example.com/mcp"], binding: .endpoint("https://tools.example.com/mcp/v1")),
        bound("mcp with explicit 443 covers https", nil, surfaces: ["mcp://tools.example.com:443"], binding: .endpoint("https://tools.example.com/mcp")),
        bound("no surfaces claim", .surfaceMismatch, surfaces: [], binding: .endpoint("https://tools.example.com/mcp")),
        bound("declared stdio surface covered", nil, surfaces: ["mcp://weather.example.com"], binding: .declaredSurface("mcp://weather.example.com")),
        bound("declared stdio surface not covered", .surfaceMismatch, surfaces: ["mcp://tools.example.com"], binding: .declaredSurface("mcp://weather.example.com")),
        bound("unbound stdio server", nil, surfaces: [], binding: .none),
    ]

    static func revoked(_ name: String, _ build: @escaping @Sendable (TokenFactory, String) -> RevocationList) -> Scenario {
        Scenario(name, .revoked) { factory in
            var setup = factory.withClaims { $0["jti"] = "token-1" }
            setup.revocations = build(factory, SHA256.hexDigest(setup.token))
            return setup
        }
    }

    static let bindings: [Scenario] = [
        revoked("identity revoked") { _, _ in RevocationList(updatedAt: 1, identities: ["aii_test": "compromised"]) },
        revoked("jti revoked") { _, _ in RevocationList(updatedAt: 1, tokenIDs: ["token-1": ""]) },
        revoked("token digest revoked") { _, digest in RevocationList(updatedAt: 1, tokenDigests: [digest: "leaked"]) },
        Scenario("revocation list names others only", nil) { factory in
            var setup = Setup(factory)
            setup.revocations = RevocationList(updatedAt: 1, identities: ["aii_other": ""])
            return setup
        },
        Scenario("online status suspended", .statusInactive) { factory in
            var setup = Setup(factory)
            setup.policy.online = true
            setup.records = ["aii_test": IdentityRecord(status: "suspended", tier: nil, operatorName: nil)]
            return setup
        },
        Scenario("online status active", nil) { factory in
            var setup = Setup(factory)
            setup.policy.online = true
            setup.records = ["aii_test": IdentityRecord(status: "active", tier: "business_verified", operatorName: "Acme")]
            return setup
        },
        Scenario("online record unavailable", .registryUnavailable) { factory in
            var setup = Setup(factory)
            setup.policy.online = true
            return setup
        },
        Scenario("profile expects another identity", .pinMismatch) { factory in
            var setup = Setup(factory)
            setup.expectedIdentity = "aii_expected"
            return setup
        },
        Scenario("first seen as another identity", .identityChanged) { factory in
            var setup = Setup(factory)
            setup.firstSeenIdentity = "aii_first"
            return setup
        },
    ]

    static let scenarios = missingClaims + typedClaims + issuers + times + tiers + surfaces + bindings

    @Test("claim, time, tier, surface, revocation, status and pin scenarios", arguments: scenarios)
    func scenario(_ scenario: Scenario) async throws {
        let factory = try TokenFactory()
        let report = await scenario.build(factory).run(now: factory.now)
        #expect(report.reasons.first?.code == scenario.expected, "\(report.reasons)")
        #expect(report.verdict == expectedVerdict(scenario.expected))
        let failing = report.checks.filter { $0.result == .fail }
        #expect(failing.map(\.code) == (scenario.expected.map { [$0] } ?? []))
    }

    func expectedVerdict(_ code: ReasonCode?) -> Verdict {
        switch code {
        case nil: .verified
        case .some(.registryUnavailable): .error
        case .some(.passportMissing): .unverified
        case .some: .rejected
        }
    }
}

/// The scenario tables together fail with every reason code of SPEC §2.3 steps 2–14 at least once.
struct ScenarioCoverageTests {
    @Test("every reason code of steps 2–14 is exercised by a scenario")
    func coverage() {
        let exercised = Set((HeaderAndKeyScenarioTests.scenarios + ClaimScenarioTests.scenarios).compactMap(\.expected))
        let required: Set<ReasonCode> = [
            .issuerUntrusted, .registryMismatch, .malformed, .algorithmNotAllowed, .headerForbidden, .keyUnknown,
            .keyIDMismatch, .keyInvalid, .signatureInvalid, .claimMissing, .claimInvalid, .subjectMismatch,
            .audienceMismatch, .expired, .notYetValid, .issuedInFuture, .tooOld, .tierUnknown, .tierTooLow,
            .surfaceMismatch, .revoked,
        ]
        #expect(required.subtracting(exercised).isEmpty, "missing: \(required.subtracting(exercised))")
        #expect(HeaderAndKeyScenarioTests.scenarios.count + ClaimScenarioTests.scenarios.count >= 45)
    }
}
