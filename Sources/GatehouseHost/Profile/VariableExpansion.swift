/// `${VAR}` and `${VAR:-default}` in profile strings (SPEC §3), and `${env:VAR}` as VS Code and Cursor
/// write it. A default may itself hold references
/// (`${A:-${B:-c}}`); it is expanded only when it is used, as a POSIX shell does.
enum VariableExpansion {
    /// Why a string cannot be expanded.
    struct Failure: Error {
        let message: String
    }

    /// Expands every `${…}` in `text` from `environment`. A variable that is unset (or empty) takes its
    /// default; without a default it is an error, so a missing secret never becomes an empty header.
    static func expand(_ text: String, environment: [String: String]) throws(Failure) -> String {
        guard text.contains("${") else { return text }
        var expander = Expander(bytes: Array(text.utf8), text: text, environment: environment)
        let output = try expander.sequence(nested: false, evaluate: true)
        return String(decoding: output, as: UTF8.self)
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`.
    static func isVariableName(_ name: some Collection<UInt8>) -> Bool {
        guard let first = name.first, isLetter(first) || first == UInt8(ascii: "_") else { return false }
        return name.allSatisfy { isLetter($0) || $0 == UInt8(ascii: "_") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    /// A recursive-descent reader over the UTF-8 bytes (every delimiter is ASCII, so a multi-byte
    /// character is never split).
    private struct Expander {
        let bytes: [UInt8]
        let text: String
        let environment: [String: String]
        var index = 0

        init(bytes: [UInt8], text: String, environment: [String: String]) {
            self.bytes = bytes
            self.text = text
            self.environment = environment
        }

        /// Text and references up to the end, or (`nested`) up to the `}` that closes the enclosing
        /// reference, which is left for the caller. With `evaluate` false the syntax is checked and nothing
        /// is looked up (an unused default).
        mutating func sequence(nested: Bool, evaluate: Bool) throws(Failure) -> [UInt8] {
            var output: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                if nested && byte == UInt8(ascii: "}") { return output }
                if byte == UInt8(ascii: "$"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "{") {
                    index += 2
                    output += try reference(evaluate: evaluate)
                } else {
                    output.append(byte)
                    index += 1
                }
            }
            if nested { throw unterminated }
            return output
        }

        /// One reference after its `${`, through its closing `}`.
        mutating func reference(evaluate: Bool) throws(Failure) -> [UInt8] {
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "}"), !startsDefault(at: index) { index += 1 }
            guard index < bytes.count else { throw unterminated }
            var name = bytes[start..<index]
            // `${env:NAME}` is how VS Code and Cursor write `${NAME}` (what `gatehouse wrap` moves over).
            if name.starts(with: Array("env:".utf8)) { name = name.dropFirst(4) }
            guard isVariableName(name) else {
                throw Failure(message: "${\(String(decoding: name, as: UTF8.self))} is not a variable name")
            }
            let key = String(decoding: name, as: UTF8.self)
            let value = evaluate ? environment[key].flatMap { $0.isEmpty ? nil : $0 } : nil
            var fallback: [UInt8]?
            if startsDefault(at: index) {
                index += 2
                fallback = try sequence(nested: true, evaluate: evaluate && value == nil)
            }
            index += 1  // the closing `}`
            guard evaluate else { return [] }
            if let value { return Array(value.utf8) }
            if let fallback { return fallback }
            throw Failure(message: "${\(key)} is not set and has no default")
        }

        private func startsDefault(at position: Int) -> Bool {
            position + 1 < bytes.count && bytes[position] == UInt8(ascii: ":") && bytes[position + 1] == UInt8(ascii: "-")
        }

        private var unterminated: Failure {
            Failure(message: "an unterminated ${ in \"\(text.prefix(60))\"")
        }
    }
}
