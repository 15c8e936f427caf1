public import StrictJSON

/// SPEC §2.3 step 4: the protected header may only ask for what this verifier does.
///
/// `alg` must be exactly `EdDSA` (case-sensitive allow-list, so `none`, `eddsa`, `HS256` all fail);
/// `typ` absent or `JWT` in any case; and none of the parameters that would let a token choose its own
/// key (`jwk`, `jku`, `x5u`, `x5c`), change how it is read (`crit`, `b64`, `zip`, `enc`) or nest another
/// token (`cty`). `kid`, when present, must be a string.
public enum HeaderPolicy {
    /// The one accepted algorithm.
    public static let allowedAlgorithm = "EdDSA"
    /// Header parameters whose presence rejects the token.
    public static let forbiddenParameters = ["crit", "jku", "jwk", "x5u", "x5c", "b64", "zip", "enc", "cty"]

    /// Checks `header`; nil when it is acceptable.
    public static func evaluate(_ header: JSONObject) -> TrustReason? {
        guard let algorithm = header["alg"] else {
            return TrustReason(.algorithmNotAllowed, "the header has no alg")
        }
        guard case .string(let name) = algorithm, name == allowedAlgorithm else {
            return TrustReason(.algorithmNotAllowed, "alg \(JSONSerializer.string(algorithm).prefix(40)) is not EdDSA")
        }
        for parameter in forbiddenParameters where header.contains(parameter) {
            return TrustReason(.headerForbidden, "the header carries \(parameter), which passports may not use")
        }
        if let type = header["typ"] {
            guard case .string(let typeName) = type, typeName.lowercased() == "jwt" else {
                return TrustReason(.headerForbidden, "typ \(JSONSerializer.string(type).prefix(40)) is not JWT")
            }
        }
        if let keyID = header["kid"], keyID.stringValue == nil {
            return TrustReason(.headerForbidden, "kid is a \(keyID.typeName), not a string")
        }
        return nil
    }
}
