import TerminalText
import Testing

/// The terminal sanitizer and the `TerminalText` type every human-readable output goes through.
struct TerminalTextTests {
    @Test("controls, bidi and invisible characters are written out as code points", arguments: [
        ("a\u{200B}b", "a<U+200B>b"), ("x\u{202E}y", "x<U+202E>y"), ("\u{E0041}\u{E0042}", "<U+E0041><U+E0042>"),
        ("soft\u{00AD}hyphen", "soft<U+00AD>hyphen"), ("\u{FEFF}bom", "<U+FEFF>bom"),
        ("\u{1B}[2J\u{1B}]0;title\u{07}", "<U+001B>[2J<U+001B>]0;title<U+0007>"), ("cr\rlf\ntab\t", "cr<U+000D>lf<U+000A>tab<U+0009>"),
        ("c1\u{9B}31m\u{85}", "c1<U+009B>31m<U+0085>"), ("del\u{7F}", "del<U+007F>"), ("line\u{2028}para\u{2029}", "line<U+2028>para<U+2029>"),
        ("isolate\u{2066}x\u{2069}", "isolate<U+2066>x<U+2069>"), ("mark\u{200F}\u{061C}", "mark<U+200F><U+061C>"),
        ("plain ✔ text é 日本", "plain ✔ text é 日本"),
    ])
    func singleLine(_ input: String, _ expected: String) {
        #expect(TerminalText(input).string == expected)
        #expect(TerminalText("\(input)").string == expected, "an interpolated string is sanitized too")
    }

    @Test("multi-line fields keep line feeds and tabs, never carriage returns or escapes")
    func multiline() {
        #expect(TerminalText(multiline: "one\ntwo\tthree\r\n\u{1B}[A").string == "one\ntwo\tthree<U+000D>\n<U+001B>[A")
        #expect(TerminalText("\(multiline: "a\nb\u{9B}")").string == "a\nb<U+009B>")
    }

    @Test("a field collapses runs of spaces and is capped, so padding cannot wrap a forged line into view")
    func field() {
        let padded = "Demo Ltd" + String(repeating: " ", count: 300) + "weather  ✔ verified"
        #expect(TerminalText(field: padded).string == "Demo Ltd weather ✔ verified")
        #expect(TerminalText(field: String(repeating: "x", count: 200), limit: 10).string == "xxxxxxxxx…")
    }

    @Test("literals and nested TerminalText are kept; colour comes only from Gatehouse")
    func composition() {
        let badge = TerminalText("verified").styled("32", enabled: true)
        let line: TerminalText = "name  \(badge)  \("\u{1B}[31mforged")"
        #expect(line.string == "name  \u{1B}[32mverified\u{1B}[0m  <U+001B>[31mforged")
        #expect(["a", "b"].map { TerminalText($0) }.joined(separator: ", ").string == "a, b")
        #expect(TerminalText("ab").padding(toLength: 4).string == "ab  ")
    }

    @Test("the sanitized text never holds a character the sanitizer calls unsafe")
    func exhaustiveBelowU3000() {
        var text = ""
        for value in UInt32(0)...0x3000 { if let scalar = Unicode.Scalar(value) { text.unicodeScalars.append(scalar) } }
        for multiline in [false, true] {
            let safe = TerminalSanitizer.sanitize(text, multiline: multiline)
            #expect(!safe.unicodeScalars.contains { TerminalSanitizer.isUnsafe($0, multiline: multiline) })
            #expect(!safe.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x9B || $0.value == 0x0D })
        }
    }
}
