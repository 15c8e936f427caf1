public import StrictJSON

/// A compact JWS (RFC 7515 §7.1) split and decoded under the strict rules of SPEC §2.3 step 3.
///
/// The payload is kept as bytes: the JWS layer does not care whether it is JSON (the RFC 8037 example
/// signs plain text). ``PassportToken`` adds the JWT rule that the payload is a JSON object.
public struct CompactJWS: Sendable {
    /// The largest token accepted, in bytes (SPEC §2.3 step 3).
    public static let maximumLength = 16 * 1024

    /// The ASCII bytes the signature covers: `BASE64URL(header) "." BASE64URL(payload)`, exactly as received.
    public let signingInput: [UInt8]
    /// The protected header, parsed strictly.
    public let header: JSONObject
    /// The decoded payload bytes.
    public let payload: [UInt8]
    /// The decoded signature bytes (length is checked by the signature step, not here).
    public let signature: [UInt8]

    /// The parser for headers and payloads: small depth, the token's size bound.
    static let parser = JSONParser(maximumDepth: 32, maximumBytes: maximumLength)

    /// Splits and decodes `token`.
    /// - Returns: the JWS, or a `passport.malformed` reason saying what is wrong.
    public static func parse(_ token: String) -> Result<CompactJWS, TrustReason> {
        let bytes = Array(token.utf8)
        guard bytes.count <= maximumLength else {
            return .failure(malformed("the token is \(bytes.count) bytes; the limit is \(maximumLength)"))
        }
        guard !bytes.isEmpty else { return .failure(malformed("the token is empty")) }
        var dots: [Int] = []
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: ".") {
                dots.append(index)
            } else if !isBase64URLCharacter(byte) {
                return .failure(malformed("the token has a character outside base64url and '.' at offset \(index)"))
            }
        }
        guard dots.count == 2 else {
            return .failure(malformed("a compact JWS has exactly 3 segments; this token has \(dots.count + 1)"))
        }
        let headerText = bytes[0..<dots[0]]
        let payloadText = bytes[(dots[0] + 1)..<dots[1]]
        let signatureText = bytes[(dots[1] + 1)...]
        guard let headerBytes = Base64URL.decode(headerText) else {
            return .failure(malformed("the header segment is not canonical base64url"))
        }
        guard let payload = Base64URL.decode(payloadText) else {
            return .failure(malformed("the payload segment is not canonical base64url"))
        }
        guard let signature = Base64URL.decode(signatureText) else {
            return .failure(malformed("the signature segment is not canonical base64url"))
        }
        let header: JSONObject
        switch parseObject(headerBytes, what: "header") {
        case .success(let object): header = object
        case .failure(let reason): return .failure(reason)
        }
        return .success(
            CompactJWS(
                signingInput: Array(bytes[0..<dots[1]]), header: header, payload: payload, signature: signature
            )
        )
    }

    /// Parses `bytes` as a strict JSON object; the failure names `what` it was.
    static func parseObject(_ bytes: [UInt8], what: String) -> Result<JSONObject, TrustReason> {
        do {
            guard case .object(let object) = try parser.parse(bytes) else {
                return .failure(malformed("the \(what) is JSON but not an object"))
            }
            return .success(object)
        } catch {
            return .failure(malformed("the \(what) is not strict JSON: \(error.message)"))
        }
    }

    private static func isBase64URLCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default: false
        }
    }

    private static func malformed(_ message: String) -> TrustReason {
        TrustReason(.malformed, message)
    }
}
