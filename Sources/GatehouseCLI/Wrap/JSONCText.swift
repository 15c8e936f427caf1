/// JSON with comments (`//`, `/* */`) and trailing commas, as VS Code and others write their settings,
/// turned into strict JSON for the parser. Strings are copied untouched; a comment becomes spaces (line
/// feeds kept), so byte offsets and line numbers in errors still point at the original.
enum JSONCText {
    static func strict(_ bytes: [UInt8]) -> [UInt8] {
        var output = bytes
        var index = 0
        var inString = false
        var lastSignificant: Int?
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                if byte == UInt8(ascii: "\"") { inString = false }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                lastSignificant = index
            case UInt8(ascii: "/") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "/"):
                while index < bytes.count, bytes[index] != 0x0A {
                    output[index] = 0x20
                    index += 1
                }
                continue
            case UInt8(ascii: "/") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "*"):
                let start = index
                index += 2
                while index + 1 < bytes.count, !(bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/")) { index += 1 }
                index = min(index + 2, bytes.count)
                for position in start..<index where output[position] != 0x0A { output[position] = 0x20 }
                continue
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if let comma = lastSignificant, output[comma] == UInt8(ascii: ",") { output[comma] = 0x20 }
                lastSignificant = index
            case 0x20, 0x09, 0x0A, 0x0D:
                break
            default:
                lastSignificant = index
            }
            index += 1
        }
        return output
    }
}
