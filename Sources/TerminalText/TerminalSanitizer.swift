/// Makes text from outside Gatehouse — a server, a passport, a registry, a file — harmless on a terminal.
///
/// Every character that a terminal acts on instead of showing, or that shows as nothing, is replaced by
/// its code point written out (`<U+001B>`): C0 controls (carriage return included; line feed and tab
/// only in multi-line fields), DEL, C1 controls (U+0080–U+009F, among them the one-byte CSI U+009B),
/// bidirectional controls (embeddings, overrides, isolates, marks), line and paragraph separators, and
/// invisible characters (zero-width spaces and joiners, fillers, variation selectors, tags, the BOM).
/// So a server cannot move the cursor, rewrite a line, set the window title, hide text or reorder it.
public enum TerminalSanitizer {
    /// True when `scalar` must not reach a terminal as it is.
    public static func isUnsafe(_ scalar: Unicode.Scalar, multiline: Bool) -> Bool {
        let value = scalar.value
        switch value {
        case 0x0A, 0x09: return !multiline
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x20...0x7E: return false
        default: return invisible(value)
        }
    }

    /// Code points that format, reorder or hide text rather than show a glyph.
    private static func invisible(_ value: UInt32) -> Bool {
        switch value {
        case 0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B...0x180F,
            0x200B...0x200F, 0x2028...0x202E, 0x2060...0x206F, 0x3164, 0xFE00...0xFE0F, 0xFEFF, 0xFFA0,
            0xFFF9...0xFFFB, 0x1D173...0x1D17A, 0xE0000...0xE0FFF:
            return true
        default:
            return false
        }
    }

    /// `text` with every unsafe character written out as `<U+XXXX>`.
    public static func sanitize(_ text: String, multiline: Bool) -> String {
        guard text.unicodeScalars.contains(where: { isUnsafe($0, multiline: multiline) }) else { return text }
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar, multiline: multiline) {
                output.append(contentsOf: visible(scalar).unicodeScalars)
            } else {
                output.append(scalar)
            }
        }
        return String(output)
    }

    /// `<U+001B>`: at least four hexadecimal digits, upper case.
    public static func visible(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return "<U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits + ">"
    }
}
