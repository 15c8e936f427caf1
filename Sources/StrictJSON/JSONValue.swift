/// A JSON value as it was received: objects keep their member order, numbers keep their literal text.
///
/// Keeping the literal lets callers tell a JSON integer (`1700000000`) from a JSON number with a fraction
/// or exponent (`1.7e9`), which the passport rules treat differently, and lets the canonical serialiser
/// hash exactly what a server sent.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The string, if this value is a JSON string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The object, if this value is a JSON object.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The elements, if this value is a JSON array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The boolean, if this value is `true` or `false`.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The number, if this value is a JSON number.
    public var numberValue: JSONNumber? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The member named `key`, if this value is an object that has it.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// A short word naming the JSON type, for error messages ("string", "object", …).
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number(let number): number.isInteger ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// A JSON number with its literal text.
public struct JSONNumber: Sendable, Hashable {
    /// The literal as it appeared in the input, or as produced by ``init(_:)-(Int64)``.
    public let literal: String

    /// Creates a number from a literal the parser has already checked against the JSON grammar.
    init(validatedLiteral: String) {
        self.literal = validatedLiteral
    }

    /// Creates an integer number.
    public init(_ value: Int64) {
        self.literal = String(value)
    }

    /// Creates a number from a finite double, written in Swift's shortest round-trip form.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        if value == value.rounded(), abs(value) < 1e15 {
            self.literal = String(Int64(value))
        } else {
            self.literal = String(value)
        }
    }

    /// True when the literal has no fraction and no exponent: a JSON integer.
    public var isInteger: Bool {
        !literal.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }

    /// The value as a 64-bit integer, when the literal is a JSON integer that fits.
    public var int64Value: Int64? {
        isInteger ? Int64(literal) : nil
    }

    /// The value as a double (may round for long literals).
    public var doubleValue: Double {
        Double(literal) ?? .nan
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .number(JSONNumber(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .null }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var object = JSONObject()
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}

extension JSONValue: ExpressibleByFloatLiteral {
    /// A number from a (finite) floating-point literal.
    public init(floatLiteral value: Double) {
        self = .number(JSONNumber(value) ?? JSONNumber(0))
    }
}
