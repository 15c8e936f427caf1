/// Step 7: required claims present and typed.
struct ClaimsStep: LocalStep {
    func evaluate(_ state: inout VerificationState) -> StepOutcome {
        guard let token = state.passport else { return .skip(state.noTokenDetail) }
        switch token.validatedClaims {
        case .success(let claims):
            state.claims = claims
            return .pass(state.detail("iss, sub, aud, iat, exp and tier present and typed"))
        case .failure(let reason): return .fail(reason)
        }
    }
}

/// Step 8: `iss` is trusted and equals the registry that was named.
struct IssuerStep: LocalStep {
    func evaluate(_ state: inout VerificationState) -> StepOutcome {
        guard let claims = state.claims else { return .skip(state.noTokenDetail) }
        guard state.policy.trustedIssuer(named: claims.issuer) != nil else {
            return .fail(state.reason(.issuerUntrusted, "iss \(claims.issuer) is not a trusted issuer"))
        }
        guard let registry = state.namedRegistry, IssuerName.same(registry, claims.issuer) else {
            return .fail(
                state.reason(.registryMismatch, "iss \(claims.issuer) differs from the named registry \(state.namedRegistry ?? "(none)")")
            )
        }
        return .pass(state.detail("iss \(claims.issuer) is trusted and is the named registry"))
    }
}

/// Step 9: `sub` is the presented identity id.
struct SubjectStep: LocalStep {
    func evaluate(_ state: inout VerificationState) -> StepOutcome {
        guard let claims = state.claims else { return .skip(state.noTokenDetail) }
        guard let presented = state.presentedID else {
            return .skip(state.detail("no identity id was presented beside the token"))
        }
        guard presented == claims.subject else {
            return .fail(state.reason(.subjectMismatch, "sub \(claims.subject) is not the presented id \(presented)"))
        }
        return .pass(state.detail("sub \(claims.subject) is the presented id"))
    }
}

/// Step 10: `aud` contains the configured audience.
struct AudienceStep: LocalStep {
    func evaluate(_ state: inout VerificationState) -> StepOutcome {
        guard let claims = state.claims else { return .skip(state.noTokenDetail) }
        guard claims.audience.contains(state.policy.audience) else {
            return .fail(
                state.reason(.audienceMismatch, "aud \(claims.audience) does not contain \"\(state.policy.audience)\"")
            )
        }
        return .pass(state.detail("aud contains \"\(state.policy.audience)\""))
    }
}

/// Step 11: `exp`, `nbf`, `iat` and the maximum age, each with the clock skew.
struct TimeStep: LocalStep {
    func evaluate(_ state: inout VerificationState) -> StepOutcome {
        guard let claims = state.claims else { return .skip(state.noTokenDetail) }
        let now = state.request.now
        let skew = state.policy.clockSkewSeconds
        guard claims.expiresAt > now - skew else {
            return .fail(state.reason(.expired, "expired at \(RFC3339.string(fromSeconds: claims.expiresAt))"))
        }
        if let notBefore = claims.notBefore, notBefore > now + skew {
            return .fail(state.reason(.notYetValid, "not valid before \(RFC3339.string(fromSeconds: notBefore))"))
        }
        guard claims.issuedAt <= now + skew else {
            return .fail(
                state.reason(.issuedInFuture, "issued at \(RFC3339.string(fromSeconds: claims.issuedAt)), in the future")
            )
        }
        if let maximumAge = state.policy.maximumAgeSeconds, now - claims.issuedAt > maximumAge {
            return .fail(state.reason(.tooOld, "issued \(now - claims.issuedAt) s ago; the maximum age is \(maximumAge) s"))
        }
        return .pass(state.detail("valid until \(RFC3339.string(fromSeconds: claims.expiresAt)) (skew \(skew) s)"))
    }
}

/// Step 12: a known tier at or above the policy minimum.
struct TierStep: LocalStep {
    func evaluate(_ state: inout VerificationState) -> StepOutcome {
        guard let claims = state.claims else { return .skip(state.noTokenDetail) }
        guard let tier = Tier(rawValue: claims.tier) else {
            return .fail(state.reason(.tierUnknown, "tier \"\(claims.tier.prefix(40))\" is not a known tier"))
        }
        guard tier >= state.policy.minimumTier else {
            return .fail(state.reason(.tierTooLow, "tier \(tier.rawValue) is below the minimum \(state.policy.minimumTier.rawValue)"))
        }
        return .pass(state.detail("tier \(tier.rawValue) ≥ \(state.policy.minimumTier.rawValue)"))
    }
}
