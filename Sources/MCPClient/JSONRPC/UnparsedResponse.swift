import StrictJSON

/// A message too deeply nested to parse (SPEC §7 caps nesting at 256) may still be the response to a
/// pending request; its top-level `id` is read without parsing the rest, so that request fails at once
/// with `protocol.invalid_message` instead of waiting for its timeout.
public enum UnparsedResponse {
    /// The top-level `id` of the object in `bytes`, if it has one and is not itself a request (no
    /// top-level `method`); nil when the text is not an object or has no readable id.
    public static func id(in bytes: [UInt8]) -> RequestID? {
        var scanner = TopLevelScanner(bytes: bytes)
        var id: RequestID?
        guard scanner.expect(UInt8(ascii: "{")) else { return nil }
        while let key = scanner.string() {
            guard scanner.expect(UInt8(ascii: ":")) else { return nil }
            let start = scanner.position
            guard scanner.skipValue() else { return nil }
            if key == "method" { return nil }
            if key == "id", let value = try? JSONParser().parse(Array(bytes[start..<scanner.position])) {
                id = RequestID(value)
            }
            guard scanner.expect(UInt8(ascii: ",")) else { break }
        }
        return id
    }
}

/// Walks the top level of a JSON object: member names, and values skipped by bracket counting (no depth
/// limit, no allocation beyond the names).
struct TopLevelScanner {
    let bytes: [UInt8]
    var position = 0

    mutating func skipSpace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    /// Consumes `byte` (after any space) when it is next.
    mutating func expect(_ byte: UInt8) -> Bool {
        skipSpace()
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// A member name: the raw text between the quotes (escapes left as they are).
    mutating func string() -> String? {
        skipSpace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return nil }
        let start = position + 1
        guard skipString() else { return nil }
        return String(decoding: bytes[start..<(position - 1)], as: UTF8.self)
    }

    /// Moves past a string that starts at `position`.
    private mutating func skipString() -> Bool {
        position += 1
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\\"): position += 2
            case UInt8(ascii: "\""):
                position += 1
                return true
            default: position += 1
            }
        }
        return false
    }

    /// Moves past one value of any depth.
    mutating func skipValue() -> Bool {
        skipSpace()
        var depth = 0
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                guard skipString() else { return false }
                if depth == 0 { return true }
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return true }  // the end of the enclosing object: a scalar just ended
                depth -= 1
                if depth == 0 {
                    position += 1
                    return true
                }
            case UInt8(ascii: ","): if depth == 0 { return true }
            default: break
            }
            position += 1
        }
        return depth == 0
    }
}

extension TransportEvent {
    /// The events one inbound frame makes: its message; or, when it is not JSON, a skipped line (`excerpt`)
    /// — and when it is JSON nested too deep, also the failure of the request it answers.
    static func decoding(_ bytes: [UInt8], parser: JSONParser, excerpt: @autoclosure () -> String) -> [TransportEvent] {
        do {
            return [.message(try parser.parse(bytes))]
        } catch {
            guard error.kind == .tooDeep, let id = UnparsedResponse.id(in: bytes) else { return [.skipped(excerpt())] }
            let failure = MCPClientError(.invalidMessage, "the response is nested deeper than \(parser.maximumDepth) levels")
            return [.skipped(excerpt()), .requestFailed(id, failure)]
        }
    }
}
