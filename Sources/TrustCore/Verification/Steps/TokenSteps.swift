internal import Ed25519
internal import StrictJSON

/// Step 3: a strict compact JWS whose header and payload are JSON objects.
struct FormatStep: LocalStep {
    func evaluate(_ state: inout VerificationState) -> StepOutcome {
        guard state.token != nil else { return .skip(state.noTokenDetail) }
        switch state.parseToken() {
        case .success(let token)?:
            guard state.reporting else { return .pass("") }
            let digest = token.digest
            state.tokenDigest = digest
            return .pass("compact JWS of \(token.compact.utf8.count) bytes, sha256 \(digest.prefix(16))…")
        case .failure(let reason)?: return .fail(reason)
        case nil: return .fail(state.reason(.malformed, "no token"))
        }
    }
}

/// Step 4: the header asks only for EdDSA and nothing forbidden.
struct HeaderStep: LocalStep {
    func evaluate(_ state: inout VerificationState) -> StepOutcome {
        guard let token = state.passport else { return .skip(state.noTokenDetail) }
        if let reason = token.headerProblem { return .fail(reason) }
        return .pass(state.detail("alg EdDSA; no forbidden parameters"))
    }
}

/// Step 5: select the registry key.
struct KeyStep: RegistryStep {
    func evaluate(_ state: inout VerificationState, materials: any RegistryMaterials) async -> StepOutcome {
        guard let token = state.passport else { return .skip(state.noTokenDetail) }
        guard let issuer = state.trustedIssuer else {
            return .fail(state.reason(.issuerUntrusted, "no trusted registry to take keys from"))
        }
        let headerKeyID = token.headerKeyID
        let claimKeyID: String?
        switch token.claimKeyID {
        case .success(let keyID): claimKeyID = keyID
        case .failure(let reason): return .fail(reason)
        }
        let keySet: JWKSet
        switch await materials.keySet(issuer: issuer, keyID: headerKeyID ?? claimKeyID) {
        case .available(let set): keySet = set
        case .notConfigured:
            return .fail(state.reason(.registryUnavailable, "no JWKS is configured for \(issuer)"))
        case .unavailable(let why):
            return .fail(state.reason(.registryUnavailable, "the JWKS of \(issuer) is unavailable: \(why)"))
        }
        switch KeySelection.select(from: keySet, headerKeyID: headerKeyID, claimKeyID: claimKeyID) {
        case .success(let key):
            state.key = key
            return .pass(state.detail("key \(key.keyID.map { "\"\($0)\"" } ?? "(no kid)") of \(issuer)"))
        case .failure(let reason): return .fail(reason)
        }
    }
}

/// Step 6: Ed25519 over the received signing input, through libsodium.
struct SignatureStep: LocalStep {
    func evaluate(_ state: inout VerificationState) -> StepOutcome {
        guard let token = state.passport, let key = state.key else { return .skip(state.noTokenDetail) }
        let signature = token.signature
        guard signature.count == Ed25519.signatureLength else {
            return .fail(state.reason(.signatureInvalid, "the signature is \(signature.count) bytes, not 64"))
        }
        guard Ed25519.isValidSignature(signature, of: token.signingInput, publicKey: key.publicKey) else {
            return .fail(state.reason(.signatureInvalid, "the Ed25519 signature does not verify"))
        }
        return .pass(state.detail("Ed25519 signature verifies"))
    }
}
