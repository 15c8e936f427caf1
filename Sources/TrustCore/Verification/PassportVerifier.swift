internal import Ed25519

/// Verifies a server's AI Identity Passport: SPEC §2.3 steps 1–16 in order, each reported as a check.
///
/// The verifier is pure: it reads no clock (``VerificationRequest/now``) and does no I/O (registry
/// resources come from the injected ``RegistryMaterials``, and only after the registry is known to be
/// trusted). It fails closed: the first failing step decides the verdict, later steps are reported as
/// `skip`, and anything it cannot check is a failure, never a pass.
public struct PassportVerifier: Sendable {
    /// The policy applied.
    public let policy: VerificationPolicy
    /// Where registry resources come from.
    public let materials: any RegistryMaterials

    /// The steps, in SPEC order.
    static let steps = CheckName.allCases

    /// Evaluates step `name`. Called directly rather than through an array of existentials, the 13 steps
    /// that need no registry resource run as plain synchronous calls; only the other three await.
    @inline(__always)
    private func evaluate(_ name: CheckName, _ state: inout VerificationState) async -> StepOutcome {
        switch name {
        case .carriers: CarrierStep().evaluate(&state)
        case .registryTrusted: RegistryTrustStep().evaluate(&state)
        case .format: FormatStep().evaluate(&state)
        case .header: HeaderStep().evaluate(&state)
        case .key: await KeyStep().evaluate(&state, materials: materials)
        case .signature: SignatureStep().evaluate(&state)
        case .claims: ClaimsStep().evaluate(&state)
        case .issuer: IssuerStep().evaluate(&state)
        case .subject: SubjectStep().evaluate(&state)
        case .audience: AudienceStep().evaluate(&state)
        case .time: TimeStep().evaluate(&state)
        case .tier: TierStep().evaluate(&state)
        case .surface: SurfaceStep().evaluate(&state)
        case .revocation: await RevocationStep().evaluate(&state, materials: materials)
        case .status: await StatusStep().evaluate(&state, materials: materials)
        case .identityPin: IdentityPinStep().evaluate(&state)
        }
    }

    /// Creates a verifier.
    public init(policy: VerificationPolicy, materials: any RegistryMaterials) {
        self.policy = policy
        self.materials = materials
    }

    /// Runs every step for `request` and reports each one.
    public func verify(_ request: VerificationRequest) async -> VerificationReport {
        var state = VerificationState(request: request, policy: policy, reporting: true)
        var checks: [VerificationCheck] = []
        checks.reserveCapacity(Self.steps.count)
        var failure: (step: CheckName, reason: TrustReason)?
        for step in Self.steps {
            if let failure {
                checks.append(VerificationCheck(step, .skip, "not run: step \(failure.step.step) (\(failure.step.rawValue)) failed"))
                continue
            }
            switch await evaluate(step, &state) {
            case .pass(let detail): checks.append(VerificationCheck(step, .pass, detail))
            case .skip(let detail): checks.append(VerificationCheck(step, .skip, detail))
            case .fail(let reason):
                checks.append(VerificationCheck(step, .fail, reason.message, code: reason.code))
                failure = (step, reason)
            }
        }
        return report(from: state, checks: checks, failure: failure?.reason)
    }

    /// Runs the same steps for `request` and returns only the outcome: the verdict and the same deciding
    /// code as ``verify(_:)``, without the report (no check details, and the token's digest is worked out
    /// only when the revocation list names digests). For callers that act on the verdict alone.
    public func outcome(_ request: VerificationRequest) async -> VerificationOutcome {
        var state = VerificationState(request: request, policy: policy, reporting: false)
        for step in Self.steps {
            if case .fail(let reason) = await evaluate(step, &state) {
                return VerificationOutcome(
                    verdict: Self.verdict(failure: reason.code, declaredOnly: state.declaredOnly), reason: reason.code,
                    warnings: state.warnings.map(\.code), identity: state.identity
                )
            }
        }
        return VerificationOutcome(
            verdict: Self.verdict(failure: nil, declaredOnly: state.declaredOnly), reason: nil,
            warnings: state.warnings.map(\.code), identity: state.identity
        )
    }

    /// The verdict for the deciding failure's code (nil: none failed).
    private static func verdict(failure: ReasonCode?, declaredOnly: Bool) -> Verdict {
        switch failure {
        case .some(.passportMissing): .unverified
        case .some(.registryUnavailable): .error
        case .some: .rejected
        case .none: declaredOnly ? .declared : .verified
        }
    }

    private func report(from state: VerificationState, checks: [VerificationCheck], failure: TrustReason?)
        -> VerificationReport
    {
        let claims = state.claims
        return VerificationReport(
            verdict: Self.verdict(failure: failure?.code, declaredOnly: state.declaredOnly), reasons: failure.map { [$0] } ?? [], warnings: state.warnings, checks: checks,
            identity: state.identity, issuer: claims?.issuer ?? state.namedRegistry, tier: claims?.tier,
            operatorName: claims?.operatorName, expiresAt: claims?.expiresAt,
            surface: state.boundSurface?.description, carriers: state.carrierNames,
            tokenDigest: state.tokenDigest ?? state.token.map { SHA256.hexDigest($0) }, record: state.record
        )
    }
}
