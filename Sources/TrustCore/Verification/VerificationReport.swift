/// The outcome of verifying one server's identity: the verdict, why, and every step's check.
public struct VerificationReport: Sendable, Hashable {
    /// The verdict.
    public let verdict: Verdict
    /// Failure reasons, the deciding one first; empty exactly when the identity is acceptable.
    public let reasons: [TrustReason]
    /// Warnings that do not change the verdict (e.g. `transport.insecure`).
    public let warnings: [TrustReason]
    /// Every step, in order.
    public let checks: [VerificationCheck]
    /// The identity id (the block's `id`, a header token's `sub`, or the well-known `identity_id`).
    public let identity: String?
    /// The issuer: the verified token's `iss`, else the registry that was named.
    public let issuer: String?
    /// The verified token's tier.
    public let tier: String?
    /// The verified token's operator.
    public let operatorName: String?
    /// The verified token's `exp`.
    public let expiresAt: Int64?
    /// The canonical surface the passport was bound to; nil when it is bound to none (shown as `unbound`).
    public let surface: String?
    /// The names of the carriers that held identity material.
    public let carriers: [String]
    /// SHA-256 (hex) of the token, for logs; never the token itself.
    public let tokenDigest: String?
    /// The registry record when step 15 ran.
    public let record: IdentityRecord?

    /// How a passport bound to no surface is shown.
    public static let unboundSurface = "unbound"

    /// The bound surface, or `unbound`.
    public var surfaceName: String { surface ?? Self.unboundSurface }

    /// True exactly when `reasons` is empty.
    public var valid: Bool { reasons.isEmpty }

    /// Only ``PassportVerifier`` makes reports: nothing outside the verifier can claim a verdict.
    init(
        verdict: Verdict, reasons: [TrustReason], warnings: [TrustReason], checks: [VerificationCheck],
        identity: String?, issuer: String?, tier: String?, operatorName: String?, expiresAt: Int64?,
        surface: String?, carriers: [String], tokenDigest: String?, record: IdentityRecord?
    ) {
        self.verdict = verdict
        self.reasons = reasons
        self.warnings = warnings
        self.checks = checks
        self.identity = identity
        self.issuer = issuer
        self.tier = tier
        self.operatorName = operatorName
        self.expiresAt = expiresAt
        self.surface = surface
        self.carriers = carriers
        self.tokenDigest = tokenDigest
        self.record = record
    }
}

/// The outcome of a verification without its report (``PassportVerifier/outcome(_:)``): what a caller that
/// acts on the verdict alone needs.
public struct VerificationOutcome: Sendable, Hashable {
    /// The verdict.
    public let verdict: Verdict
    /// The deciding failure's code (the first of the report's `reasons`); nil exactly when it is valid.
    public let reason: ReasonCode?
    /// The warnings' codes.
    public let warnings: [ReasonCode]
    /// The identity id, as the report gives it.
    public let identity: String?

    /// True exactly when no step failed.
    public var valid: Bool { reason == nil }

    /// Only ``PassportVerifier`` makes outcomes.
    init(verdict: Verdict, reason: ReasonCode?, warnings: [ReasonCode], identity: String?) {
        self.verdict = verdict
        self.reason = reason
        self.warnings = warnings
        self.identity = identity
    }
}
