/// Strict base64url (RFC 4648 §5) as JWS requires it (RFC 7515 §2): the URL-safe alphabet only, no
/// padding, no whitespace, and canonical — the unused low bits of the last character must be zero, so
/// that exactly one text encodes each byte string.
public enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Encodes without padding.
    public static func encode(_ bytes: [UInt8]) -> String {
        var output = [UInt8]()
        output.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index + 3 <= bytes.count {
            let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            output.append(alphabet[Int(chunk >> 18 & 63)])
            output.append(alphabet[Int(chunk >> 12 & 63)])
            output.append(alphabet[Int(chunk >> 6 & 63)])
            output.append(alphabet[Int(chunk & 63)])
            index += 3
        }
        let remaining = bytes.count - index
        if remaining == 1 {
            let chunk = UInt32(bytes[index]) << 16
            output.append(alphabet[Int(chunk >> 18 & 63)])
            output.append(alphabet[Int(chunk >> 12 & 63)])
        } else if remaining == 2 {
            let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            output.append(alphabet[Int(chunk >> 18 & 63)])
            output.append(alphabet[Int(chunk >> 12 & 63)])
            output.append(alphabet[Int(chunk >> 6 & 63)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Encodes the UTF-8 of `text` without padding.
    public static func encode(_ text: String) -> String {
        encode(Array(text.utf8))
    }

    /// Decodes strictly; nil for any character outside the alphabet, padding, a length of 1 mod 4, or
    /// non-zero unused bits in the final character.
    public static func decode<Input: Collection<UInt8>>(_ text: Input) -> [UInt8]? {
        if let decoded = text.withContiguousStorageIfAvailable({ decode(buffer: $0) }) { return decoded }
        return Array(text).withUnsafeBufferPointer { decode(buffer: $0) }
    }

    /// True for the 64 characters of the alphabet.
    static func isAlphabetCharacter(_ byte: UInt8) -> Bool {
        value(of: byte) != 0xFF
    }

    /// The 6-bit value of an alphabet character; 0xFF for any other byte.
    private static func value(of character: UInt8) -> UInt8 {
        decodeTable[Int(character)]
    }

    /// ``value(of:)`` for every byte: a table, because a range test per character mispredicts on the
    /// random-looking text of a signature.
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, character) in alphabet.enumerated() { table[Int(character)] = UInt8(index) }
        return table
    }()

    /// Decodes `text` straight into the output's storage, a group of four characters at a time.
    static func decode(buffer text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let count = text.count
        let tail = count % 4
        guard tail != 1 else { return nil }
        let outputCount = count / 4 * 3 + (tail == 0 ? 0 : tail - 1)
        var valid = true
        let output = decodeTable.withUnsafeBufferPointer { table in
            [UInt8](unsafeUninitializedCapacity: outputCount) { buffer, initialized in
                // The table is read through a pointer: no bounds check per character (a byte indexes 256 entries).
                func value(of character: UInt8) -> UInt8 { table[Int(character)] }
                var index = 0
                var written = 0
                while index + 4 <= count {
                    let a = value(of: text[index]), b = value(of: text[index + 1])
                    let c = value(of: text[index + 2]), d = value(of: text[index + 3])
                    // 0xFF marks a character outside the alphabet; every real value fits in 6 bits.
                    guard (a | b | c | d) & 0xC0 == 0 else {
                        valid = false
                        break
                    }
                    buffer[written] = a << 2 | b >> 4
                    buffer[written + 1] = (b & 0x0F) << 4 | c >> 2
                    buffer[written + 2] = (c & 0x03) << 6 | d
                    index += 4
                    written += 3
                }
                if valid, tail >= 2 {
                    let a = value(of: text[index]), b = value(of: text[index + 1])
                    let c = tail == 3 ? value(of: text[index + 2]) : 0
                    // The unused low bits of the last character must be zero for a canonical encoding.
                    let unused = tail == 3 ? c & 0x03 : b & 0x0F
                    if (a | b | c) & 0xC0 != 0 || unused != 0 {
                        valid = false
                    } else {
                        buffer[written] = a << 2 | b >> 4
                        if tail == 3 { buffer[written + 1] = (b & 0x0F) << 4 | c >> 2 }
                    }
                }
                initialized = valid ? outputCount : 0
            }
        }
        return valid ? output : nil
    }

    /// Decodes the UTF-8 of `text` strictly.
    public static func decode(_ text: String) -> [UInt8]? {
        decode(Array(text.utf8))
    }
}
