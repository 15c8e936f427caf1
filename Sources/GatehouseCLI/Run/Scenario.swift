import Foundation
import StrictJSON

/// A scenario (`gatehouse run`): REPL commands and `expect` assertions, one per line (docs/scenarios.md).
struct Scenario {
    enum Step {
        case command(String)
        case expectation(Expectation)
    }

    enum Expectation {
        case ok
        case error(code: String?)
        case exit(Int32)
        case trust(server: String, verdict: String)
        case textContains(String)
        case json(path: [JSONPath.Component], value: JSONValue)
        case toolsInclude(server: String, tool: String)
    }

    struct Line {
        let number: Int
        let text: String
        let step: Step
    }

    let file: String
    let lines: [Line]

    /// A line that cannot be read.
    struct ParseError: Error {
        let line: Int
        let message: String
    }

    static func parse(_ text: String, file: String) throws(ParseError) -> Scenario {
        var lines: [Line] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let number = index + 1
            if line == "expect" || line.hasPrefix("expect ") {
                lines.append(Line(number: number, text: line, step: .expectation(try expectation(String(line.dropFirst(7)), line: number))))
            } else {
                lines.append(Line(number: number, text: line, step: .command(line)))
            }
        }
        return Scenario(file: file, lines: lines)
    }

    private static func expectation(_ text: String, line: Int) throws(ParseError) -> Expectation {
        let words = ReplTokenizer.split(text)
        switch words.first {
        case "ok" where words.count == 1: return .ok
        case "error" where words.count <= 2: return .error(code: words.count == 2 ? words[1] : nil)
        case "exit" where words.count == 2:
            guard let status = Int32(words[1]) else { throw ParseError(line: line, message: "expect exit takes a number") }
            return .exit(status)
        case "trust" where words.count == 3: return .trust(server: words[1], verdict: words[2])
        case "text" where words.count == 3 && words[1] == "contains": return .textContains(words[2])
        case "tools" where words.count == 4 && words[2] == "includes": return .toolsInclude(server: words[1], tool: words[3])
        case "json":
            guard let operatorRange = text.range(of: " == ") else { throw ParseError(line: line, message: "expect json PATH == VALUE") }
            let pathText = text[text.index(text.startIndex, offsetBy: 5)..<operatorRange.lowerBound].trimmingCharacters(in: .whitespaces)
            let valueText = String(text[operatorRange.upperBound...]).trimmingCharacters(in: .whitespaces)
            guard let path = JSONPath.parse(pathText) else { throw ParseError(line: line, message: "\(pathText) is not a path like .content[0].text") }
            guard let value = try? JSONParser().parse(valueText) else {
                throw ParseError(line: line, message: "\(valueText) is not a JSON value (strings need quotes)")
            }
            return .json(path: path, value: value)
        default:
            throw ParseError(line: line, message: "unknown expectation \"expect \(text)\"")
        }
    }
}
