import Foundation
import GatehouseHost
import MCPClient
import TestSupport
import Testing

/// `${VAR}` and `${VAR:-default}` (SPEC §3), nested defaults included, read through a real profile file.
struct VariableExpansionTests {
    /// The argument `text` expands to with `environment`, or the problem's message.
    func expand(_ text: String, _ environment: [String: String]) throws -> Result<String, ProfileProblem> {
        let path = try Repository.temporaryDirectory() + "/profile.json"
        let document: [String: Any] = ["mcpServers": ["s": ["command": "python3", "args": [text]]]]
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: path))
        let profile = try ProfileLoader.load([path], environment: environment)
        if let problem = profile.problems.first { return .failure(problem) }
        guard case .stdio(let launch)? = profile.server(named: "s")?.transport else { throw SupportError("s is not stdio") }
        return .success(launch.arguments.first ?? "")
    }

    @Test("nested defaults expand only when used", arguments: [
        ("${A:-${B}}", ["A": "a", "B": "b"], "a"),
        ("${A:-${B}}", ["B": "b"], "b"),
        ("${A:-${B}}", ["A": "", "B": "b"], "b"),
        ("${A:-${B}}", ["A": "a"], "a"),  // B is never looked up, so its absence is no error
        ("${A:-${B:-c}}", [:], "c"),
        ("${A:-${B:-c}}", ["B": "", "A": ""], "c"),
        ("${A:-${B:-c}}", ["B": "b"], "b"),
        ("${A:-${B:-c}}", ["A": "a", "B": "b"], "a"),
        ("x${A:-pre-${B:-c}-post}y", [:], "xpre-c-posty"),
        ("${A:-}", [:], ""),
        ("${A:-{json}}", [:], "{json}"),
        ("${A:-a}${B:-b}", ["B": "é"], "aé"),
        ("no references", [:], "no references"),
        ("$A and ${A", ["A": "unused"], "(problem)"),
    ] as [(String, [String: String], String)])
    func nested(text: String, environment: [String: String], expected: String) throws {
        switch try expand(text, environment) {
        case .success(let value): #expect(value == expected, "\(text) with \(environment)")
        case .failure(let problem): #expect(expected == "(problem)", "\(text): \(problem)")
        }
    }

    @Test("an unset variable without a default, a bad name, and an unterminated ${ are profile.invalid", arguments: [
        ("${A:-${B}}", "${B} is not set"),
        ("${A:-${B:-c}", "unterminated"),
        ("${A", "unterminated"),
        ("${A:-x", "unterminated"),
        ("tail ${", "unterminated"),
        ("${A:-${1B}}", "not a variable name"),
        ("${}", "not a variable name"),
    ])
    func failures(text: String, message: String) throws {
        guard case .failure(let problem) = try expand(text, [:]) else {
            Issue.record("\(text) expanded without a problem")
            return
        }
        #expect(ProfileProblem.code == "profile.invalid")
        #expect(problem.field == "args[0]")
        #expect(problem.message.contains(message), "\(problem.message)")
    }
}
