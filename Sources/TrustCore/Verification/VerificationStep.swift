/// What one step concluded.
enum StepOutcome: Sendable {
    case pass(String)
    case skip(String)
    case fail(TrustReason)
}

/// One step of SPEC §2.3 that needs nothing but what the earlier steps learnt: a small policy that reads
/// and extends the shared state and returns a coded outcome, never throwing. It runs synchronously.
/// ``PassportVerifier`` runs the steps in ``CheckName``'s order; the first failure decides.
protocol LocalStep: Sendable {
    /// Evaluates the step.
    func evaluate(_ state: inout VerificationState) -> StepOutcome
}

/// A step that asks the registry materials for a resource (key set, revocation list, identity record).
protocol RegistryStep: Sendable {
    /// Evaluates the step.
    func evaluate(_ state: inout VerificationState, materials: any RegistryMaterials) async -> StepOutcome
}

/// What the steps learn as they run, passed from each to the next.
struct VerificationState: Sendable {
    let request: VerificationRequest
    let policy: VerificationPolicy
    /// Whether a report is being made: without one, steps build no detail strings.
    let reporting: Bool

    /// Names of the carriers that held identity material.
    var carrierNames: [String] = []
    /// The presented token, trimmed.
    var token: String?
    /// The identity block's `id`, or the well-known `identity_id` when there is no token.
    var presentedID: String?
    /// The registry the token (or well-known document) names: the block's, else the header token's `iss`.
    var namedRegistry: String?
    /// True when the token came without any block (header only): its `sub` is the id and `iss` the registry.
    var tokenWithoutBlock = false
    /// True when only a well-known document was found.
    var declaredOnly = false
    /// The token read under step 3's rules (possibly early, for a header-only token's `iss`).
    var parsed: Result<PresentedToken, TrustReason>?
    /// The configured trusted issuer the registry matched.
    var trustedIssuer: String?
    /// The key that checked the signature.
    var key: JWKSet.Key?
    /// The typed claims (only after the signature verified).
    var claims: PassportClaims?
    /// The canonical surface the passport is bound to.
    var boundSurface: SurfaceAddress?
    /// Warnings collected along the way.
    var warnings: [TrustReason] = []
    /// The registry's record (step 15).
    var record: IdentityRecord?
    /// The token's digest, once worked out (for the report, or revocation by digest).
    var tokenDigest: String?

    init(request: VerificationRequest, policy: VerificationPolicy, reporting: Bool) {
        self.request = request
        self.policy = policy
        self.reporting = reporting
    }

    /// The read token, when step 3 succeeded.
    var passport: PresentedToken? {
        if case .success(let token) = parsed { return token }
        return nil
    }

    /// The identity the server claims.
    var identity: String? {
        presentedID ?? claims?.subject
    }

    /// Reads the token once and remembers the result.
    mutating func parseToken() -> Result<PresentedToken, TrustReason>? {
        if parsed == nil, let token { parsed = PresentedToken.read(token) }
        return parsed
    }

    /// `text` when a report is being made, else the empty string (and `text` is never built).
    func detail(_ text: @autoclosure () -> String) -> String {
        reporting ? text() : ""
    }

    /// A reason with `message` when a report is being made, else with an empty message (never built):
    /// ``PassportVerifier/outcome(_:)`` keeps only the codes.
    func reason(_ code: ReasonCode, _ message: @autoclosure () -> String) -> TrustReason {
        TrustReason(code, reporting ? message() : "")
    }
}

/// The steps that read a token: skipped, with the same detail, when there is none.
extension VerificationState {
    var noTokenDetail: String {
        detail("no token was presented: only a well-known document (at best declared)")
    }
}
