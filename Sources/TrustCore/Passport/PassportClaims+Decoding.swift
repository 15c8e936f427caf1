internal import StrictJSON

extension PassportClaims {
    /// Decodes and checks the claims straight from the payload's bytes, building no JSON value tree.
    ///
    /// Returns the claims only when the payload is in ``FlatJSONReader``'s subset and every claim is
    /// present and typed: exactly when ``validate(_:)`` of the strictly parsed payload succeeds, with the
    /// same values. Otherwise nil, and the caller falls back to the strict parser and ``validate(_:)``,
    /// which produce the reason.
    static func decode(_ payload: [UInt8]) -> PassportClaims? {
        var fields = DecodedFields()
        do {
            var reader = try FlatJSONReader(payload, limits: CompactJWS.parser)
            while let (name, value) = try reader.next() {
                guard fields.take(name, value) else { return nil }
            }
        } catch {
            return nil
        }
        return fields.claims
    }

    private init(fields: DecodedFields, issuer: String, subject: String, audience: [String], issuedAt: Int64, expiresAt: Int64, tier: String) {
        self.issuer = issuer
        self.subject = subject
        self.audience = audience
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.notBefore = fields.notBefore
        self.tier = tier
        self.operatorName = fields.operatorName
        self.surfaces = fields.surfaces ?? []
        self.capabilities = fields.capabilities ?? []
        self.keyID = fields.keyID
        self.tokenID = fields.tokenID
    }

    /// The claims read so far.
    private struct DecodedFields {
        var issuer: String?
        var subject: String?
        var audience: [String]?
        var issuedAt: Int64?
        var expiresAt: Int64?
        var notBefore: Int64?
        var tier: String?
        var operatorName: String?
        var surfaces: [String]?
        var capabilities: [String]?
        var keyID: String?
        var tokenID: String?

        /// Records one member; false when a claim the verifier reads has a value ``validate(_:)`` refuses.
        mutating func take(_ name: ArraySlice<UInt8>, _ value: FlatJSONReader.Value) -> Bool {
            switch name.count {
            case 3:
                if FlatJSONReader.matches(name, "iss") { return Self.text(value, into: &issuer) }
                if FlatJSONReader.matches(name, "sub") { return Self.text(value, into: &subject) }
                if FlatJSONReader.matches(name, "jti") { return Self.text(value, into: &tokenID) }
                if FlatJSONReader.matches(name, "iat") { return Self.date(value, into: &issuedAt) }
                if FlatJSONReader.matches(name, "exp") { return Self.date(value, into: &expiresAt) }
                if FlatJSONReader.matches(name, "nbf") { return Self.date(value, into: &notBefore) }
                if FlatJSONReader.matches(name, "aud") {
                    switch value {
                    case .string(let text): audience = [FlatJSONReader.text(text)]
                    case .strings(let texts): audience = texts
                    default: return false
                    }
                }
            case 4 where FlatJSONReader.matches(name, "tier"): return Self.text(value, into: &tier)
            case 6 where FlatJSONReader.matches(name, "key_id"): return Self.text(value, into: &keyID)
            case 8:
                if FlatJSONReader.matches(name, "operator") { return Self.text(value, into: &operatorName) }
                if FlatJSONReader.matches(name, "surfaces") { return Self.texts(value, into: &surfaces) }
            case 12 where FlatJSONReader.matches(name, "capabilities"): return Self.texts(value, into: &capabilities)
            default: break
            }
            return true
        }

        /// The claims, when every required one was read.
        var claims: PassportClaims? {
            guard let issuer, let subject, let audience, let issuedAt, let expiresAt, let tier else { return nil }
            return PassportClaims(
                fields: self, issuer: issuer, subject: subject, audience: audience, issuedAt: issuedAt,
                expiresAt: expiresAt, tier: tier
            )
        }

        private static func text(_ value: FlatJSONReader.Value, into field: inout String?) -> Bool {
            guard case .string(let text) = value else { return false }
            field = FlatJSONReader.text(text)
            return true
        }

        private static func texts(_ value: FlatJSONReader.Value, into field: inout [String]?) -> Bool {
            guard case .strings(let texts) = value else { return false }
            field = texts
            return true
        }

        /// A NumericDate: a JSON integer in [0, 2^53 − 1].
        private static func date(_ value: FlatJSONReader.Value, into field: inout Int64?) -> Bool {
            guard case .integer(let seconds) = value, seconds >= 0, seconds <= PassportClaims.maximumNumericDate else {
                return false
            }
            field = seconds
            return true
        }
    }
}
