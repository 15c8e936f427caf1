/// Writes JSON text.
public enum JSONSerializer {
    /// How to lay out the text.
    public enum Style: Sendable {
        /// One line, members in their stored order.
        case compact
        /// Indented by two spaces, members in their stored order.
        case pretty
        /// RFC 8785 (JCS): one line, members sorted by UTF-16 code units, ECMAScript number form.
        case canonical
    }

    /// Returns the JSON text of `value` in `style`.
    public static func string(_ value: JSONValue, style: Style = .compact) -> String {
        String(decoding: bytes(value, style: style), as: UTF8.self)
    }

    /// Returns the UTF-8 bytes of the JSON text of `value` in `style`, written straight into the array
    /// (no `String` in between: this is every message's path to a pipe).
    public static func bytes(_ value: JSONValue, style: Style = .compact) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(value, style: style, indent: 0, into: &output)
        return output
    }

    private static func write(_ value: JSONValue, style: Style, indent: Int, into output: inout [UInt8]) {
        switch value {
        case .null: append("null", to: &output)
        case .bool(let flag): append(flag ? "true" : "false", to: &output)
        case .number(let number): append(style == .canonical ? canonicalNumber(number) : number.literal, to: &output)
        case .string(let text): writeString(text, into: &output)
        case .array(let elements):
            guard !elements.isEmpty else { return append("[]", to: &output) }
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                newline(style, indent + 1, &output)
                write(element, style: style, indent: indent + 1, into: &output)
            }
            newline(style, indent, &output)
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            guard !object.isEmpty else { return append("{}", to: &output) }
            output.append(UInt8(ascii: "{"))
            if style == .canonical {
                let members = object.members.sorted { $0.key.utf16.lexicographicallyPrecedes($1.key.utf16) }
                writeMembers(members, style: style, indent: indent, into: &output)
            } else {
                writeMembers(object.members, style: style, indent: indent, into: &output)
            }
            newline(style, indent, &output)
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func writeMembers(
        _ members: [JSONObject.Member], style: Style, indent: Int, into output: inout [UInt8]
    ) {
        for (index, member) in members.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            newline(style, indent + 1, &output)
            writeString(member.key, into: &output)
            append(style == .pretty ? ": " : ":", to: &output)
            write(member.value, style: style, indent: indent + 1, into: &output)
        }
    }

    private static func append(_ text: String, to output: inout [UInt8]) {
        output.append(contentsOf: text.utf8)
    }

    private static func newline(_ style: Style, _ indent: Int, _ output: inout [UInt8]) {
        guard style == .pretty else { return }
        output.append(0x0A)
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * indent))
    }

    /// Escapes as RFC 8785 requires (which is also valid for the other styles): the short escapes for
    /// backspace, tab, newline, form feed and carriage return, `\u00xx` for other control characters,
    /// and every other character as itself (its UTF-8 bytes, copied in runs).
    static func writeString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for (offset, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<offset]))
                runStart = offset + 1
                escape(byte, into: &output)
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        output.append(UInt8(ascii: "\""))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func escape(_ byte: UInt8, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\\"))
        switch byte {
        case 0x22: output.append(UInt8(ascii: "\""))
        case 0x5C: output.append(UInt8(ascii: "\\"))
        case 0x08: output.append(UInt8(ascii: "b"))
        case 0x09: output.append(UInt8(ascii: "t"))
        case 0x0A: output.append(UInt8(ascii: "n"))
        case 0x0C: output.append(UInt8(ascii: "f"))
        case 0x0D: output.append(UInt8(ascii: "r"))
        default:
            output.append(contentsOf: "u00".utf8)
            output.append(hexDigits[Int(byte >> 4)])
            output.append(hexDigits[Int(byte & 0x0F)])
        }
    }
}
