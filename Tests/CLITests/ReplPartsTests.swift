@testable import GatehouseCLI
import StrictJSON
import Testing

/// The REPL's pure parts: the tokenizer, completion.
struct ReplPartsTests {
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
