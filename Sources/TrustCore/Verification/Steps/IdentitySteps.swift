internal import StrictJSON

/// Step 1: collect the carriers and require them to agree (SPEC §2.1).
struct CarrierStep: LocalStep {
    func evaluate(_ state: inout VerificationState) -> StepOutcome {
        let carriers = state.request.carriers
        guard !carriers.isEmpty else { return .fail(state.reason(.passportMissing, "no identity carrier was found")) }
        state.carrierNames = carriers.map(\.name)
        var tokens: [(carrier: String, token: String)] = []
        var ids: [(carrier: String, id: String)] = []
        var registries: [(carrier: String, registry: String)] = []
        var sawBlock = false
        for carrier in carriers {
            switch carrier.content {
            case .block(let id, let passport, let registry):
                sawBlock = true
                if let passport { tokens.append((carrier.name, passport.trimmingWhitespace())) }
                if let id { ids.append((carrier.name, id)) }
                if let registry { registries.append((carrier.name, registry)) }
            case .token(let token):
                tokens.append((carrier.name, token.trimmingWhitespace()))
            case .wellKnown(let identityID, let registry):
                if let identityID { ids.append((carrier.name, identityID)) }
                if let registry { registries.append((carrier.name, registry)) }
            }
        }
        if let first = tokens.first, let other = tokens.first(where: { $0.token != first.token }) {
            return .fail(state.reason(.identityConflict, "\(first.carrier) and \(other.carrier) hold different tokens"))
        }
        state.token = tokens.first?.token
        state.tokenWithoutBlock = state.token != nil && !sawBlock
        if state.tokenWithoutBlock, case .success(let token)? = state.parseToken(), let subject = token.unverifiedSubject {
            ids.append((tokens.first?.carrier ?? "token", subject))
        }
        if let first = ids.first, let other = ids.first(where: { $0.id != first.id }) {
            return .fail(
                state.reason(.identityConflict, "\(first.carrier) names \(first.id) but \(other.carrier) names \(other.id)")
            )
        }
        if let first = registries.first, let other = registries.first(where: { !IssuerName.same($0.registry, first.registry) }) {
            return .fail(
                state.reason(
                    .identityConflict,
                    "\(first.carrier) names registry \(first.registry) but \(other.carrier) names \(other.registry)"
                )
            )
        }
        state.presentedID = ids.first?.id
        state.namedRegistry = registries.first?.registry
        if state.token == nil {
            guard !sawBlock else {
                return .fail(state.reason(.malformed, "the x-ai-identity block carries no passport token"))
            }
            state.declaredOnly = true
            return .pass(state.detail("only a well-known document (\(state.carrierNames.joined(separator: ", "))): unsigned"))
        }
        return .pass(state.detail("found in \(state.carrierNames.joined(separator: ", ")); the carriers agree"))
    }
}

/// Step 2: the registry that will check the token is one the policy trusts (SPEC §2.2).
struct RegistryTrustStep: LocalStep {
    func evaluate(_ state: inout VerificationState) -> StepOutcome {
        if state.tokenWithoutBlock {
            guard case .success(let token)? = state.parseToken() else {
                return .skip(state.detail("the token cannot be read to find its issuer (see format)"))
            }
            guard let issuer = token.unverifiedIssuer else {
                return .fail(state.reason(.issuerUntrusted, "the token names no issuer (iss), so no registry can check it"))
            }
            state.namedRegistry = issuer
        }
        guard let registry = state.namedRegistry else {
            return .fail(state.reason(.issuerUntrusted, "no registry is named, so none can check the identity"))
        }
        guard let trusted = state.policy.trustedIssuer(named: registry) else {
            return .fail(state.reason(.issuerUntrusted, "registry \(registry) is not a trusted issuer"))
        }
        state.trustedIssuer = trusted
        return .pass(state.detail("registry \(trusted) is trusted"))
    }
}

/// Step 16: the identity matches the profile's `expectIdentity`, then the trust store's first sighting.
struct IdentityPinStep: LocalStep {
    func evaluate(_ state: inout VerificationState) -> StepOutcome {
        let identity = state.identity ?? ""
        if let expected = state.request.expectedIdentity, expected != identity {
            return .fail(state.reason(.pinMismatch, "the profile expects \(expected) but the server is \(identity)"))
        }
        if let firstSeen = state.request.firstSeenIdentity, firstSeen != identity {
            return .fail(
                state.reason(.identityChanged, "this server was first seen as \(firstSeen) and now presents \(identity)")
            )
        }
        switch (state.request.expectedIdentity, state.request.firstSeenIdentity) {
        case (.some, _): return .pass(state.detail("matches the profile's expectIdentity \(identity)"))
        case (nil, .some): return .pass(state.detail("matches the first-seen identity \(identity)"))
        case (nil, nil): return .skip(state.detail("no expected or first-seen identity to compare with"))
        }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs, carriage returns and newlines.
    func trimmingWhitespace() -> String {
        // Nearly every token has none: when neither end byte is whitespace, neither end Character is.
        if let first = utf8.first, let last = utf8.last, !Self.isWhitespaceByte(first), !Self.isWhitespaceByte(last) {
            return self
        }
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }

    private static func isWhitespaceByte(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
