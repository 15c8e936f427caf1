import Ed25519
import StrictJSON
import TrustCore

/// Mints tokens with a key generated at test time, including deliberately broken ones: header and payload
/// can be given as raw JSON text (duplicate members, odd types) and are signed exactly as written.
public struct TokenFactory: Sendable {
    public let keyPair: Ed25519.KeyPair
    public let keyID: String
    public let issuer: String
    public let now: Int64

    /// A factory with a fresh key.
    public init(keyID: String = "k1", issuer: String = "https://registry.test", now: Int64 = 1_800_000_000) throws {
        guard let keyPair = Ed25519.KeyPair.generate() else { throw SupportError("libsodium could not make a key") }
        self.keyPair = keyPair
        self.keyID = keyID
        self.issuer = issuer
        self.now = now
    }

    /// The public JWK of the key.
    public var publicJWK: JSONValue {
        ["kty": "OKP", "crv": "Ed25519", "x": .string(Base64URL.encode(keyPair.publicKey)), "kid": .string(keyID)]
    }

    /// A JWKS holding just this key.
    public var keySet: JWKSet {
        JWKSet(entries: [publicJWK])
    }

    /// The default header: `{"alg":"EdDSA","typ":"JWT","kid":…}`.
    public var header: JSONObject {
        var object = JSONObject()
        object["alg"] = "EdDSA"
        object["typ"] = "JWT"
        object["kid"] = .string(keyID)
        return object
    }

    /// Claims that pass every step at `now` for identity `aii_test` on `mcp://tools.example.com`.
    public var claims: JSONObject {
        var object = JSONObject()
        object["iss"] = .string(issuer)
        object["sub"] = "aii_test"
        object["aud"] = "verifier"
        object["iat"] = .number(JSONNumber(now - 3600))
        object["exp"] = .number(JSONNumber(now + 86_400))
        object["tier"] = "business_verified"
        object["operator"] = "Acme Ltd"
        object["surfaces"] = ["mcp://tools.example.com"]
        object["capabilities"] = ["search"]
        object["key_id"] = .string(keyID)
        return object
    }

    /// Signs header and claims objects.
    public func token(header: JSONObject? = nil, claims: JSONObject? = nil) -> String {
        token(
            rawHeader: JSONSerializer.string(.object(header ?? self.header)),
            rawPayload: JSONSerializer.string(.object(claims ?? self.claims))
        )
    }

    /// Signs raw header and payload text exactly as given.
    public func token(rawHeader: String, rawPayload: String) -> String {
        let input = Base64URL.encode(rawHeader) + "." + Base64URL.encode(rawPayload)
        return input + "." + Base64URL.encode(keyPair.sign(Array(input.utf8)))
    }

    /// Signs with the given signing input (for segment-level mutations).
    public func signature(over signingInput: String) -> String {
        Base64URL.encode(keyPair.sign(Array(signingInput.utf8)))
    }
}
