/// The parsed `WWW-Authenticate: Bearer …` challenge of a 401/403 (RFC 6750 §3, RFC 9728 §5.1).
///
/// The header may carry several challenges (`Basic realm="x", Bearer scope="a"`); the first whose scheme is
/// `Bearer` (case-insensitive) is read. Parameter names are case-insensitive; values are tokens or
/// quoted strings (with `\` escapes). A parameter repeated keeps its first value.
public struct BearerChallenge: Sendable, Hashable {
    /// `resource_metadata`: where the protected resource metadata is (RFC 9728 §5.1).
    public var resourceMetadata: String?
    /// `scope`, split on spaces; nil when absent or empty.
    public var scopes: [String]?
    /// `error`, e.g. `invalid_token` or `insufficient_scope`.
    public var error: String?
    /// Every parameter of the Bearer challenge, names lowercased.
    public var parameters: [String: String]

    /// Parses `header`; nil unless it holds a `Bearer` challenge.
    public init?(header: String) {
        var scanner = ChallengeScanner(header)
        guard let parameters = scanner.bearerParameters() else { return nil }
        self.parameters = parameters
        resourceMetadata = parameters["resource_metadata"]
        let scopes = parameters["scope"].map { $0.split(separator: " ").map(String.init) } ?? []
        self.scopes = scopes.isEmpty ? nil : scopes
        error = parameters["error"]
    }
}

/// A scanner over the `WWW-Authenticate` grammar of RFC 9110 §11.6.1 (without token68, which Bearer does not use
/// for challenges).
private struct ChallengeScanner {
    private let bytes: [UInt8]
    private var index = 0

    init(_ header: String) {
        bytes = Array(header.utf8)
    }

    /// The parameters of the first Bearer challenge, nil when there is none or the header is malformed before it.
    mutating func bearerParameters() -> [String: String]? {
        var current: [String: String]?
        var inBearer = false
        while true {
            skip { $0 == 0x20 || $0 == 0x09 || $0 == UInt8(ascii: ",") }
            guard index < bytes.count else { break }
            let name = token()
            guard !name.isEmpty else { return inBearer ? current : nil }
            skip { $0 == 0x20 || $0 == 0x09 }
            if index < bytes.count, bytes[index] == UInt8(ascii: "=") {
                index += 1
                skip { $0 == 0x20 || $0 == 0x09 }
                guard let value = value() else { return inBearer ? current : nil }
                if inBearer, current?[name.lowercased()] == nil { current?[name.lowercased()] = value }
            } else {
                // A new challenge starts; a Bearer one already read is complete.
                if inBearer { return current }
                inBearer = name.lowercased() == "bearer"
                if inBearer { current = [:] }
            }
        }
        return current
    }

    private mutating func skip(while predicate: (UInt8) -> Bool) {
        while index < bytes.count, predicate(bytes[index]) { index += 1 }
    }

    private mutating func token() -> String {
        let start = index
        skip(while: Self.isTokenCharacter)
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// A token or a quoted string; nil for an unterminated quoted string or an empty value.
    private mutating func value() -> String? {
        guard index < bytes.count else { return nil }
        guard bytes[index] == UInt8(ascii: "\"") else {
            let text = token()
            return text.isEmpty ? nil : text
        }
        index += 1
        var output = [UInt8]()
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\"") { return String(decoding: output, as: UTF8.self) }
            if byte == UInt8(ascii: "\\") {
                guard index < bytes.count else { return nil }
                output.append(bytes[index])
                index += 1
            } else {
                output.append(byte)
            }
        }
        return nil
    }

    /// RFC 9110 tchar.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}
