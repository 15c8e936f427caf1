import Foundation

/// Reads a token from an argument or standard input (`-` or absent), trimmed of surrounding whitespace.
///
/// Reading stops a little past the 16 KiB token limit: a huge or endless input is refused as malformed
/// without being held in memory. Bytes that are not UTF-8 are kept as replacement characters, which the
/// strict JWS parser then refuses as `passport.malformed`.
enum TokenInput {
    /// How much is read before the input is known to be too large.
    static let readLimit = 64 * 1024

    static func read(_ argument: String?) -> String {
        if let argument, argument != "-" { return trim(argument) }
        var collected = Data()
        while collected.count <= readLimit {
            let chunk = FileHandle.standardInput.readData(ofLength: 16 * 1024)
            if chunk.isEmpty { break }
            collected.append(chunk)
        }
        return trim(String(decoding: collected, as: UTF8.self))
    }

    /// Only spaces, tabs, carriage returns and newlines around the token are removed; anything inside
    /// stays and makes the token malformed.
    static func trim(_ text: String) -> String {
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[first...last])
    }
}
