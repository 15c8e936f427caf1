import Ed25519
import StrictJSON
import TestSupport
import Testing
import TrustCore

/// The small parts the steps are built from: base64url, surfaces, issuer names, JWKS import, revocation
/// lists and RFC 3339 times.
struct PartsTests {
    @Test("base64url decoding is strict", arguments: [
        ("", true), ("QQ", true), ("QR", false), ("QQ==", false), ("Q", false), ("a+b/", false), ("ab c", false),
        ("AAEC", true),
    ])
    func base64URL(_ text: String, _ accepted: Bool) {
        #expect((Base64URL.decode(text) != nil) == accepted)
    }

    @Test("base64url round-trips every length")
    func base64URLRoundTrip() {
        for length in 0..<70 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
    }

    @Test("surfaces are canonicalised", arguments: [
        ("mcp://Tools.Example.COM./sse/", "mcp://tools.example.com/sse"),
        ("https://tools.example.com:443/", "https://tools.example.com"),
        ("http://tools.example.com:80/a", "http://tools.example.com/a"),
        ("mcp://tools.example.com:443", "mcp://tools.example.com:443"),
        ("https://[::1]:8443/mcp", "https://[::1]:8443/mcp"),
    ])
    func canonical(_ text: String, _ expected: String) {
        #expect(SurfaceAddress.surface(text)?.description == expected)
    }

    @Test("unusable surfaces are refused", arguments: [
        "telegram:@bot", "ftp://tools.example.com", "mcp://", "mcp://user@tools.example.com", "mcp://h/x?y=1",
        "mcp://h:0", "mcp://h:99999", "mcp://h:12a", "tools.example.com",
    ])
    func badSurface(_ text: String) {
        #expect(SurfaceAddress.surface(text) == nil)
    }

    @Test("surface coverage follows SPEC §2.5", arguments: [
        ("mcp://h", "https://h", true), ("mcp://h:443", "https://h", true), ("mcp://h:80", "http://h", true),
        ("mcp://h:443", "http://h", false), ("mcp://h", "https://h:8443", false), ("mcp://h:8443", "https://h:8443", true),
        ("mcp://h/a", "https://h/a/b", true), ("mcp://h/a", "https://h/ab", false), ("mcp://h/a", "https://h/A", false),
        ("mcp://h", "https://sub.h", false), ("mcp://sub.h", "https://h", false), ("mcp://h/a/", "https://h/a", true),
    ])
    func coverage(_ surface: String, _ endpoint: String, _ covered: Bool) throws {
        let surfaceAddress = try #require(SurfaceAddress.surface(surface))
        let endpointAddress = try #require(SurfaceAddress.endpoint(endpoint))
        #expect(surfaceAddress.covers(endpointAddress) == covered)
    }

    @Test("issuer names compare after lower-casing scheme and host and one trailing slash only")
    func issuerNames() {
        #expect(IssuerName.same("HTTPS://AIIdentity.org/", "https://aiidentity.org"))
        #expect(!IssuerName.same("https://aiidentity.org/Reg", "https://aiidentity.org/reg"))
        #expect(!IssuerName.same("https://aiidentity.org:443", "https://aiidentity.org"))
        #expect(!IssuerName.same("https://aiidentity.org//", "https://aiidentity.org"))
    }

    @Test("JWKS import keeps good keys and explains the rest")
    func keySetImport() throws {
        let good = try TokenFactory().publicJWK
        let document = """
            {"keys":[\(JSONSerializer.string(good)),
              {"kty":"OKP","crv":"Ed25519","kid":"short","x":"AAAA"},
              {"kty":"EC","crv":"P-256","kid":"ec","x":"AAAA","y":"AAAA"},
              {"kty":"OKP","crv":"Ed25519","kid":"enc","use":"enc","x":"\(good["x"]?.stringValue ?? "")"},
              {"kty":"OKP","crv":"Ed25519","kid":"ops","key_ops":["sign"],"x":"\(good["x"]?.stringValue ?? "")"}]}
            """
        let set = try JWKSet.parse(Array(document.utf8))
        #expect(set.keys.map(\.keyID) == ["k1"])
        #expect(set.unusable.map(\.keyID) == ["short", "ec", "enc", "ops"])
        #expect(set.setProblem == nil)
        #expect(throws: (any Error).self) { try JWKSet.parse(Array("{\"keys\":{}}".utf8)) }
        #expect(throws: (any Error).self) { try JWKSet.parse(Array("{\"keys\":[],\"keys\":[]}".utf8)) }
    }

    @Test("the non-canonical and small-order key encodings are refused")
    func keyProblems() throws {
        var nonCanonical = [UInt8](repeating: 0xFF, count: 32)
        nonCanonical[0] = 0xF0
        nonCanonical[31] = 0x7F
        #expect(Ed25519.problem(withPublicKey: nonCanonical) == .nonCanonical)
        let identity = [UInt8]([1] + [UInt8](repeating: 0, count: 31))
        #expect(Ed25519.problem(withPublicKey: identity) == .smallOrder)
        var signBitSet = [UInt8](repeating: 0, count: 32)
        signBitSet[31] = 0x80
        #expect(Ed25519.problem(withPublicKey: signBitSet) == .smallOrder)
        #expect(Ed25519.problem(withPublicKey: [UInt8](repeating: 0, count: 31)) == .wrongLength)
        #expect(Ed25519.problem(withPublicKey: try TokenFactory().keyPair.publicKey) == nil)
    }

    @Test("revocation lists parse in both forms and refuse what they cannot read")
    func revocationLists() throws {
        let list = try RevocationList.parse(Array("""
            {"updated_at":"2026-11-27T10:00:00.5+01:00","revoked":["aii_a",{"identity":"aii_b","reason":"x"},
             {"jti":"t1"},{"passport_sha256":"ABCD"},{"sub":"aii_c"},{"id":"aii_d"}]}
            """.utf8))
        #expect(list.updatedAt == 1_795_770_000)
        #expect(list.match(identity: "aii_b", tokenID: nil, tokenDigest: nil)?.reason == "x")
        #expect(list.match(identity: nil, tokenID: nil, tokenDigest: "abcd")?.field == "passport_sha256")
        #expect(list.count == 6)
        #expect(try RevocationList.parse(Array("[\"aii_x\"]".utf8)).updatedAt == nil)
        for bad in ["{\"revoked\":[]}", "{\"updated_at\":\"yesterday\",\"revoked\":[]}", "[{\"reason\":\"x\"}]", "[1]", "7"] {
            #expect(throws: (any Error).self, "\(bad)") { try RevocationList.parse(Array(bad.utf8)) }
        }
    }

    @Test("RFC 3339 times round-trip and malformed ones are refused")
    func rfc3339() {
        #expect(RFC3339.seconds(from: "1970-01-01T00:00:00Z") == 0)
        #expect(RFC3339.seconds(from: "2000-02-29T12:00:00Z") == 951_825_600)
        #expect(RFC3339.string(fromSeconds: 951_825_600) == "2000-02-29T12:00:00Z")
        #expect(RFC3339.seconds(from: "2026-11-27T10:00:00-02:30") == RFC3339.seconds(from: "2026-11-27T12:30:00Z"))
        for bad in ["2026-13-01T00:00:00Z", "2026-11-27 10:00:00Z", "2026-11-27T10:00:00", "2026-11-27T10:00:00.Z"] {
            #expect(RFC3339.seconds(from: bad) == nil, "\(bad)")
        }
    }
}
