import Foundation
import StrictJSON
import TestSupport
import Testing
@testable import TrustCore

/// The hot path reads a token's header and claims straight from the bytes (``PresentedToken``); the
/// strict parser reads every other token. These tests pin that both readings agree on everything the
/// steps use, over tokens built to sit on either side of the decoder's subset, and that
/// ``PassportVerifier/outcome(_:)`` agrees with ``PassportVerifier/verify(_:)``.
struct DecodingEquivalenceTests {
    /// What the steps read from a token, as one comparable value.
    struct Reading: Equatable {
        var failure: TrustReason?
        var headerProblem: TrustReason?
        var headerKeyID: String?
        var claimKeyID: Result<String?, TrustReason>?
        var subject: String?
        var issuer: String?
        var claims: Result<PassportClaims, TrustReason>?
        var digest: String?
        var signingInput: [UInt8] = []
        var signature: [UInt8] = []

        init(_ result: Result<PresentedToken, TrustReason>) {
            switch result {
            case .failure(let reason): failure = reason
            case .success(let token):
                headerProblem = token.headerProblem
                headerKeyID = token.headerKeyID
                claimKeyID = token.claimKeyID
                subject = token.unverifiedSubject
                issuer = token.unverifiedIssuer
                claims = token.validatedClaims
                digest = token.digest
                signingInput = token.signingInput
                signature = token.signature
            }
        }
    }

    /// The strict parser's reading of `token`, as before the decoder existed.
    static func reference(_ token: String) -> Result<PresentedToken, TrustReason> {
        PassportToken.parse(token).map {
            PresentedToken(compact: token, signingInput: $0.jws.signingInput, signature: $0.jws.signature, contents: .parsed($0))
        }
    }

    static let headers: [String] = [
        #"{"alg":"EdDSA","typ":"JWT","kid":"k1"}"#, #"{"alg":"EdDSA"}"#, #" { "alg" : "EdDSA" , "typ":"jwt" } "#,
        "{\n\t\"alg\":\"EdDSA\",\r\n\"kid\":\"k1\"}", #"{"alg":"none"}"#, #"{"alg":"eddsa","kid":"k1"}"#,
        #"{"alg":1}"#, #"{"alg":null}"#, #"{"typ":"JWT"}"#, #"{"alg":"EdDSA","typ":"at+jwt"}"#,
        #"{"alg":"EdDSA","typ":7}"#, #"{"alg":"EdDSA","kid":7}"#, #"{"alg":"EdDSA","kid":null}"#,
        #"{"alg":"EdDSA","jwk":{"kty":"OKP"}}"#, #"{"alg":"EdDSA","crit":["b64"],"b64":false}"#,
        #"{"alg":"none","cty":"JWT"}"#, #"{"alg":"EdDSA","alg":"EdDSA"}"#, #"{"alg":"EdD\u0053A"}"#,
        #"{"al\u0067":"EdDSA"}"#, #"{"alg":"EdDSA","x-extra":{"a":[1,2,{"b":null}]},"n":-12,"t":true}"#,
        #"{"alg":"EdDSA","x":{"a":1,"a":2}}"#, #"{"alg":"EdDSA","x":[1,}"#, #"{"alg":"EdDSA",}"#, #"{"alg":"EdDSA"} x"#,
        #"["alg","EdDSA"]"#, #""EdDSA""#, "\u{FEFF}{\"alg\":\"EdDSA\"}", #"{"alg":"EdDSA","kid":"ключ"}"#,
        #"{"alg":"EdDSA","typ":"JWT","n":1.5}"#, #"{"alg":"EdDSA","n":1e400}"#, #"{"alg":"EdDSA","n":012}"#,
        #"{"alg":"EdDSA","kid":"a\tb"}"#, #"{}"#, #"{"alg":"EdDSA","typ":"ＪＷＴ"}"#,
        #"{"alg":"EdDSA","deep":"# + String(repeating: "[", count: 31) + String(repeating: "]", count: 31) + "}",
        #"{"alg":"EdDSA","deep":"# + String(repeating: "[", count: 32) + String(repeating: "]", count: 32) + "}",
    ]

    /// Payload members to drop into an otherwise valid payload, or to replace one of its claims with.
    static let payloadEdits: [(name: String, json: String?)] = [
        ("iss", nil), ("sub", nil), ("aud", nil), ("iat", nil), ("exp", nil), ("tier", nil),
        ("sub", "7"), ("sub", "null"), ("sub", #""a\u0062c""#), ("sub", #""aii_ü""#), ("aud", #"["x","verifier"]"#),
        ("aud", #"["verifier",1]"#), ("aud", "[]"), ("aud", "{}"), ("aud", #"  [ "verifier" ]  "#),
        ("iat", "-0"), ("iat", "0"), ("iat", "-1"), ("iat", "1.0"), ("iat", "1e3"), ("iat", "01"),
        ("exp", "9007199254740991"), ("exp", "9007199254740992"), ("exp", "99999999999999999999"), ("exp", #""1""#),
        ("nbf", "null"), ("nbf", "1799990000"), ("nbf", "1800090000"), ("operator", "null"), ("operator", #""Müller""#),
        ("operator", #""a\"b""#), ("surfaces", "[]"), ("surfaces", #"["mcp://tools.example.com", 3]"#),
        ("surfaces", #""mcp://tools.example.com""#), ("capabilities", "{}"), ("key_id", "5"), ("key_id", #""k2""#),
        ("jti", #""t-1""#), ("jti", "[]"), ("tier", #""gold""#), ("tier", #""issued""#), ("x", #"{"y":[true,false,null]}"#),
        ("x", #"{"y":1,"y":2}"#), ("x", "[1,2"), ("x", "1.5e3"), ("x", "-7"), ("x", #""\ud800""#), ("iss", #""https://REGISTRY.test/""#),
        // Names that differ in bytes but are canonically equivalent (U+212A KELVIN SIGN is K; é precomposed and
        // not): the strict parser compares names as Swift strings, so it calls them duplicates.
        ("Kx", "1,\"\u{212A}x\":2"), ("\u{00E9}", "1,\"e\u{0301}\":2"), ("tier", "\"business_verified\",\"\u{212A}\":1,\"K\":2"),
    ]

    /// A payload of the factory's claims with `edit` applied (as text, so that odd JSON survives).
    static func payload(_ factory: TokenFactory, _ edit: (name: String, json: String?)) -> String {
        var members: [String] = []
        var replaced = false
        for member in factory.claims.members {
            if member.key == edit.name {
                replaced = true
                if let json = edit.json { members.append("\"\(member.key)\":\(json)") }
            } else {
                members.append(JSONSerializer.string(.string(member.key)) + ":" + JSONSerializer.string(member.value))
            }
        }
        if !replaced, let json = edit.json { members.append("\"\(edit.name)\":\(json)") }
        return "{" + members.joined(separator: ",") + "}"
    }

    static func tokens(_ factory: TokenFactory) -> [String] {
        var tokens = headers.map { factory.token(rawHeader: $0, rawPayload: JSONSerializer.string(.object(factory.claims))) }
        tokens += payloadEdits.map { factory.token(rawHeader: #"{"alg":"EdDSA","kid":"k1"}"#, rawPayload: payload(factory, $0)) }
        let plain = factory.token()
        tokens += [plain, factory.token(rawHeader: #"{"alg":"EdDSA"}"#, rawPayload: "[]"), factory.token(rawHeader: "{", rawPayload: "{}")]
        tokens += [plain + "=", plain + ".x", String(plain.dropLast()), "", "a.b", "..", "e30.e30.", " " + plain]
        // Bytes that are not UTF-8, which a Swift string cannot hold: encoded by hand.
        let claims = Array(JSONSerializer.string(.object(factory.claims)).utf8.dropLast())
        let header = Array(#"{"alg":"EdDSA""#.utf8)
        for (rawHeader, rawPayload): ([UInt8], [UInt8]) in [
            (header + [0x7D], [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]),
            (header + [0x7D], [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]),
            (header + [0x7D], claims + Array(#","opes"#.utf8) + [0xF1] + Array(#"tor":"x"}"#.utf8)),
            (header + [0x7D], claims + Array(#","x":""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8)),
            (header + Array(#","k"#.utf8) + [0xC0, 0xAF] + Array(#"":1}"#.utf8), claims + [0x7D]),
            (header + Array(#","kid":"é"}"#.utf8), claims + Array(#","operator":"€"}"#.utf8)),
        ] {
            let input = Base64URL.encode(rawHeader) + "." + Base64URL.encode(rawPayload)
            tokens.append(input + "." + factory.signature(over: input))
        }
        return tokens
    }

    @Test("the decoder and the strict parser read every token the same way")
    func sameReading() throws {
        var decoded = 0
        let tokens = Self.tokens(try TokenFactory())
        for token in tokens {
            let fast = PresentedToken.read(token)
            #expect(Reading(fast) == Reading(Self.reference(token)), "\(token)")
            if case .success(let read) = fast, case .decoded = read.contents { decoded += 1 }
        }
        // Both readings are exercised.
        #expect(decoded > 20)
        #expect(decoded < tokens.count - 40)
    }

    @Test("the JWS vectors read the same way")
    func vectorsReadTheSame() {
        for vector in JWSNegativeVectorTests.cases {
            #expect(Reading(PresentedToken.read(vector.token)) == Reading(Self.reference(vector.token)), "\(vector.id)")
        }
    }

    @Test("malformed tokens fail step 3 with the first failing check's message", arguments: [
        ("", "the token is empty"),
        (String(repeating: "A", count: CompactJWS.maximumLength + 1), "the token is 16385 bytes; the limit is 16384"),
        ("a b.c", "the token has a character outside base64url and '.' at offset 1"),
        ("a.b.c.d e", "the token has a character outside base64url and '.' at offset 7"),
        ("QQ.QQ", "a compact JWS has exactly 3 segments; this token has 2"),
        ("QQ.QQ.QQ.QQ", "a compact JWS has exactly 3 segments; this token has 4"),
        ("a.bb.cc", "the header segment is not canonical base64url"),
        ("QR.QQ.QQ", "the header segment is not canonical base64url"),
        ("QQ.Q.cc", "the payload segment is not canonical base64url"),
        ("QQ.QQ.Q", "the signature segment is not canonical base64url"),
        ("QQ.QQ.QR", "the signature segment is not canonical base64url"),
        ("..", "the header is not strict JSON: unexpected end of input"),
        ("e30.W10.", "the payload is JSON but not an object"),
    ])
    func malformed(_ token: String, _ message: String) {
        #expect(Reading(PresentedToken.read(token)).failure == TrustReason(.malformed, message))
        #expect(Reading(Self.reference(token)).failure == TrustReason(.malformed, message))
    }

    @Test("outcome(_:) gives verify(_:)'s verdict, deciding code, warnings and identity")
    func outcomeMatchesReport() async throws {
        let factory = try TokenFactory()
        let revoked = RevocationList(updatedAt: nil, tokenDigests: [SHA256Digest.of(factory.token()): "leaked"])
        for token in Self.tokens(factory) {
            for binding in [SurfaceBinding.endpoint("https://tools.example.com/mcp"), .endpoint("http://tools.example.com/mcp"), .none] {
                for carriers in [
                    [IdentityCarrier(name: "result._meta", content: .block(id: "aii_test", passport: token, registry: factory.issuer))],
                    [IdentityCarrier(name: "http-header", content: .token(token))],
                ] {
                    let request = VerificationRequest(carriers: carriers, binding: binding, now: factory.now)
                    let materials = StaticRegistryMaterials(keySets: [factory.issuer: factory.keySet], revocationLists: [factory.issuer: revoked])
                    let verifier = PassportVerifier(policy: VerificationPolicy(trustedIssuers: [factory.issuer]), materials: materials)
                    let report = await verifier.verify(request)
                    let outcome = await verifier.outcome(request)
                    #expect(outcome.verdict == report.verdict)
                    #expect(outcome.reason == report.reasons.first?.code)
                    #expect(outcome.warnings == report.warnings.map(\.code))
                    #expect(outcome.identity == report.identity)
                }
            }
        }
    }
}

/// The digest revocation lists use, for building one in a test.
enum SHA256Digest {
    static func of(_ token: String) -> String {
        guard case .success(let parsed) = PassportToken.parse(token) else { return "" }
        return parsed.digest
    }
}
