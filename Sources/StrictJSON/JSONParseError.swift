/// Why a document was refused by ``JSONParser``.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it was.
    public enum Kind: String, Sendable, Hashable {
        case syntax = "json.syntax"
        case invalidUTF8 = "json.invalid_utf8"
        case duplicateKey = "json.duplicate_key"
        case tooDeep = "json.too_deep"
        case tooLarge = "json.too_large"
        case numberOutOfRange = "json.number_out_of_range"
        case loneSurrogate = "json.lone_surrogate"
    }

    /// The kind of problem; compare on this.
    public let kind: Kind
    /// A human explanation.
    public let message: String
    /// The byte offset where the problem was found.
    public let offset: Int

    /// Creates an error.
    public init(_ kind: Kind, _ message: String, at offset: Int) {
        self.kind = kind
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) (at byte \(offset))" }
}
