@testable import GatehouseCLI
import StrictJSON
import Testing

/// The REPL's pure parts: invisible Unicode made visible, the tokenizer, completion.
struct ReplPartsTests {
    @Test("invisible and bidirectional characters are shown as code points", arguments: [
        ("a\u{200B}b", "a<U+200B>b"), ("x\u{202E}y", "x<U+202E>y"), ("\u{E0041}\u{E0042}", "<U+E0041><U+E0042>"),
        ("tab\tand\nnewline", "tab\tand\nnewline"), ("soft\u{00AD}hyphen", "soft<U+AD>hyphen"), ("\u{FEFF}bom", "<U+FEFF>bom"),
    ])
    func visible(_ input: String, _ expected: String) {
        #expect(Visible.text(input) == expected)
    }

    @Test("the tokenizer keeps quoted words together")
    func tokenizer() {
        #expect(ReplTokenizer.split("call a.b text='hello world' n=\"1 2\" x\\ y") == ["call", "a.b", "text=hello world", "n=1 2", "x y"])
        #expect(ReplTokenizer.split("  ") == [])
    }

    @Test("completion offers commands, tools, argument names and enum values")
    func completion() {
        let words = ReplCompletion.Words(
            commands: ReplSession.commands, servers: ["weather"],
            tools: ["weather.get_forecast": ["city": ["type": "string"], "unit": ["type": "string", "enum": ["C", "F"]]]]
        )
        #expect(ReplCompletion.candidates(prefix: "", word: "", words: words).contains("weather.get_forecast"))
        #expect(ReplCompletion.candidates(prefix: "call ", word: "wea", words: words) == ["weather.get_forecast"])
        #expect(ReplCompletion.candidates(prefix: "weather.get_forecast ", word: "c", words: words) == ["city=", "unit="])
        #expect(ReplCompletion.candidates(prefix: "weather.get_forecast ", word: "unit=", words: words) == ["unit=C", "unit=F"])
        #expect(ReplCompletion.candidates(prefix: "allow ", word: "", words: words) == ["weather"])
    }
}
