public import StrictJSON
import TrustCore
import Ed25519

/// Mints AI-Identity-format passports (SPEC §4 `passport issue`): for private registries, demos and tests.
public struct PassportMinter: Sendable {
    /// The claims of one passport.
    public struct Claims: Sendable {
        public var issuer: String
        public var subject: String
        public var audience: String = "verifier"
        public var issuedAt: Int64
        public var lifetimeSeconds: Int64
        public var notBefore: Int64?
        public var tier: String = "issued"
        public var operatorName: String = "anon"
        public var surfaces: [String] = []
        public var capabilities: [String] = []
        public var tokenID: String?

        /// Creates claims; the rest have the defaults above.
        public init(issuer: String, subject: String, issuedAt: Int64, lifetimeSeconds: Int64) {
            self.issuer = issuer
            self.subject = subject
            self.issuedAt = issuedAt
            self.lifetimeSeconds = lifetimeSeconds
        }
    }

    /// The signing key.
    public let key: SigningKey

    /// Creates a minter.
    public init(key: SigningKey) {
        self.key = key
    }

    /// The payload object for `claims`, in the order AI Identity's example uses.
    public func payload(for claims: Claims) -> JSONValue {
        var object = JSONObject()
        object["iss"] = .string(claims.issuer)
        object["sub"] = .string(claims.subject)
        object["aud"] = .string(claims.audience)
        object["iat"] = .number(JSONNumber(claims.issuedAt))
        object["exp"] = .number(JSONNumber(claims.issuedAt + claims.lifetimeSeconds))
        if let notBefore = claims.notBefore { object["nbf"] = .number(JSONNumber(notBefore)) }
        object["tier"] = .string(claims.tier)
        object["operator"] = .string(claims.operatorName)
        object["surfaces"] = .array(claims.surfaces.map(JSONValue.string))
        object["capabilities"] = .array(claims.capabilities.map(JSONValue.string))
        object["key_id"] = .string(key.keyID)
        let base = claims.issuer.hasSuffix("/") ? String(claims.issuer.dropLast()) : claims.issuer
        object["registry_url"] = .string(base + "/whois/" + claims.subject)
        if let tokenID = claims.tokenID { object["jti"] = .string(tokenID) }
        return .object(object)
    }

    /// Signs `claims` into a compact JWS with header `{"alg":"EdDSA","typ":"JWT","kid":…}`.
    public func mint(_ claims: Claims) -> String {
        let header: JSONValue = ["alg": "EdDSA", "typ": "JWT", "kid": .string(key.keyID)]
        return sign(header: header, payload: payload(for: claims))
    }

    /// Signs any header and payload (compact JSON) as a compact JWS.
    public func sign(header: JSONValue, payload: JSONValue) -> String {
        let signingInput = Base64URL.encode(JSONSerializer.bytes(header)) + "." + Base64URL.encode(JSONSerializer.bytes(payload))
        let signature = key.keyPair.sign(Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }
}
