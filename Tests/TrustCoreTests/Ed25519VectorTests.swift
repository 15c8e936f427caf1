import Ed25519
import Foundation
import StrictJSON
import TestSupport
import Testing
import TrustCore

/// Wycheproof, ed25519-speccheck and the RFC known-answer tests, all through the libsodium shim.
struct Ed25519VectorTests {
    struct WycheproofCase: Sendable, CustomTestStringConvertible {
        let id: Int
        let publicKey: [UInt8]
        let message: [UInt8]
        let signature: [UInt8]
        let valid: Bool
        let comment: String
        var testDescription: String { "tcId \(id) \(valid ? "valid" : "invalid") \(comment)" }
    }

    static let wycheproof: [WycheproofCase] = {
        guard let data = try? Repository.vector("wycheproof/ed25519_test.json"),
            let document = try? JSONParser().parse([UInt8](data)), case .array(let groups)? = document["testGroups"]
        else { return [] }
        var cases: [WycheproofCase] = []
        for group in groups {
            guard let key = group["publicKey"]?["pk"]?.stringValue.flatMap(Hex.decode),
                case .array(let tests)? = group["tests"]
            else { continue }
            for test in tests {
                guard let id = test["tcId"]?.numberValue?.int64Value,
                    let message = test["msg"]?.stringValue.flatMap(Hex.decode),
                    let signature = test["sig"]?.stringValue.flatMap(Hex.decode),
                    let result = test["result"]?.stringValue
                else { continue }
                cases.append(
                    WycheproofCase(
                        id: Int(id), publicKey: key, message: message, signature: signature, valid: result == "valid",
                        comment: test["comment"]?.stringValue ?? ""
                    )
                )
            }
        }
        return cases
    }()

    @Test("the Wycheproof file has its 151 cases, 88 valid and 63 invalid")
    func wycheproofCount() {
        #expect(Self.wycheproof.count == 151)
        #expect(Self.wycheproof.filter(\.valid).count == 88)
    }

    @Test("Wycheproof: every valid signature verifies and every invalid one does not", arguments: wycheproof)
    func wycheproofCase(_ vector: WycheproofCase) {
        let verified = Ed25519.isValidSignature(vector.signature, of: vector.message, publicKey: vector.publicKey)
        #expect(verified == vector.valid)
    }

    /// libsodium 1.0.18's policy, written out: it rejects small-order A and R (0, 1, 2), accepts the
    /// mixed-order case that passes both equations (3), uses the cofactorless equation (4, 5 fail),
    /// requires S < L (6, 7) and canonical R and A (8–11).
    static let libsodiumAccepts: [Bool] = [false, false, false, true, false, false, false, false, false, false, false, false]

    static let speccheck: [(Int, [UInt8], [UInt8], [UInt8])] = {
        guard let data = try? Repository.vector("ed25519-speccheck/cases.json"),
            case .array(let cases)? = try? JSONParser().parse([UInt8](data))
        else { return [] }
        return cases.enumerated().compactMap { index, entry in
            guard let message = entry["message"]?.stringValue.flatMap(Hex.decode),
                let key = entry["pub_key"]?.stringValue.flatMap(Hex.decode),
                let signature = entry["signature"]?.stringValue.flatMap(Hex.decode)
            else { return nil }
            return (index, message, key, signature)
        }
    }()

    @Test("ed25519-speccheck: the 12 cases follow libsodium's policy", arguments: 0..<12)
    func speccheckCase(_ index: Int) throws {
        try #require(Self.speccheck.count == 12)
        let (_, message, key, signature) = Self.speccheck[index]
        #expect(Ed25519.isValidSignature(signature, of: message, publicKey: key) == Self.libsodiumAccepts[index])
    }

    @Test("ed25519-speccheck: keys that are small-order (0, 1) or non-canonical (10, 11) are refused at JWKS import")
    func speccheckKeysRefusedAtImport() throws {
        try #require(Self.speccheck.count == 12)
        for index in [0, 1, 10, 11] {
            #expect(Ed25519.problem(withPublicKey: Self.speccheck[index].2) != nil, "case \(index)")
        }
    }

    static let katDocument: JSONValue? = {
        guard let data = try? Repository.vector("derived/ed25519-kat-rfc8032-rfc8037.json") else { return nil }
        return try? JSONParser().parse([UInt8](data))
    }()

    @Test("RFC 8032 §7.1: the seed gives the public key, signing reproduces the signature, and it verifies")
    func rfc8032() throws {
        let vectors = try #require(Self.katDocument?["rfc8032"]?.arrayValue)
        #expect(vectors.count == 4)
        for vector in vectors {
            let seed = try #require(vector["secretKeyHex"]?.stringValue.flatMap(Hex.decode))
            let publicKey = try #require(vector["publicKeyHex"]?.stringValue.flatMap(Hex.decode))
            let message = try #require(vector["messageHex"]?.stringValue.flatMap(Hex.decode))
            let signature = try #require(vector["signatureHex"]?.stringValue.flatMap(Hex.decode))
            let keyPair = try #require(Ed25519.KeyPair(seed: seed))
            #expect(keyPair.publicKey == publicKey)
            #expect(keyPair.sign(message) == signature)
            #expect(Ed25519.isValidSignature(signature, of: message, publicKey: publicKey))
            var flipped = signature
            flipped[0] ^= 1
            #expect(!Ed25519.isValidSignature(flipped, of: message, publicKey: publicKey))
        }
    }

    @Test("RFC 8037 Appendix A: thumbprint, deterministic signature, and JWS-layer verification")
    func rfc8037() throws {
        let appendix = try #require(Self.katDocument?["rfc8037"])
        let x = try #require(appendix["publicJwk"]?["x"]?.stringValue)
        let d = try #require(appendix["privateJwk"]?["d"]?.stringValue)
        let input = try #require(appendix["signingInput"]?.stringValue)
        let expected = try #require(appendix["signatureB64url"]?.stringValue)
        let thumbprint = try #require(appendix["jwkThumbprintSha256"]?.stringValue)
        let members = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"\(x)\"}"
        #expect(Base64URL.encode(SHA256.digest(Array(members.utf8))) == thumbprint)
        let keyPair = try #require(Base64URL.decode(d).flatMap(Ed25519.KeyPair.init(seed:)))
        #expect(Base64URL.encode(keyPair.publicKey) == x)
        #expect(Base64URL.encode(keyPair.sign(Array(input.utf8))) == expected)
        let keySet = JWKSet(entries: [try #require(appendix["publicJwk"])])
        #expect(JWSLayer.accepts(input + "." + expected, keySet: keySet))
    }
}

/// The JWS layer of the verifier on its own (steps 3–6 without the JWT claim rules), for vectors whose
/// payload is not JSON.
enum JWSLayer {
    static func accepts(_ token: String, keySet: JWKSet) -> Bool {
        guard case .success(let jws) = CompactJWS.parse(token), HeaderPolicy.evaluate(jws.header) == nil,
            case .success(let key) = KeySelection.select(
                from: keySet, headerKeyID: jws.header["kid"]?.stringValue, claimKeyID: nil
            )
        else { return false }
        return Ed25519.isValidSignature(jws.signature, of: jws.signingInput, publicKey: key.publicKey)
    }
}
