public import StrictJSON

/// Turns `KEY=VALUE` words into a tool's arguments using its `inputSchema` (SPEC §4): integer, number,
/// boolean, and array/object (from JSON text) are converted; strings are taken as they are. Anything that
/// cannot be converted, and a missing required argument, is an error before the call is sent.
public enum ToolArguments {
    /// A conversion failure, for a usage error.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// Builds the arguments from `base` (e.g. `--args JSON`) and `pairs`, then checks required ones.
    public static func build(
        schema: JSONValue?, pairs: [String], base: JSONObject = JSONObject(), checkRequired: Bool = true
    ) throws(Failure) -> JSONObject {
        var arguments = base
        let properties = schema?["properties"]?.objectValue ?? JSONObject()
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw Failure(message: "\"\(pair)\" is not KEY=VALUE")
            }
            let key = String(pair[..<equals])
            let text = String(pair[pair.index(after: equals)...])
            guard properties.contains(key) || schema?["additionalProperties"] != false else {
                throw Failure(message: "the tool has no argument \"\(key)\" (it takes \(properties.keys.joined(separator: ", ")))")
            }
            arguments[key] = try convert(text, key: key, schema: properties[key])
        }
        let missing = checkRequired ? missingRequired(schema: schema, arguments: arguments) : []
        guard missing.isEmpty else {
            throw Failure(message: "missing required argument\(missing.count > 1 ? "s" : ""): \(missing.joined(separator: ", "))")
        }
        return arguments
    }

    /// The required arguments not present.
    public static func missingRequired(schema: JSONValue?, arguments: JSONObject) -> [String] {
        (schema?["required"]?.arrayValue ?? []).compactMap(\.stringValue).filter { !arguments.contains($0) }
    }

    /// Converts one value by the property's `type` (the first listed, when it is an array).
    static func convert(_ text: String, key: String, schema: JSONValue?) throws(Failure) -> JSONValue {
        let type = schema?["type"]?.stringValue ?? schema?["type"]?.arrayValue?.first(where: { $0 != "null" })?.stringValue
        switch type {
        case "integer":
            guard let value = Int64(text) else { throw Failure(message: "\(key) must be an integer, not \"\(text)\"") }
            return .number(JSONNumber(value))
        case "number":
            guard let value = Double(text), value.isFinite, let number = JSONNumber(value) else {
                throw Failure(message: "\(key) must be a number, not \"\(text)\"")
            }
            return .number(number)
        case "boolean":
            switch text.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: throw Failure(message: "\(key) must be true or false, not \"\(text)\"")
            }
        case "array", "object":
            guard let value = try? JSONParser(maximumDepth: 64).parse(text),
                (type == "array" && value.arrayValue != nil) || (type == "object" && value.objectValue != nil)
            else { throw Failure(message: "\(key) must be a JSON \(type ?? "value")") }
            return value
        default:
            if let options = schema?["enum"]?.arrayValue, !options.contains(.string(text)) {
                throw Failure(message: "\(key) must be one of \(options.map { JSONSerializer.string($0) }.joined(separator: ", "))")
            }
            return .string(text)
        }
    }
}
