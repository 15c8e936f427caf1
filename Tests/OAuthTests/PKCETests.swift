import Testing

@testable import OAuth

struct PKCETests {
    /// RFC 7636 appendix B: the verifier is the base64url of the 32 octets listed there, and the challenge its
    /// S256. (The pair sometimes quoted, "dBjftJeZ4CVP-mJ92K9PHiuPgKbklMX1Ex5eHrHuiAw" → "E9Mel…FmKsuM1cM", is a
    /// corrupted copy: neither string is the RFC's, and the one is not the S256 of the other.)
    @Test("the S256 challenge of RFC 7636 appendix B")
    func appendixB() {
        let octets: [UInt8] = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191,
            240, 91, 88,
            5, 88, 83, 132, 141, 121,
        ]
        #expect(PKCE.base64URL(octets) == "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        #expect(
            PKCE.challenge(for: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
                == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }

    @Test("verifiers and states are 43 base64url characters from 32 random bytes, all different")
    func randomValues() throws {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var seen = Set<String>()
        for _ in 0..<50 {
            let verifier = try PKCE.makeVerifier()
            let state = try PKCE.makeState()
            #expect(verifier.count == 43 && state.count == 43)
            #expect(verifier.allSatisfy(alphabet.contains) && state.allSatisfy(alphabet.contains))
            seen.insert(verifier)
            seen.insert(state)
        }
        #expect(seen.count == 100)
    }

    @Test("base64url of RFC 4648's test bytes, unpadded")
    func base64URL() {
        #expect(PKCE.base64URL([0xFB, 0xFF]) == "-_8")
        #expect(PKCE.base64URL(Array("foob".utf8)) == "Zm9vYg")
    }
}
