extension JSONScanner {
    /// Parses a string starting at the opening quote; validates UTF-8 and escapes.
    mutating func parseString() throws(JSONParseError) -> String {
        let quote = position
        position += 1
        var runStart = position
        var hasEscapes = false
        var decoded: [UInt8] = []
        while true {
            guard position < bytes.count else { throw JSONParseError(.syntax, "unterminated string", at: quote) }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                break
            }
            if byte < 0x20 {
                throw JSONParseError(.syntax, "control character in string", at: position)
            }
            if byte == UInt8(ascii: "\\") {
                if !hasEscapes {
                    hasEscapes = true
                    decoded.reserveCapacity(position - runStart + 16)
                }
                decoded.append(contentsOf: bytes[runStart..<position])
                try appendEscape(into: &decoded)
                runStart = position
                continue
            }
            position += 1
        }
        let end = position
        position += 1
        if !hasEscapes {
            return try validatedString(bytes[runStart..<end], at: runStart)
        }
        decoded.append(contentsOf: bytes[runStart..<end])
        return try validatedString(decoded[...], at: quote)
    }

    private func validatedString(_ slice: ArraySlice<UInt8>, at offset: Int) throws(JSONParseError) -> String {
        var ascii = true
        for byte in slice where byte >= 0x80 {
            ascii = false
            break
        }
        if ascii { return String(decoding: slice, as: UTF8.self) }
        guard let string = String(validating: slice, as: UTF8.self) else {
            throw JSONParseError(.invalidUTF8, "invalid UTF-8 in string", at: offset)
        }
        return string
    }

    /// Decodes one escape sequence at `position` (which holds the backslash) and appends its UTF-8.
    private mutating func appendEscape(into output: inout [UInt8]) throws(JSONParseError) {
        let start = position
        guard position + 1 < bytes.count else { throw JSONParseError(.syntax, "unterminated escape", at: start) }
        let letter = bytes[position + 1]
        position += 2
        switch letter {
        case UInt8(ascii: "\""): output.append(0x22)
        case UInt8(ascii: "\\"): output.append(0x5C)
        case UInt8(ascii: "/"): output.append(0x2F)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "u"):
            let first = try readHex4(at: start)
            var scalarValue = UInt32(first)
            if (0xD800...0xDBFF).contains(first) {
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u")
                else { throw JSONParseError(.loneSurrogate, "high surrogate without a low surrogate", at: start) }
                position += 2
                let second = try readHex4(at: start)
                guard (0xDC00...0xDFFF).contains(second) else {
                    throw JSONParseError(.loneSurrogate, "high surrogate without a low surrogate", at: start)
                }
                scalarValue = 0x10000 + ((UInt32(first) - 0xD800) << 10) + (UInt32(second) - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(first) {
                throw JSONParseError(.loneSurrogate, "low surrogate without a high surrogate", at: start)
            }
            guard let scalar = Unicode.Scalar(scalarValue) else {
                throw JSONParseError(.loneSurrogate, "invalid code point", at: start)
            }
            output.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            throw JSONParseError(.syntax, "invalid escape", at: start)
        }
    }

    private mutating func readHex4(at start: Int) throws(JSONParseError) -> UInt16 {
        guard position + 4 <= bytes.count else { throw JSONParseError(.syntax, "short \\u escape", at: start) }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONParseError(.syntax, "invalid hex digit in \\u escape", at: start)
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }
}
