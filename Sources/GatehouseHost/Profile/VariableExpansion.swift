/// `${VAR}` and `${VAR:-default}` in profile strings (SPEC §3).
enum VariableExpansion {
    /// Why a string cannot be expanded.
    struct Failure: Error {
        let message: String
    }

    /// Expands every `${…}` in `text` from `environment`. A variable that is unset (or empty) takes its
    /// default; without a default it is an error, so a missing secret never becomes an empty header.
    static func expand(_ text: String, environment: [String: String]) throws(Failure) -> String {
        guard text.contains("${") else { return text }
        var output = ""
        var rest = Substring(text)
        while let start = rest.firstRange(of: "${") {
            output += rest[..<start.lowerBound]
            let afterOpen = rest[start.upperBound...]
            guard let close = afterOpen.firstIndex(of: "}") else {
                throw Failure(message: "an unterminated ${ in \"\(text.prefix(60))\"")
            }
            let inside = afterOpen[..<close]
            let name: Substring
            var fallback: Substring?
            if let separator = inside.firstRange(of: ":-") {
                name = inside[..<separator.lowerBound]
                fallback = inside[separator.upperBound...]
            } else {
                name = inside
            }
            guard isVariableName(name) else { throw Failure(message: "${\(inside)} is not a variable name") }
            if let value = environment[String(name)], !value.isEmpty {
                output += value
            } else if let fallback {
                output += fallback
            } else {
                throw Failure(message: "${\(name)} is not set and has no default")
            }
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        return output + rest
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`.
    static func isVariableName(_ name: Substring) -> Bool {
        guard let first = name.utf8.first, isLetter(first) || first == UInt8(ascii: "_") else { return false }
        return name.utf8.allSatisfy { isLetter($0) || $0 == UInt8(ascii: "_") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
