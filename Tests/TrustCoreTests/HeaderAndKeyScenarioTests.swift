import Ed25519
import StrictJSON
import TestSupport
import Testing
import TrustCore

/// Steps 1–6 with keys generated at test time: carriers, registry trust, format, header, key, signature.
struct HeaderAndKeyScenarioTests {
    static let scenarios: [Scenario] = [
        Scenario("the untouched token", nil) { Setup($0) },
        Scenario("no carrier at all", .passportMissing) { factory in
            var setup = Setup(factory)
            setup.carriers = []
            return setup
        },
        Scenario("two carriers with different tokens", .identityConflict) { factory in
            var setup = Setup(factory)
            let other = factory.withClaims { $0["operator"] = "Other" }.token
            setup.carriers = [
                IdentityCarrier(name: "result._meta", content: .block(id: "aii_test", passport: setup.token, registry: factory.issuer)),
                IdentityCarrier(name: "http-header", content: .token(other)),
            ]
            return setup
        },
        Scenario("block registry is not trusted", .issuerUntrusted) { factory in
            var setup = Setup(factory)
            setup.blockRegistry = "https://evil.example"
            return setup
        },
        Scenario("duplicate claim names", .malformed) { $0.raw(payload: "{\"sub\":\"aii_test\",\"sub\":\"aii_other\"}") },
        Scenario("duplicate header names", .malformed) { $0.raw(header: "{\"alg\":\"EdDSA\",\"alg\":\"EdDSA\",\"kid\":\"k1\"}") },
        Scenario("payload is an array", .malformed) { $0.raw(payload: "[]") },
        Scenario("payload is a string", .malformed) { $0.raw(payload: "\"x\"") },
        Scenario("payload is not JSON (NaN)", .malformed) { $0.raw(payload: "{\"iat\":NaN}") },
        Scenario("payload has a lone surrogate escape", .malformed) { $0.withRawClaim("operator", "\"\\ud800\"") },
        Scenario("token larger than 16 KiB", .malformed) { factory in
            factory.withClaims { $0["capabilities"] = .array(Array(repeating: "x", count: 4000)) }
        },
        Scenario("whitespace inside the token", .malformed) { factory in
            let token = factory.token()
            let middle = token.index(token.startIndex, offsetBy: 20)
            return Setup(factory, token: String(token[..<middle]) + " " + String(token[middle...]))
        },
        Scenario("padding on the signature", .malformed) { Setup($0, token: $0.token() + "==") },
        Scenario("four segments", .malformed) { Setup($0, token: $0.token() + ".") },
        Scenario("alg none", .algorithmNotAllowed) { $0.withHeader { $0["alg"] = "none" } },
        Scenario("alg HS256", .algorithmNotAllowed) { $0.withHeader { $0["alg"] = "HS256" } },
        Scenario("alg ES256", .algorithmNotAllowed) { $0.withHeader { $0["alg"] = "ES256" } },
        Scenario("alg Ed25519 (RFC 9864 name, not accepted here)", .algorithmNotAllowed) { $0.withHeader { $0["alg"] = "Ed25519" } },
        Scenario("alg missing", .algorithmNotAllowed) { $0.withHeader { $0["alg"] = nil } },
        Scenario("typ is not JWT", .headerForbidden) { $0.withHeader { $0["typ"] = "secevent+jwt" } },
        Scenario("typ jwt in lower case", nil) { $0.withHeader { $0["typ"] = "jwt" } },
        Scenario("typ absent", nil) { $0.withHeader { $0["typ"] = nil } },
        Scenario("crit present", .headerForbidden) { $0.withHeader { $0["crit"] = ["exp"] } },
        Scenario("embedded jwk", .headerForbidden) { factory in factory.withHeader { $0["jwk"] = factory.publicJWK } },
        Scenario("jku pointing elsewhere", .headerForbidden) { $0.withHeader { $0["jku"] = "https://attacker.example/jwks.json" } },
        Scenario("x5u", .headerForbidden) { $0.withHeader { $0["x5u"] = "https://attacker.example/cert.pem" } },
        Scenario("x5c", .headerForbidden) { $0.withHeader { $0["x5c"] = ["MIIB"] } },
        Scenario("b64 false", .headerForbidden) { $0.withHeader { $0["b64"] = false } },
        Scenario("zip", .headerForbidden) { $0.withHeader { $0["zip"] = "DEF" } },
        Scenario("enc", .headerForbidden) { $0.withHeader { $0["enc"] = "A256GCM" } },
        Scenario("cty JWT (nested)", .headerForbidden) { $0.withHeader { $0["cty"] = "JWT" } },
        Scenario("kid is a number", .headerForbidden) { $0.withHeader { $0["kid"] = 1 } },
        Scenario("kid unknown to the registry", .keyUnknown) { factory in
            factory.with(header: { $0["kid"] = "k9" }, claims: { $0["key_id"] = "k9" })
        },
        Scenario("kid and key_id disagree", .keyIDMismatch) { $0.withClaims { $0["key_id"] = "k2" } },
        Scenario("key_id is not a string", .claimInvalid) { $0.withClaims { $0["key_id"] = 7 } },
        Scenario("only key_id names the key", nil) { $0.withHeader { $0["kid"] = nil } },
        Scenario("no kid, no key_id, the registry's only key", nil) { factory in
            var object = factory.claims
            object["key_id"] = nil
            var header = factory.header
            header["kid"] = nil
            return Setup(factory, token: factory.token(header: header, claims: object))
        },
        Scenario("no kid, no key_id, two registry keys", .keyUnknown) { factory in
            var object = factory.claims
            object["key_id"] = nil
            var header = factory.header
            header["kid"] = nil
            var setup = Setup(factory, token: factory.token(header: header, claims: object))
            let other = publicJWK(otherKey().publicKey, keyID: "k2")
            setup.keySets = [factory.issuer: JWKSet(entries: [factory.publicJWK, other])]
            return setup
        },
        Scenario("JWKS holds private material", .keyInvalid) { factory in
            var setup = Setup(factory)
            var entry = factory.publicJWK.objectValue ?? JSONObject()
            entry["d"] = .string(Base64URL.encode(factory.keyPair.seed))
            setup.keySets = [factory.issuer: JWKSet(entries: [.object(entry)])]
            return setup
        },
        Scenario("JWKS has duplicate kids", .keyInvalid) { factory in
            var setup = Setup(factory)
            setup.keySets = [factory.issuer: JWKSet(entries: [factory.publicJWK, factory.publicJWK])]
            return setup
        },
        Scenario("kid names a small-order key", .keyInvalid) { factory in
            var setup = Setup(factory)
            let zero = publicJWK([UInt8](repeating: 0, count: 32), keyID: "k1")
            setup.keySets = [factory.issuer: JWKSet(entries: [zero])]
            return setup
        },
        Scenario("kid names an X25519 key", .keyInvalid) { factory in
            var setup = Setup(factory)
            var entry = factory.publicJWK.objectValue ?? JSONObject()
            entry["crv"] = "X25519"
            setup.keySets = [factory.issuer: JWKSet(entries: [.object(entry)])]
            return setup
        },
        Scenario("registry JWKS unavailable", .registryUnavailable) { factory in
            var setup = Setup(factory)
            setup.keySets = [:]
            return setup
        },
        Scenario("signed by another key with the same kid", .signatureInvalid) { factory in
            var setup = Setup(factory)
            let impostor = JSONValue.object(factory.header)
            let input = Base64URL.encode(JSONSerializer.bytes(impostor)) + "." + Base64URL.encode(JSONSerializer.bytes(.object(factory.claims)))
            setup.token = input + "." + Base64URL.encode(otherKey().sign(Array(input.utf8)))
            return setup
        },
        Scenario("payload changed after signing", .signatureInvalid) { factory in
            let parts = factory.token().split(separator: ".").map(String.init)
            var claims = factory.claims
            claims["tier"] = "business_verified"
            claims["operator"] = "Mallory"
            let forged = Base64URL.encode(JSONSerializer.bytes(.object(claims)))
            return Setup(factory, token: parts[0] + "." + forged + "." + parts[2])
        },
        Scenario("signature of 63 bytes", .signatureInvalid) { factory in
            let parts = factory.token().split(separator: ".").map(String.init)
            let signature = Base64URL.decode(parts[2]) ?? []
            return Setup(factory, token: parts[0] + "." + parts[1] + "." + Base64URL.encode(Array(signature.dropLast())))
        },
    ]

    @Test("header, key and signature scenarios", arguments: scenarios)
    func scenario(_ scenario: Scenario) async throws {
        let factory = try TokenFactory()
        let report = await scenario.build(factory).run(now: factory.now)
        #expect(report.reasons.first?.code == scenario.expected, "\(report.reasons)")
        #expect(report.valid == (scenario.expected == nil))
        if let expected = scenario.expected {
            let failing = report.checks.filter { $0.result == .fail }
            #expect(failing.count == 1)
            #expect(failing.first?.code == expected)
        }
    }
}

func otherKey() -> Ed25519.KeyPair {
    Ed25519.KeyPair.generate() ?? Ed25519.KeyPair(seed: [UInt8](repeating: 7, count: 32))!
}

func publicJWK(_ key: [UInt8], keyID: String) -> JSONValue {
    var object = JSONObject()
    object["kty"] = "OKP"
    object["crv"] = "Ed25519"
    object["x"] = .string(Base64URL.encode(key))
    object["kid"] = .string(keyID)
    return .object(object)
}
