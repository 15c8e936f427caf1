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
        var output = ""
        write(value, style: style, indent: 0, into: &output)
        return output
    }

    /// Returns the UTF-8 bytes of the JSON text of `value` in `style`.
    public static func bytes(_ value: JSONValue, style: Style = .compact) -> [UInt8] {
        Array(string(value, style: style).utf8)
    }

    private static func write(_ value: JSONValue, style: Style, indent: Int, into output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .number(let number): output += style == .canonical ? canonicalNumber(number) : number.literal
        case .string(let text): writeString(text, into: &output)
        case .array(let elements):
            guard !elements.isEmpty else { output += "[]"; return }
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                newline(style, indent + 1, &output)
                write(element, style: style, indent: indent + 1, into: &output)
            }
            newline(style, indent, &output)
            output += "]"
        case .object(let object):
            guard !object.isEmpty else { output += "{}"; return }
            var members = object.members
            if style == .canonical { members.sort { $0.key.utf16.lexicographicallyPrecedes($1.key.utf16) } }
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += "," }
                newline(style, indent + 1, &output)
                writeString(member.key, into: &output)
                output += style == .pretty ? ": " : ":"
                write(member.value, style: style, indent: indent + 1, into: &output)
            }
            newline(style, indent, &output)
            output += "}"
        }
    }

    private static func newline(_ style: Style, _ indent: Int, _ output: inout String) {
        guard style == .pretty else { return }
        output += "\n" + String(repeating: "  ", count: indent)
    }

    /// Escapes as RFC 8785 requires (which is also valid for the other styles): the short escapes for
    /// backspace, tab, newline, form feed and carriage return, `\u00xx` for other control characters,
    /// and every other character as itself.
    static func writeString(_ text: String, into output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\u{08}": output += "\\b"
            case "\u{09}": output += "\\t"
            case "\u{0A}": output += "\\n"
            case "\u{0C}": output += "\\f"
            case "\u{0D}": output += "\\r"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
