internal import StrictJSON

/// Reads the members of a passport's header or payload straight from its bytes: the verification hot path
/// builds no ``JSONValue`` tree for them.
///
/// It accepts a subset of what ``JSONParser`` accepts and reads that subset exactly as the parser does;
/// for anything outside it, it gives up (``Unsupported``) and the caller parses with ``JSONParser``, so
/// every refusal, and its message, stays the strict parser's. The subset is one object, with JSON
/// whitespace between tokens, whose member names are strings and whose values are strings, integers of at
/// most 18 digits, `true`, `false`, `null`, arrays of strings or, for names the caller does not read, any
/// array or object that ``JSONParser`` itself accepts at the remaining depth. Strings must have no escapes
/// and no control characters; bytes ≥ 0x80 must be UTF-8, checked by the function the parser uses. Names
/// must be unique and ASCII: without escapes and beyond ASCII, comparing bytes is comparing the names as
/// the parser does (Swift string equality, which for non-ASCII names is canonical equivalence).
struct FlatJSONReader {
    /// The document is outside the subset: parse it with ``JSONParser``.
    struct Unsupported: Error {}

    /// A member's value.
    enum Value {
        /// A string's bytes, already checked to be UTF-8 (``text(_:)`` makes the string).
        case string(ArraySlice<UInt8>)
        case integer(Int64)
        case strings([String])
        /// `true`, `false`, `null`, or a nested value for a name the caller does not read.
        case other
    }

    private let bytes: [UInt8]
    private let maximumDepth: Int
    private var position = 0
    /// The names read so far, each with a hash of its bytes that is compared first.
    private var names: [(hash: UInt64, range: Range<Int>)] = []
    /// Whether the last string read had a byte ≥ 0x80, and the hash of its bytes.
    private var lastStringHadHighBytes = false
    private var lastStringHash: UInt64 = 0
    private var finished = false

    /// Starts reading `bytes` under the limits of `parser`; throws when the document is not an object
    /// (or is larger than the parser allows).
    init(_ bytes: [UInt8], limits parser: JSONParser) throws(Unsupported) {
        guard bytes.count <= parser.maximumBytes, parser.maximumDepth >= 1 else { throw Unsupported() }
        self.bytes = bytes
        self.maximumDepth = parser.maximumDepth
        skipWhitespace()
        try expect(UInt8(ascii: "{"))
        names.reserveCapacity(16)
        skipWhitespace()
        if peek == UInt8(ascii: "}") { try finish() }
    }

    /// The next member's name (as bytes) and value; nil after the last one.
    mutating func next() throws(Unsupported) -> (name: ArraySlice<UInt8>, value: Value)? {
        guard !finished else { return nil }
        let name = try string().indices
        // A name beyond ASCII goes to the strict parser: it compares names as Swift strings, so names that
        // differ in bytes but are canonically equivalent (U+212A KELVIN SIGN and K) are duplicates there.
        guard !lastStringHadHighBytes else { throw Unsupported() }
        let hash = lastStringHash
        for earlier in names where earlier.hash == hash && bytes[earlier.range].elementsEqual(bytes[name]) {
            throw Unsupported()
        }
        names.append((hash, name))
        skipWhitespace()
        try expect(UInt8(ascii: ":"))
        skipWhitespace()
        let value = try readValue()
        skipWhitespace()
        switch peek {
        case UInt8(ascii: ","):
            position += 1
            skipWhitespace()
        case UInt8(ascii: "}"): try finish()
        default: throw Unsupported()
        }
        return (bytes[name], value)
    }

    /// True when `name` is the ASCII text `expected`.
    static func matches(_ name: ArraySlice<UInt8>, _ expected: StaticString) -> Bool {
        guard name.count == expected.utf8CodeUnitCount else { return false }
        let start = expected.utf8Start
        var offset = 0
        for byte in name {
            guard byte == start[offset] else { return false }
            offset += 1
        }
        return true
    }

    private var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func expect(_ byte: UInt8) throws(Unsupported) {
        guard peek == byte else { throw Unsupported() }
        position += 1
    }

    /// After the closing brace only whitespace may follow.
    private mutating func finish() throws(Unsupported) {
        position += 1
        skipWhitespace()
        guard position == bytes.count else { throw Unsupported() }
        finished = true
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private mutating func readValue() throws(Unsupported) -> Value {
        guard let byte = peek else { throw Unsupported() }
        switch byte {
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "["):
            if let strings = try stringArray() { return .strings(strings) }
            try nestedValue()
            return .other
        case UInt8(ascii: "{"):
            try nestedValue()
            return .other
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .integer(try integer())
        default: throw Unsupported()
        }
        return .other
    }

    /// The bytes between the quotes of a string with no escape and no control character.
    private mutating func stringRange() throws(Unsupported) -> Range<Int> {
        try expect(UInt8(ascii: "\""))
        let start = position
        var high: UInt8 = 0
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                lastStringHadHighBytes = high >= 0x80
                lastStringHash = hash
                return start..<(position - 1)
            }
            guard byte >= 0x20, byte != UInt8(ascii: "\\") else { throw Unsupported() }
            high |= byte
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
            position += 1
        }
        throw Unsupported()
    }

    /// A string's bytes, checked as the parser checks them.
    private mutating func string() throws(Unsupported) -> ArraySlice<UInt8> {
        let slice = bytes[try stringRange()]
        guard !lastStringHadHighBytes || String(validating: slice, as: UTF8.self) != nil else { throw Unsupported() }
        return slice
    }

    /// The string of bytes ``next()`` returned as a string value.
    static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// An array of strings, or nil (position unchanged) when the array holds anything else.
    private mutating func stringArray() throws(Unsupported) -> [String]? {
        let start = position
        position += 1
        skipWhitespace()
        var strings: [String] = []
        if peek == UInt8(ascii: "]") {
            position += 1
            return strings
        }
        while true {
            guard peek == UInt8(ascii: "\"") else {
                position = start
                return nil
            }
            strings.append(Self.text(try string()))
            skipWhitespace()
            if peek == UInt8(ascii: "]") {
                position += 1
                return strings
            }
            try expect(UInt8(ascii: ","))
            skipWhitespace()
        }
    }

    private mutating func literal(_ word: StaticString) throws(Unsupported) {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count,
            Self.matches(bytes[position..<(position + count)], word)
        else { throw Unsupported() }
        position += count
    }

    /// `-?(0|[1-9][0-9]*)` with at most 18 digits and no fraction or exponent.
    private mutating func integer() throws(Unsupported) -> Int64 {
        let negative = peek == UInt8(ascii: "-")
        if negative { position += 1 }
        let start = position
        var value: Int64 = 0
        while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            value = value &* 10 &+ Int64(byte - UInt8(ascii: "0"))
            position += 1
        }
        let digits = position - start
        guard digits >= 1, digits <= 18, digits == 1 || bytes[start] != UInt8(ascii: "0") else { throw Unsupported() }
        if let byte = peek, byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            throw Unsupported()
        }
        return negative ? -value : value
    }

    /// Skips a nested array or object after ``JSONParser`` has accepted exactly its bytes, at the depth
    /// left below this object.
    private mutating func nestedValue() throws(Unsupported) {
        let start = position
        var depth = 0
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            case UInt8(ascii: "\""):
                position += 1
                while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
                    position += bytes[position] == UInt8(ascii: "\\") ? 2 : 1
                }
            default: break
            }
            position += 1
            if depth == 0 { break }
        }
        guard depth == 0, position <= bytes.count else { throw Unsupported() }
        let parser = JSONParser(maximumDepth: maximumDepth - 1, maximumBytes: bytes.count)
        guard (try? parser.parse(Array(bytes[start..<position]))) != nil else { throw Unsupported() }
    }
}
