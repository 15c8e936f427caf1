public import StrictJSON
internal import Ed25519

/// A registry's JSON Web Key Set (RFC 7517), sorted into keys that may check passports and entries that
/// may not (SPEC §2.3 step 5).
public struct JWKSet: Sendable, Hashable {
    /// An Ed25519 public key that passed every import check.
    public struct Key: Sendable, Hashable {
        /// The `kid`, if the entry had one.
        public let keyID: String?
        /// The 32-byte public key.
        public let publicKey: [UInt8]
    }

    /// An entry that cannot be used, and why.
    public struct UnusableEntry: Sendable, Hashable {
        /// The entry's `kid`, if it had a string one.
        public let keyID: String?
        /// Why it cannot be used.
        public let reason: String
    }

    /// Keys usable for verification.
    public let keys: [Key]
    /// Entries ignored for selection; naming one is `passport.key_invalid`.
    public let unusable: [UnusableEntry]
    /// When set, the whole set is unusable (private material or duplicate `kid`s) and every lookup is
    /// `passport.key_invalid`.
    public let setProblem: String?

    /// The largest JWKS document accepted.
    public static let maximumBytes = 64 * 1024

    /// Parses a JWKS document.
    /// - Throws: ``JSONParseError`` when it is not strict JSON; ``JWKSetFormatError`` when it is JSON but
    ///   not a key set (no `keys` array).
    public static func parse(_ bytes: [UInt8]) throws -> JWKSet {
        let parser = JSONParser(maximumDepth: 16, maximumBytes: maximumBytes)
        guard case .object(let document) = try parser.parse(bytes),
            case .array(let entries) = document["keys"] ?? .null
        else { throw JWKSetFormatError(message: "a JWKS is an object with a \"keys\" array") }
        return JWKSet(entries: entries)
    }

    /// Sorts raw JWK entries.
    public init(entries: [JSONValue]) {
        var keys: [Key] = []
        var unusable: [UnusableEntry] = []
        var setProblem: String?
        var seenKeyIDs = Set<String>()
        for entry in entries {
            let keyID = entry["kid"]?.stringValue
            if let keyID, !seenKeyIDs.insert(keyID).inserted {
                setProblem = "the JWKS has more than one key with kid \"\(keyID)\""
            }
            guard case .object(let object) = entry else {
                unusable.append(UnusableEntry(keyID: nil, reason: "the entry is not an object"))
                continue
            }
            if object.contains("d") {
                setProblem = "the JWKS contains private key material (d)"
            }
            switch JWKSet.importKey(object) {
            case .success(let key): keys.append(key)
            case .failure(let reason): unusable.append(UnusableEntry(keyID: keyID, reason: reason.message))
            }
        }
        self.keys = keys
        self.unusable = unusable
        self.setProblem = setProblem
    }

    private struct ImportProblem: Error {
        let message: String
    }

    /// Accepts only `kty` OKP, `crv` Ed25519, a strict 32-byte canonical non-small-order `x`; `use`, `key_ops`
    /// and `alg`, when present, must allow EdDSA signature verification.
    private static func importKey(_ object: JSONObject) -> Result<Key, ImportProblem> {
        if let keyID = object["kid"], keyID.stringValue == nil {
            return .failure(ImportProblem(message: "kid is not a string"))
        }
        guard object["kty"]?.stringValue == "OKP" else { return .failure(ImportProblem(message: "kty is not OKP")) }
        guard object["crv"]?.stringValue == "Ed25519" else {
            return .failure(ImportProblem(message: "crv is not Ed25519"))
        }
        if let use = object["use"], use.stringValue != "sig" {
            return .failure(ImportProblem(message: "use is not sig"))
        }
        if let operations = object["key_ops"] {
            guard let list = operations.arrayValue, list.contains(.string("verify")) else {
                return .failure(ImportProblem(message: "key_ops does not allow verify"))
            }
        }
        if let algorithm = object["alg"], algorithm.stringValue != HeaderPolicy.allowedAlgorithm {
            return .failure(ImportProblem(message: "alg is not EdDSA"))
        }
        guard let encoded = object["x"]?.stringValue, let publicKey = Base64URL.decode(encoded) else {
            return .failure(ImportProblem(message: "x is missing or not canonical base64url"))
        }
        if let problem = Ed25519.problem(withPublicKey: publicKey) {
            return .failure(ImportProblem(message: problem.rawValue))
        }
        return .success(Key(keyID: object["kid"]?.stringValue, publicKey: publicKey))
    }
}

/// A JWKS document that is JSON but not a key set.
public struct JWKSetFormatError: Error, Sendable {
    /// What is wrong.
    public let message: String
}
