/// A stable, dotted reason code (SPEC §2.3, §2.5, §7). Codes are API: never renamed, never reused.
public struct ReasonCode: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The dotted identifier, e.g. `passport.expired`.
    public let rawValue: String

    /// Wraps a raw code. Prefer the static members.
    public init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    public static func < (lhs: ReasonCode, rhs: ReasonCode) -> Bool { lhs.rawValue < rhs.rawValue }

    // Step 1: carriers.
    public static let passportMissing = ReasonCode(rawValue: "passport.missing")
    public static let identityConflict = ReasonCode(rawValue: "identity.conflict")
    // Steps 2 and 8: issuer.
    public static let issuerUntrusted = ReasonCode(rawValue: "passport.issuer_untrusted")
    public static let registryMismatch = ReasonCode(rawValue: "passport.registry_mismatch")
    // Step 3: format.
    public static let malformed = ReasonCode(rawValue: "passport.malformed")
    // Step 4: header.
    public static let algorithmNotAllowed = ReasonCode(rawValue: "passport.alg_not_allowed")
    public static let headerForbidden = ReasonCode(rawValue: "passport.header_forbidden")
    // Step 5: key.
    public static let keyUnknown = ReasonCode(rawValue: "passport.key_unknown")
    public static let keyIDMismatch = ReasonCode(rawValue: "passport.key_id_mismatch")
    public static let keyInvalid = ReasonCode(rawValue: "passport.key_invalid")
    // Step 6: signature.
    public static let signatureInvalid = ReasonCode(rawValue: "passport.signature_invalid")
    // Step 7: claims.
    public static let claimMissing = ReasonCode(rawValue: "passport.claim_missing")
    public static let claimInvalid = ReasonCode(rawValue: "passport.claim_invalid")
    // Steps 9–10.
    public static let subjectMismatch = ReasonCode(rawValue: "passport.subject_mismatch")
    public static let audienceMismatch = ReasonCode(rawValue: "passport.audience_mismatch")
    // Step 11: time.
    public static let expired = ReasonCode(rawValue: "passport.expired")
    public static let notYetValid = ReasonCode(rawValue: "passport.not_yet_valid")
    public static let issuedInFuture = ReasonCode(rawValue: "passport.issued_in_future")
    public static let tooOld = ReasonCode(rawValue: "passport.too_old")
    // Step 12: tier.
    public static let tierUnknown = ReasonCode(rawValue: "passport.tier_unknown")
    public static let tierTooLow = ReasonCode(rawValue: "passport.tier_too_low")
    // Steps 13–15.
    public static let surfaceMismatch = ReasonCode(rawValue: "passport.surface_mismatch")
    public static let revoked = ReasonCode(rawValue: "passport.revoked")
    public static let statusInactive = ReasonCode(rawValue: "passport.status_inactive")
    // Step 16: pins.
    public static let pinMismatch = ReasonCode(rawValue: "identity.pin_mismatch")
    public static let identityChanged = ReasonCode(rawValue: "identity.changed")
    // Any step that needs a registry resource.
    public static let registryUnavailable = ReasonCode(rawValue: "registry.unavailable")
    // Warnings.
    public static let transportInsecure = ReasonCode(rawValue: "transport.insecure")

    /// Every code the trust core can produce, for documentation and a test that pins the list.
    public static let all: [ReasonCode] = [
        .passportMissing, .identityConflict, .issuerUntrusted, .registryMismatch, .malformed,
        .algorithmNotAllowed, .headerForbidden, .keyUnknown, .keyIDMismatch, .keyInvalid, .signatureInvalid,
        .claimMissing, .claimInvalid, .subjectMismatch, .audienceMismatch, .expired, .notYetValid,
        .issuedInFuture, .tooOld, .tierUnknown, .tierTooLow, .surfaceMismatch, .revoked, .statusInactive,
        .pinMismatch, .identityChanged, .registryUnavailable, .transportInsecure,
    ]
}

/// A coded reason with a human message: why a passport failed, or a warning.
public struct TrustReason: Error, Sendable, Hashable {
    /// The stable code.
    public let code: ReasonCode
    /// A human explanation; never contains a whole token.
    public let message: String

    /// Creates a reason.
    public init(_ code: ReasonCode, _ message: String) {
        self.code = code
        self.message = message
    }
}
