/// Step 13: the passport covers the endpoint or declared surface (SPEC §2.5).
struct SurfaceStep: LocalStep {
    func evaluate(_ state: inout VerificationState) -> StepOutcome {
        guard let claims = state.claims else { return .skip(state.noTokenDetail) }
        let target: SurfaceAddress
        switch state.request.binding {
        case .none:
            if let expected = state.request.expectedIdentity {
                state.boundSurface = nil
                return .pass(state.detail("no surface to match; bound by expectIdentity \(expected)"))
            }
            return .skip(state.detail("no endpoint or declared surface: unbound"))
        case .endpoint(let url):
            guard let endpoint = SurfaceAddress.endpoint(url) else {
                return .fail(state.reason(.surfaceMismatch, "the endpoint \(url) is not an http(s) URL that can be bound"))
            }
            target = endpoint
        case .declaredSurface(let surface):
            guard let declared = SurfaceAddress.surface(surface) else {
                return .fail(state.reason(.surfaceMismatch, "the declared surface \(surface) is not an mcp/https/http surface"))
            }
            target = declared
        }
        // In order, parsing only until the first that covers.
        guard let covering = claims.surfaces.lazy.compactMap(SurfaceAddress.surface).first(where: { $0.covers(target) }) else {
            return .fail(
                state.reason(.surfaceMismatch, "none of the passport's \(claims.surfaces.count) surfaces covers \(target)")
            )
        }
        if target.scheme == "http", !target.isLoopback {
            state.warnings.append(
                state.reason(.transportInsecure, "bound over plain http:// to \(target.host), which is not loopback")
            )
        }
        state.boundSurface = covering
        return .pass(state.detail("\(covering) covers \(target)"))
    }
}

/// Step 14: nothing the token names is on the registry's revocation list.
struct RevocationStep: RegistryStep {
    func evaluate(_ state: inout VerificationState, materials: any RegistryMaterials) async -> StepOutcome {
        guard let issuer = state.trustedIssuer else { return .skip(state.detail("no trusted registry")) }
        let list: RevocationList
        switch await materials.revocationList(issuer: issuer) {
        case .available(let available): list = available
        case .notConfigured: return .skip(state.detail("no revocation list is configured for \(issuer)"))
        case .unavailable(let why):
            return .fail(state.reason(.registryUnavailable, "the revocation list of \(issuer) is unavailable: \(why)"))
        }
        // The digest (a SHA-256 of the whole token) is only worked out when the list revokes by digest.
        var digest: String?
        if !list.tokenDigests.isEmpty, let token = state.passport {
            digest = state.tokenDigest ?? token.digest
            state.tokenDigest = digest
        }
        let match = list.match(identity: state.identity, tokenID: state.claims?.tokenID, tokenDigest: digest)
        if let match {
            let because = match.reason.isEmpty ? "" : ": \(match.reason)"
            return .fail(state.reason(.revoked, "revoked by \(match.field)\(because)"))
        }
        return .pass(state.detail("not among the \(list.count) entries of the revocation list"))
    }
}

/// Step 15: when online, the registry's record says the identity is active.
struct StatusStep: RegistryStep {
    func evaluate(_ state: inout VerificationState, materials: any RegistryMaterials) async -> StepOutcome {
        guard state.policy.online else { return .skip(state.detail("online status checks are off")) }
        guard let issuer = state.trustedIssuer, let identity = state.identity else {
            return .skip(state.detail("no identity to look up"))
        }
        let record: IdentityRecord
        switch await materials.identityRecord(issuer: issuer, identity: identity) {
        case .available(let found): record = found
        case .notConfigured: return .fail(state.reason(.registryUnavailable, "no identity record source for \(issuer)"))
        case .unavailable(let why):
            return .fail(state.reason(.registryUnavailable, "the record of \(identity) is unavailable: \(why)"))
        }
        state.record = record
        let shown = "record tier \(record.tier ?? "-"), operator \(record.operatorName ?? "-")"
        guard record.status == "active" else {
            return .fail(state.reason(.statusInactive, "the registry says status \(record.status ?? "(none)"); \(shown)"))
        }
        return .pass(state.detail("status active; \(shown)"))
    }
}
