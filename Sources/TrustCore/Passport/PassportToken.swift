public import StrictJSON
internal import Ed25519

/// A passport token after SPEC §2.3 step 3: a strict compact JWS whose payload is a JSON object.
public struct PassportToken: Sendable {
    /// The compact form as received (whitespace already trimmed by the caller).
    public let compact: String
    /// The decoded JWS.
    public let jws: CompactJWS
    /// The payload as a JSON object; untrusted until the signature step has passed.
    public let claims: JSONObject
    /// Lowercase hex SHA-256 of the compact form: how tokens are logged and named in revocation lists.
    public let digest: String

    /// Parses `compact` under step 3's rules.
    public static func parse(_ compact: String) -> Result<PassportToken, TrustReason> {
        let jws: CompactJWS
        switch CompactJWS.parse(compact) {
        case .success(let parsed): jws = parsed
        case .failure(let reason): return .failure(reason)
        }
        switch CompactJWS.parseObject(jws.payload, what: "payload") {
        case .success(let claims):
            return .success(PassportToken(compact: compact, jws: jws, claims: claims, digest: SHA256.hexDigest(compact)))
        case .failure(let reason): return .failure(reason)
        }
    }
}
