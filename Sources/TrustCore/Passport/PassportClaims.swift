public import StrictJSON

/// The claims of a passport after SPEC §2.3 step 7: present and of the right JSON type.
public struct PassportClaims: Sendable, Hashable {
    /// `iss`: the registry that issued the passport.
    public let issuer: String
    /// `sub`: the identity id (`aii_…`).
    public let subject: String
    /// `aud`, as a list (a single string becomes a list of one).
    public let audience: [String]
    /// `iat`, seconds since the epoch.
    public let issuedAt: Int64
    /// `exp`, seconds since the epoch.
    public let expiresAt: Int64
    /// `nbf`, seconds since the epoch, when present.
    public let notBefore: Int64?
    /// `tier` as written (step 12 checks it is a known tier).
    public let tier: String
    /// `operator`, when present.
    public let operatorName: String?
    /// `surfaces`, when present.
    public let surfaces: [String]
    /// `capabilities`, when present.
    public let capabilities: [String]
    /// `key_id`, when present.
    public let keyID: String?
    /// `jti`, when present.
    public let tokenID: String?

    /// The largest NumericDate accepted: 2^53 − 1, the largest integer every JSON implementation holds exactly.
    public static let maximumNumericDate: Int64 = 9_007_199_254_740_991

    /// Checks presence and types.
    /// - Returns: the typed claims, or `passport.claim_missing` / `passport.claim_invalid`.
    public static func validate(_ claims: JSONObject) -> Result<PassportClaims, TrustReason> {
        do {
            return .success(try PassportClaims(claims))
        } catch {
            return .failure(error.reason)
        }
    }

    private struct ClaimError: Error {
        let reason: TrustReason
    }

    private init(_ claims: JSONObject) throws(ClaimError) {
        issuer = try Self.requiredString("iss", in: claims)
        subject = try Self.requiredString("sub", in: claims)
        audience = try Self.audience(in: claims)
        issuedAt = try Self.requiredDate("iat", in: claims)
        expiresAt = try Self.requiredDate("exp", in: claims)
        notBefore = claims.contains("nbf") ? try Self.requiredDate("nbf", in: claims) : nil
        tier = try Self.requiredString("tier", in: claims)
        operatorName = try Self.optionalString("operator", in: claims)
        surfaces = try Self.optionalStrings("surfaces", in: claims)
        capabilities = try Self.optionalStrings("capabilities", in: claims)
        keyID = try Self.optionalString("key_id", in: claims)
        tokenID = try Self.optionalString("jti", in: claims)
    }

    private static func requiredString(_ name: String, in claims: JSONObject) throws(ClaimError) -> String {
        guard let value = claims[name] else { throw missing(name) }
        guard case .string(let text) = value else { throw invalid(name, "a \(value.typeName), not a string") }
        return text
    }

    private static func optionalString(_ name: String, in claims: JSONObject) throws(ClaimError) -> String? {
        guard let value = claims[name] else { return nil }
        guard case .string(let text) = value else { throw invalid(name, "a \(value.typeName), not a string") }
        return text
    }

    private static func optionalStrings(_ name: String, in claims: JSONObject) throws(ClaimError) -> [String] {
        guard let value = claims[name] else { return [] }
        guard case .array(let elements) = value else { throw invalid(name, "a \(value.typeName), not an array") }
        var strings: [String] = []
        for element in elements {
            guard case .string(let text) = element else { throw invalid(name, "an array holding a \(element.typeName)") }
            strings.append(text)
        }
        return strings
    }

    private static func audience(in claims: JSONObject) throws(ClaimError) -> [String] {
        guard let value = claims["aud"] else { throw missing("aud") }
        switch value {
        case .string(let text): return [text]
        case .array(let elements):
            var strings: [String] = []
            for element in elements {
                guard case .string(let text) = element else {
                    throw invalid("aud", "an array holding a \(element.typeName)")
                }
                strings.append(text)
            }
            return strings
        default: throw invalid("aud", "a \(value.typeName), not a string or an array of strings")
        }
    }

    /// A NumericDate must be a JSON integer (no fraction, no exponent) in [0, 2^53 − 1].
    private static func requiredDate(_ name: String, in claims: JSONObject) throws(ClaimError) -> Int64 {
        guard let value = claims[name] else { throw missing(name) }
        guard case .number(let number) = value, let seconds = number.int64Value else {
            throw invalid(name, "a \(value.typeName), not a JSON integer")
        }
        guard seconds >= 0, seconds <= maximumNumericDate else {
            throw invalid(name, "\(seconds) is outside 0…2^53−1")
        }
        return seconds
    }

    private static func missing(_ name: String) -> ClaimError {
        ClaimError(reason: TrustReason(.claimMissing, "the passport has no \(name) claim"))
    }

    private static func invalid(_ name: String, _ what: String) -> ClaimError {
        ClaimError(reason: TrustReason(.claimInvalid, "the \(name) claim is \(what)"))
    }
}
