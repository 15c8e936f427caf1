import StrictJSON
import TestSupport
import Testing
import TrustCore

/// One verification set up from a fresh-key factory: what is presented, under which policy and materials.
struct Setup {
    var token: String
    var blockID: String? = "aii_test"
    var blockRegistry: String
    var carriers: [IdentityCarrier]?
    var binding: SurfaceBinding = .endpoint("https://tools.example.com/mcp")
    var policy: VerificationPolicy
    var keySets: [String: JWKSet]
    var revocations: RevocationList?
    var records: [String: IdentityRecord] = [:]
    var expectedIdentity: String?
    var firstSeenIdentity: String?

    init(_ factory: TokenFactory, token: String? = nil) {
        self.token = token ?? factory.token()
        self.blockRegistry = factory.issuer
        self.policy = VerificationPolicy(trustedIssuers: [factory.issuer])
        self.keySets = [factory.issuer: factory.keySet]
    }

    func run(now: Int64) async -> VerificationReport {
        var materials = StaticRegistryMaterials(keySets: keySets)
        if let revocations { materials.revocationLists = [policy.trustedIssuers[0]: revocations] }
        materials.records = [policy.trustedIssuers[0]: records]
        let carrierList = carriers
            ?? [IdentityCarrier(name: "result._meta", content: .block(id: blockID, passport: token, registry: blockRegistry))]
        let request = VerificationRequest(
            carriers: carrierList, binding: binding, expectedIdentity: expectedIdentity,
            firstSeenIdentity: firstSeenIdentity, now: now
        )
        return await PassportVerifier(policy: policy, materials: materials).verify(request)
    }
}

/// A named case: how to build it, and the code it must fail with (nil: it must verify).
struct Scenario: Sendable, CustomTestStringConvertible {
    let name: String
    let expected: ReasonCode?
    let build: @Sendable (TokenFactory) -> Setup

    init(_ name: String, _ expected: ReasonCode?, _ build: @escaping @Sendable (TokenFactory) -> Setup) {
        self.name = name
        self.expected = expected
        self.build = build
    }

    var testDescription: String { "\(name) → \(expected?.rawValue ?? "verified")" }
}

/// Builders for the common mutations.
extension TokenFactory {
    func withClaims(_ change: (inout JSONObject) -> Void) -> Setup {
        var object = claims
        change(&object)
        return Setup(self, token: token(claims: object))
    }

    func withHeader(_ change: (inout JSONObject) -> Void) -> Setup {
        var object = header
        change(&object)
        return Setup(self, token: token(header: object))
    }

    func with(header changeHeader: (inout JSONObject) -> Void, claims changeClaims: (inout JSONObject) -> Void) -> Setup {
        var headerObject = header
        var claimsObject = claims
        changeHeader(&headerObject)
        changeClaims(&claimsObject)
        return Setup(self, token: token(header: headerObject, claims: claimsObject))
    }

    func raw(header: String? = nil, payload: String? = nil) -> Setup {
        Setup(
            self,
            token: token(
                rawHeader: header ?? JSONSerializer.string(.object(self.header)),
                rawPayload: payload ?? JSONSerializer.string(.object(claims))
            )
        )
    }
}

func integer(_ value: Int64) -> JSONValue {
    .number(JSONNumber(value))
}

extension TokenFactory {
    /// The default claims with member `name` replaced by raw JSON text (appended last).
    func withRawClaim(_ name: String, _ rawJSON: String) -> Setup {
        var object = claims
        object[name] = nil
        var text = JSONSerializer.string(.object(object))
        text.removeLast()
        return raw(payload: text + ",\"\(name)\":\(rawJSON)}")
    }
}
