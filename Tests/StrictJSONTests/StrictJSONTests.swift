import StrictJSON
import Testing

/// The strict parser refuses what an attacker could exploit, and the serialisers write what RFC 8785 says.
struct StrictJSONTests {
    @Test("documents a strict parser must refuse", arguments: [
        ("{\"a\":1,\"a\":2}", JSONParseError.Kind.duplicateKey),
        ("{\"a\":1,\"\\u0061\":2}", .duplicateKey),
        ("[\"\\ud800\"]", .loneSurrogate),
        ("[\"\\udc00\\ud800\"]", .loneSurrogate),
        ("[1e400]", .numberOutOfRange),
        ("[01]", .syntax),
        ("[1,]", .syntax),
        ("{\"a\":1}x", .syntax),
        ("[NaN]", .syntax),
        ("[\"a\tb\"]", .syntax),
        ("\u{FEFF}{}", .syntax),
        ("[\"\\x\"]", .syntax),
        ("", .syntax),
    ])
    func refused(_ text: String, _ kind: JSONParseError.Kind) {
        #expect(throws: JSONParseError.self) { try JSONParser().parse(text) }
        do {
            _ = try JSONParser().parse(text)
        } catch {
            #expect(error.kind == kind)
        }
    }

    @Test("invalid UTF-8 is refused: overlong, encoded surrogate, truncated, stray continuation", arguments: [
        [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22], [0x22, 0x80, 0x22],
    ] as [[UInt8]])
    func invalidUTF8(_ bytes: [UInt8]) {
        #expect(throws: JSONParseError.self) { try JSONParser().parse(bytes) }
    }

    @Test("nesting and size limits hold without a crash")
    func limits() throws {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONParser(maximumDepth: 64).parse(deep) }
        #expect(throws: JSONParseError.self) { try JSONParser(maximumBytes: 4).parse("[1,2,3]") }
        _ = try JSONParser(maximumDepth: 3).parse("[[[1]]]")
    }

    @Test("values keep member order, integer literals and escapes")
    func values() throws {
        let value = try JSONParser().parse("{\"b\":1,\"a\":[true,null,\"\\u00e9\\ud83d\\ude00\"],\"c\":1.5e3}")
        #expect(value.objectValue?.keys == ["b", "a", "c"])
        #expect(value["b"]?.numberValue?.int64Value == 1)
        #expect(value["c"]?.numberValue?.int64Value == nil)
        #expect(value["a"]?.arrayValue?[2].stringValue == "é😀")
        #expect(JSONSerializer.string(value) == "{\"b\":1,\"a\":[true,null,\"é😀\"],\"c\":1.5e3}")
    }

    @Test("canonical numbers follow ECMAScript (RFC 8785 §3.2.2.3)", arguments: [
        ("1e30", "1e+30"), ("4.50", "4.5"), ("2e-3", "0.002"), ("0.000001", "0.000001"), ("1e-7", "1e-7"),
        ("-0", "0"), ("333333333.33333329", "333333333.3333333"), ("100", "100"), ("1e21", "1e+21"),
        ("1e20", "100000000000000000000"), ("-1.5", "-1.5"), ("123456789012", "123456789012"),
    ])
    func canonicalNumbers(_ literal: String, _ expected: String) throws {
        let value = try JSONParser().parse("[\(literal)]")
        #expect(JSONSerializer.string(value, style: .canonical) == "[\(expected)]")
    }

    @Test("canonical form sorts members by UTF-16 code units and escapes as RFC 8785 says")
    func canonicalOrder() throws {
        let value = try JSONParser().parse(
            "{\"\\u20ac\":1,\"\\r\":2,\"\\ufb33\":3,\"1\":4,\"\\ud83d\\ude00\":5,\"\\u0080\":6,\"\\u00f6\":7,\"x\":\"\\u0001\\n\"}"
        )
        let expected = "{\"\\r\":2,\"1\":4,\"x\":\"\\u0001\\n\",\"\u{80}\":6,\"ö\":7,\"€\":1,\"😀\":5,\"\u{FB33}\":3}"
        #expect(JSONSerializer.string(value, style: .canonical) == expected)
    }

    @Test("bytes escape every control character, quote and backslash, keep the rest as UTF-8, and parse back")
    func escapedBytes() throws {
        let text = String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) }) + "\"\\/\u{7F}é😀"
        let value: JSONValue = ["k\"": .array([.string(text), .null, true, [:], []])]
        let bytes = JSONSerializer.bytes(value)
        let expected = "{\"k\\\"\":[\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r"
            + "\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b"
            + "\\u001c\\u001d\\u001e\\u001f\\\"\\\\/\u{7F}é😀\",null,true,{},[]]}"
        #expect(bytes == Array(expected.utf8))
        #expect(try JSONParser().parse(bytes) == value)
        #expect(JSONSerializer.string(["a": [1, [:]]], style: .pretty) == "{\n  \"a\": [\n    1,\n    {}\n  ]\n}")
    }
}
