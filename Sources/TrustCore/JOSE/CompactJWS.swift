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
        let segments: Segments
        switch Segments.split(token) {
        case .success(let split): segments = split
        case .failure(let reason): return .failure(reason)
        }
        let header: JSONObject
        switch parseObject(segments.header, what: "header") {
        case .success(let object): header = object
        case .failure(let reason): return .failure(reason)
        }
        return .success(
            CompactJWS(
                signingInput: segments.signingInput, header: header, payload: segments.payload,
                signature: segments.signature
            )
        )
    }

    /// A token split into its three segments, each decoded from strict base64url: everything of step 3
    /// but reading the header and payload.
    struct Segments: Sendable {
        /// The signed bytes, as received.
        let signingInput: [UInt8]
        /// The decoded header bytes.
        let header: [UInt8]
        /// The decoded payload bytes.
        let payload: [UInt8]
        /// The decoded signature bytes.
        let signature: [UInt8]

        /// Splits `token`; the failure is the `passport.malformed` reason ``CompactJWS/parse(_:)`` gives.
        static func split(_ token: String) -> Result<Segments, TrustReason> {
            let bytes = Array(token.utf8)
            guard bytes.count <= maximumLength else {
                return .failure(malformed("the token is \(bytes.count) bytes; the limit is \(maximumLength)"))
            }
            guard !bytes.isEmpty else { return .failure(malformed("the token is empty")) }
            var dots: (first: Int, second: Int, count: Int) = (0, 0, 0)
            for (index, byte) in bytes.enumerated() {
                if byte == UInt8(ascii: ".") {
                    if dots.count == 0 { dots.first = index } else if dots.count == 1 { dots.second = index }
                    dots.count += 1
                } else if !Base64URL.isAlphabetCharacter(byte) {
                    return .failure(malformed("the token has a character outside base64url and '.' at offset \(index)"))
                }
            }
            guard dots.count == 2 else {
                return .failure(malformed("a compact JWS has exactly 3 segments; this token has \(dots.count + 1)"))
            }
            guard let header = Base64URL.decode(bytes[0..<dots.first]) else {
                return .failure(malformed("the header segment is not canonical base64url"))
            }
            guard let payload = Base64URL.decode(bytes[(dots.first + 1)..<dots.second]) else {
                return .failure(malformed("the payload segment is not canonical base64url"))
            }
            guard let signature = Base64URL.decode(bytes[(dots.second + 1)...]) else {
                return .failure(malformed("the signature segment is not canonical base64url"))
            }
            return .success(
                Segments(signingInput: Array(bytes[0..<dots.second]), header: header, payload: payload, signature: signature)
            )
        }
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

    static func malformed(_ message: String) -> TrustReason {
        TrustReason(.malformed, message)
    }
}
