internal import StrictJSON

/// The protected-header parameters the verifier reads (SPEC §2.3 step 4), decoded straight from the
/// header's bytes on the hot path.
///
/// Only headers of the usual shape decode: `alg` a string, `typ` and `kid` absent or strings, and none of
/// ``HeaderPolicy/forbiddenParameters``. Any other header (and any header outside ``FlatJSONReader``'s
/// subset) is left to the strict parser and ``HeaderPolicy/evaluate(_:)-(JSONObject)``, which decide it
/// exactly as before.
struct ProtectedHeader: Sendable {
    /// `alg`.
    let algorithm: String
    /// `typ`, when present.
    let type: String?
    /// `kid`, when present.
    let keyID: String?

    /// Decodes `bytes`; nil when the header is not of the usual shape.
    static func decode(_ bytes: [UInt8]) -> ProtectedHeader? {
        var algorithm: String?
        var type: String?
        var keyID: String?
        do {
            var reader = try FlatJSONReader(bytes, limits: CompactJWS.parser)
            while let (name, value) = try reader.next() {
                if FlatJSONReader.matches(name, "alg") {
                    guard case .string(let text) = value else { return nil }
                    algorithm = FlatJSONReader.text(text)
                } else if FlatJSONReader.matches(name, "typ") {
                    guard case .string(let text) = value else { return nil }
                    type = FlatJSONReader.text(text)
                } else if FlatJSONReader.matches(name, "kid") {
                    guard case .string(let text) = value else { return nil }
                    keyID = FlatJSONReader.text(text)
                } else if HeaderPolicy.forbiddenParameters.contains(where: { name.elementsEqual($0.utf8) }) {
                    return nil
                }
            }
        } catch {
            return nil
        }
        guard let algorithm else { return nil }
        return ProtectedHeader(algorithm: algorithm, type: type, keyID: keyID)
    }
}

extension HeaderPolicy {
    /// Checks a decoded header: the same verdict and reason as ``evaluate(_:)-(JSONObject)`` gives for the
    /// object it was decoded from (a decoded header has a string `alg`, no forbidden parameter and a string
    /// `kid`, if any, so only the `alg` value and `typ` remain to be checked).
    static func evaluate(_ header: ProtectedHeader) -> TrustReason? {
        guard header.algorithm == allowedAlgorithm else {
            let shown = JSONSerializer.string(.string(header.algorithm)).prefix(40)
            return TrustReason(.algorithmNotAllowed, "alg \(shown) is not EdDSA")
        }
        // "JWT" and "jwt" (nearly every token) without lower-casing: any case is accepted.
        if let type = header.type, type != "JWT", type != "jwt", type.lowercased() != "jwt" {
            return TrustReason(.headerForbidden, "typ \(JSONSerializer.string(.string(type)).prefix(40)) is not JWT")
        }
        return nil
    }
}
