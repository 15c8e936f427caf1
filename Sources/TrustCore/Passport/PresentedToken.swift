internal import Ed25519
internal import StrictJSON

/// A presented token after step 3, as the verifier reads it.
///
/// A token of the usual shape is decoded straight from its bytes into ``ProtectedHeader`` and
/// ``PassportClaims`` (no JSON value tree, no digest until one is needed). Every other token that passes
/// step 3 is parsed by the strict parser into a ``PassportToken``, and the steps read it as they always
/// have; a token that fails step 3 fails with ``PassportToken/parse(_:)``'s reason. Either way each step
/// reaches the same verdict with the same reason.
struct PresentedToken: Sendable {
    /// How the header and payload were read.
    enum Contents: Sendable {
        /// Decoded straight from the bytes; the claims are already checked (step 7 passes).
        case decoded(header: ProtectedHeader, claims: PassportClaims)
        /// Parsed into JSON objects by the strict parser.
        case parsed(PassportToken)
    }

    /// The compact form, as presented (trimmed).
    let compact: String
    /// The bytes the signature covers.
    let signingInput: [UInt8]
    /// The decoded signature.
    let signature: [UInt8]
    /// The header and claims.
    let contents: Contents

    /// Reads `compact` under step 3's rules.
    static func read(_ compact: String) -> Result<PresentedToken, TrustReason> {
        let segments: CompactJWS.Segments
        switch CompactJWS.Segments.split(compact) {
        case .success(let split): segments = split
        case .failure(let reason): return .failure(reason)
        }
        if let header = ProtectedHeader.decode(segments.header), let claims = PassportClaims.decode(segments.payload) {
            return .success(
                PresentedToken(
                    compact: compact, signingInput: segments.signingInput, signature: segments.signature,
                    contents: .decoded(header: header, claims: claims)
                )
            )
        }
        switch PassportToken.parse(compact) {
        case .success(let token):
            return .success(
                PresentedToken(
                    compact: compact, signingInput: token.jws.signingInput, signature: token.jws.signature,
                    contents: .parsed(token)
                )
            )
        case .failure(let reason): return .failure(reason)
        }
    }

    /// Lowercase hex SHA-256 of the compact form (computed on each call: only revocation by digest and
    /// the report need it).
    var digest: String {
        switch contents {
        case .decoded: SHA256.hexDigest(compact)
        case .parsed(let token): token.digest
        }
    }

    /// Step 4's reason to refuse the header, if any.
    var headerProblem: TrustReason? {
        switch contents {
        case .decoded(let header, _): HeaderPolicy.evaluate(header)
        case .parsed(let token): HeaderPolicy.evaluate(token.jws.header)
        }
    }

    /// The header's `kid`, when it is a string.
    var headerKeyID: String? {
        switch contents {
        case .decoded(let header, _): header.keyID
        case .parsed(let token): token.jws.header["kid"]?.stringValue
        }
    }

    /// The `key_id` claim: nil when absent, a `passport.claim_invalid` failure when it is not a string.
    var claimKeyID: Result<String?, TrustReason> {
        switch contents {
        case .decoded(_, let claims): return .success(claims.keyID)
        case .parsed(let token):
            guard let value = token.claims["key_id"] else { return .success(nil) }
            guard case .string(let text) = value else {
                return .failure(TrustReason(.claimInvalid, "the key_id claim is a \(value.typeName), not a string"))
            }
            return .success(text)
        }
    }

    /// The unverified `sub`, when it is a string (a header-only token's identity, step 1).
    var unverifiedSubject: String? {
        switch contents {
        case .decoded(_, let claims): claims.subject
        case .parsed(let token): token.claims["sub"]?.stringValue
        }
    }

    /// The unverified `iss`, when it is a string (a header-only token's registry, step 2).
    var unverifiedIssuer: String? {
        switch contents {
        case .decoded(_, let claims): claims.issuer
        case .parsed(let token): token.claims["iss"]?.stringValue
        }
    }

    /// Step 7: the claims present and typed.
    var validatedClaims: Result<PassportClaims, TrustReason> {
        switch contents {
        case .decoded(_, let claims): .success(claims)
        case .parsed(let token): PassportClaims.validate(token.claims)
        }
    }
}
