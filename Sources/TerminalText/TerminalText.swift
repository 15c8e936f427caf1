/// Text that is safe to write to a terminal: the only thing the command line's `Console` prints.
///
/// A string literal in Gatehouse's own code is taken as it is. Everything interpolated into one is
/// sanitized (``TerminalSanitizer``) on one line, unless it is itself `TerminalText` or is interpolated
/// as `\(multiline: text)` (line feeds and tabs kept) or `\(field: text)` (one line, runs of spaces
/// collapsed, length capped, so padding cannot push a forged line onto the next row). A `String` that is
/// not a literal does not convert at all: it has to go through ``init(_:)`` or ``init(multiline:)``. So no
/// output path can print outside text without passing the sanitizer.
public struct TerminalText: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringInterpolation {
    /// The text, safe to write.
    public private(set) var string: String

    public var description: String { string }

    /// Gatehouse's own text (a literal).
    public init(stringLiteral value: String) {
        string = value
    }

    public init(stringInterpolation: StringInterpolation) {
        string = stringInterpolation.output
    }

    /// Outside text shown on one line.
    public init(_ outside: String) {
        string = TerminalSanitizer.sanitize(outside, multiline: false)
    }

    /// Outside text that may span lines (a tool result, a log): line feeds and tabs are kept.
    public init(multiline outside: String) {
        string = TerminalSanitizer.sanitize(outside, multiline: true)
    }

    /// Outside text in a field of a one-line summary such as a badge line (see the type's comment).
    public init(field outside: String, limit: Int = 120) {
        var collapsed = ""
        var previousWasSpace = false
        for character in TerminalSanitizer.sanitize(outside, multiline: false) {
            let isSpace = character == " "
            if !(isSpace && previousWasSpace) { collapsed.append(character) }
            previousWasSpace = isSpace
        }
        string = collapsed.count > limit ? String(collapsed.prefix(max(0, limit - 1))) + "…" : collapsed
    }

    /// True when there is no text.
    public var isEmpty: Bool { string.isEmpty }

    /// The text padded with spaces to `length` characters (a table column).
    public func padding(toLength length: Int) -> TerminalText {
        let count = string.count
        return count >= length ? self : TerminalText(safe: string + String(repeating: " ", count: length - count))
    }

    /// The text in an SGR colour (`32` green…), or as it is when `enabled` is false.
    public func styled(_ code: String, enabled: Bool) -> TerminalText {
        enabled ? TerminalText(safe: "\u{1B}[\(code)m" + string + "\u{1B}[0m") : self
    }

    /// Joins safe pieces.
    public static func + (left: TerminalText, right: TerminalText) -> TerminalText {
        TerminalText(safe: left.string + right.string)
    }

    public static func += (left: inout TerminalText, right: TerminalText) {
        left.string += right.string
    }

    private init(safe: String) {
        string = safe
    }

    /// Builds `TerminalText` from a literal with interpolations (see the type's comment).
    public struct StringInterpolation: StringInterpolationProtocol {
        var output = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            output.reserveCapacity(literalCapacity + interpolationCount * 8)
        }

        public mutating func appendLiteral(_ literal: String) {
            output += literal
        }

        /// Safe text, as it is.
        public mutating func appendInterpolation(_ text: TerminalText) {
            output += text.string
        }

        /// Any other value: its description, sanitized on one line.
        public mutating func appendInterpolation<Value>(_ value: Value) {
            output += TerminalSanitizer.sanitize(String(describing: value), multiline: false)
        }

        /// Outside text that may span lines.
        public mutating func appendInterpolation(multiline value: String) {
            output += TerminalSanitizer.sanitize(value, multiline: true)
        }

        /// Outside text in a one-line summary's field.
        public mutating func appendInterpolation(field value: String, limit: Int = 120) {
            output += TerminalText(field: value, limit: limit).string
        }
    }
}

extension Sequence where Element == TerminalText {
    /// The pieces joined by `separator`.
    public func joined(separator: TerminalText = "") -> TerminalText {
        var result: TerminalText = ""
        for (index, piece) in enumerated() {
            if index > 0 { result += separator }
            result += piece
        }
        return result
    }
}
