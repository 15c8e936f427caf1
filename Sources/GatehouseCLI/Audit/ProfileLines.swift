import Foundation
import StrictJSON

/// Finds the line of a server's entry in its profile file (for SARIF locations): the first key spelled as
/// the server's name whose value is an object. Profiles and the host files `--discover` reads key their
/// servers by name, and the parsed profile keeps no positions, so each file is indexed once: every
/// `"key": {` with the line it is on.
struct ProfileLines {
    private var files: [String: [String: Int]] = [:]

    /// The 1-based line, or nil when the file cannot be read or holds no such key.
    mutating func line(of name: String, in path: String) -> Int? {
        if files[path] == nil { files[path] = FileManager.default.contents(atPath: path).map { Self.objectKeys(Array($0)) } ?? [:] }
        let keys = files[path] ?? [:]
        let escaped = JSONSerializer.string(.string(name))
        return keys[name] ?? keys[String(escaped.dropFirst().dropLast())]
    }

    /// Each key (its text between the quotes, escapes as written) whose value is an object, with the line
    /// of its first occurrence. Strings that are not keys are skipped whole, so a name inside one never counts.
    static func objectKeys(_ bytes: [UInt8]) -> [String: Int] {
        var keys: [String: Int] = [:]
        var line = 1
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") { line += 1 }
            if byte == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") || bytes[index + 1] == UInt8(ascii: "*") {
                index = skipComment(bytes, from: index, line: &line)  // JSONC: a quote in a comment is no string
                continue
            }
            guard byte == UInt8(ascii: "\"") else {
                index += 1
                continue
            }
            let start = index + 1
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                if bytes[end] == UInt8(ascii: "\\") { end += 1 }
                end += 1
            }
            guard end < bytes.count else { break }
            let after = skipWhitespace(bytes, from: end + 1)
            if after < bytes.count, bytes[after] == UInt8(ascii: ":"),
                case let value = skipWhitespace(bytes, from: after + 1), value < bytes.count, bytes[value] == UInt8(ascii: "{"),
                let key = String(validating: bytes[start..<end], as: UTF8.self), keys[key] == nil
            {
                keys[key] = line
            }
            index = end + 1
        }
        return keys
    }

    /// Past the `//` or `/* */` comment at `start`, counting its newlines.
    private static func skipComment(_ bytes: [UInt8], from start: Int, line: inout Int) -> Int {
        let block = bytes[start + 1] == UInt8(ascii: "*")
        var index = start + 2
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\n") {
                if !block { return index }
                line += 1
            } else if block, bytes[index] == UInt8(ascii: "*"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") {
                return index + 2
            }
            index += 1
        }
        return index
    }

    private static func skipWhitespace(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        return index
    }
}
