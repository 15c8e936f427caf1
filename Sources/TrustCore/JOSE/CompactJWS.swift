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
            let quick: (UnsafeBufferPointer<UInt8>) -> Segments? = { $0.count <= maximumLength ? quickSplit($0) : nil }
            let segments = token.utf8.withContiguousStorageIfAvailable(quick) ?? Array(token.utf8).withUnsafeBufferPointer(quick)
            if let segments { return .success(segments) }
            return .failure(diagnose(Array(token.utf8)))
        }

        /// Two dots and three segments that each decode: then every check of ``diagnose(_:)`` passes too
        /// (the decoder accepts only alphabet characters).
        private static func quickSplit(_ bytes: UnsafeBufferPointer<UInt8>) -> Segments? {
            guard let first = bytes.firstIndex(of: UInt8(ascii: ".")),
                let second = bytes[(first + 1)...].firstIndex(of: UInt8(ascii: ".")),
                !bytes[(second + 1)...].contains(UInt8(ascii: ".")),
                let header = Base64URL.decode(buffer: UnsafeBufferPointer(rebasing: bytes[..<first])),
                let payload = Base64URL.decode(buffer: UnsafeBufferPointer(rebasing: bytes[(first + 1)..<second])),
                let signature = Base64URL.decode(buffer: UnsafeBufferPointer(rebasing: bytes[(second + 1)...]))
            else { return nil }
            return Segments(signingInput: Array(bytes[..<second]), header: header, payload: payload, signature: signature)
        }

        /// Step 3's checks in their order, for a token ``quickSplit(_:)`` refused: the first that fails.
        private static func diagnose(_ bytes: [UInt8]) -> TrustReason {
            guard bytes.count <= maximumLength else {
                return malformed("the token is \(bytes.count) bytes; the limit is \(maximumLength)")
            }
            guard !bytes.isEmpty else { return malformed("the token is empty") }
            var dots: [Int] = []
            for (index, byte) in bytes.enumerated() {
                if byte == UInt8(ascii: ".") {
                    dots.append(index)
                } else if !Base64URL.isAlphabetCharacter(byte) {
                    return malformed("the token has a character outside base64url and '.' at offset \(index)")
                }
            }
            guard dots.count == 2 else {
                return malformed("a compact JWS has exactly 3 segments; this token has \(dots.count + 1)")
            }
            guard Base64URL.decode(bytes[0..<dots[0]]) != nil else {
                return malformed("the header segment is not canonical base64url")
            }
            guard Base64URL.decode(bytes[(dots[0] + 1)..<dots[1]]) != nil else {
                return malformed("the payload segment is not canonical base64url")
            }
            return malformed("the signature segment is not canonical base64url")
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
