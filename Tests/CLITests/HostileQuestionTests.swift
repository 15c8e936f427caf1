import Foundation
import StrictJSON
import TestSupport
import Testing

/// Issue 11: requests a server sends the client. A quarantined server's question, sampling request and
/// roots request get JSON-RPC errors; a loaded server's question at the prompt is refused too (nothing
/// reaches the terminal, and what the person types next goes to the REPL); during a call to it, the
/// question names the server and its badge, and the answer goes to that server alone.
@Suite(.timeLimit(.minutes(5)))
struct HostileQuestionTests {
    @Test("unsolicited questions are refused; a question during a call is asked, naming the server")
    func questions() async throws {
        try await ServerSlots.run {
            let fleet = try HostileFleet(unsolicited: [
                "evil": ["elicitation/create"], "plain": ["elicitation/create", "sampling/createMessage", "roots/list"],
            ])
            let terminal = try await Terminal(
                "env XDG_STATE_HOME=\(fleet.gatehouse.stateHome) NO_COLOR=1 \(try Repository.gatehouseBinary()) "
                    + "--profile \(fleet.profile) --trust-store \(fleet.fixture.directory)/trust.json"
            )
            try await terminal.waitFor(timeout: 60) { $0.contains("gatehouse>") && $0.contains("plain  ? unverified") && $0.contains("evil  ✔") }
            // The servers send their requests a second after the handshake; wait until all are answered.
            let deadline = ContinuousClock.now + .seconds(20)
            while try fleet.answers("plain").count < 3 || fleet.answers("evil").isEmpty, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            let plain = try fleet.answers("plain")
            #expect(plain.count == 3, "\(plain)")
            for answer in plain {
                #expect(answer["result"] == .null, "a quarantined server got a result: \(JSONSerializer.string(answer))")
                let code = answer["error"]?["code"]?.numberValue?.int64Value
                #expect(code == -32001 || code == -32601, "\(JSONSerializer.string(answer))")
            }
            #expect(plain.contains { $0["error"]?["data"]?["gatehouse"]?["code"] == "host.tool_quarantined" })
            let unsolicited = try #require(try fleet.answers("evil").first)
            #expect(unsolicited["error"]?["code"] == -32001, "\(JSONSerializer.string(unsolicited))")
            #expect(unsolicited["error"]?["data"]?["gatehouse"]?["code"] == "host.unsolicited_request")

            var screen = try await terminal.screen()
            #expect(!screen.contains("asks:"), "an unsolicited question reached the terminal:\n\(screen)")
            try await terminal.type("servers")
            try await terminal.send("Enter")
            screen = try await terminal.waitFor { $0.components(separatedBy: "evil  ✔ verified").count >= 3 }
            #expect(try fleet.answers("evil").count == 1, "what was typed went to the REPL, not to a server")

            try await terminal.type("evil.ask")
            try await terminal.send("Enter")
            screen = try await terminal.waitFor("[evil] answer")
            #expect(screen.contains("evil ✔ verified asks: during the call: "), "\(screen)")
            HostileFleet.expectSafe(screen, "a question during a call")
            try await terminal.type("forty-two")
            try await terminal.send("Enter")
            screen = try await terminal.waitFor("the answer was")
            let answers = try fleet.answers("evil")
            #expect(answers.count == 2)
            #expect(answers.last?["result"]?["action"] == "accept", "\(answers)")
            #expect(answers.last?["result"]?["content"]?["answer"] == "forty-two", "\(answers)")
            #expect(try fleet.answers("liar").isEmpty && fleet.answers("plain").count == 3, "the answer went to evil alone")
            try await terminal.type("quit")
            try await terminal.send("Enter")
        }
    }
}
