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
            commands: ReplCompletion.commands, servers: ["weather"],
            tools: ["weather.get_forecast": ["city": ["type": "string"], "unit": ["type": "string", "enum": ["C", "F"]]]]
        )
        #expect(ReplCompletion.candidates(prefix: "", word: "", words: words).contains("weather.get_forecast"))
        #expect(ReplCompletion.candidates(prefix: "call ", word: "wea", words: words) == ["weather.get_forecast"])
        #expect(ReplCompletion.candidates(prefix: "weather.get_forecast ", word: "c", words: words) == ["city=", "unit="])
        #expect(ReplCompletion.candidates(prefix: "weather.get_forecast ", word: "unit=", words: words) == ["unit=C", "unit=F"])
        #expect(ReplCompletion.candidates(prefix: "allow ", word: "", words: words) == ["weather"])
    }

    @Test("a line parses into its verb, with its arguments; trust accept is trust's subcommand")
    func verbs() throws {
        #expect(ReplCompletion.commands == [
            "help", "servers", "trust", "tools", "describe", "call", "resources", "read", "prompts", "prompt", "allow",
            "reconnect", "login", "log", "quit",
        ])
        let tools = try #require(try ReplVerbs.verb(["tools", "weather", "--all"]) as? ReplVerbs.Tools)
        #expect(tools.server == "weather" && tools.all)
        let trust = try #require(try ReplVerbs.verb(["trust", "weather"]) as? ReplVerbs.TrustChecks)
        #expect(trust.server == "weather")
        let accept = try #require(try ReplVerbs.verb(["trust", "accept", "weather", "echo"]) as? ReplVerbs.Accept)
        #expect(accept.server == "weather" && accept.tool == "echo")
        let call = try #require(try ReplVerbs.verb(["call", "a.b", "x=1", "--y", "{z:"]) as? ReplVerbs.Call)
        #expect(call.tool == "a.b" && call.arguments == ["x=1", "--y", "{z:"])
        let help = try ReplVerbs.verb(["help"])
        #expect(help is ReplVerbs.Help)
        #expect(throws: (any Error).self) { try ReplVerbs.verb(["allow"]) }
    }
}
