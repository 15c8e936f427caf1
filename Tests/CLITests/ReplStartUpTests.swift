import Foundation
import StrictJSON
import TestSupport
import Testing

/// Issue 11: one server hanging in its handshake does not hold up the REPL's prompt; its badge arrives
/// above the prompt when its connect timeout passes, with the right figure in the message.
@Suite(.timeLimit(.minutes(5)))
struct ReplStartUpTests {
    @Test("the prompt comes after the prompt wait, says who is still connecting, and the late badge follows")
    func slowServer() async throws {
        let directory = try Repository.temporaryDirectory()
        let python = try TestServers.python()
        let script = TestServers.script("stubborn_server.py")
        let profile = directory + "/profile.json"
        let servers: JSONValue = [
            "fast": ["command": .string(python), "args": [.string(script), "polite"], "trust": ["allowUnverified": true]],
            "slow": ["command": .string(python), "args": [.string(script), "stubborn"], "timeouts": ["connect": 30, "shutdown": 1]],
        ]
        try Data(JSONSerializer.bytes(["mcpServers": servers])).write(to: URL(fileURLWithPath: profile))
        let started = ContinuousClock.now
        let terminal = try await Terminal(
            "env XDG_STATE_HOME=\(directory) NO_COLOR=1 \(try Repository.gatehouseBinary()) --profile \(profile) --trust-store \(directory)/t.json"
        )
        var screen = try await terminal.waitFor("gatehouse>", timeout: 29)
        let promptAfter = ContinuousClock.now - started
        #expect(promptAfter < .seconds(29), "the prompt waited \(promptAfter) for a server with a 30 s connect timeout")
        #expect(screen.contains("fast  ? unverified"), "\(screen)")
        #expect(screen.contains("still connecting: slow"), "\(screen)")
        try await terminal.type("servers")
        try await terminal.send("Enter")
        screen = try await terminal.waitFor("slow  … connecting (up to 30 s)")
        try await terminal.type("fast.echo text=while-slow-connects")
        try await terminal.send("Enter")
        try await terminal.waitFor { $0.components(separatedBy: "while-slow-connects").count >= 3 }
        screen = try await terminal.waitFor("slow  ! error (connect.timeout)", timeout: 40)
        #expect(screen.contains("within the connect timeout of 30 s"), "\(screen)")
        #expect(screen.split(separator: "\n").last == "gatehouse>", "the prompt was drawn again under the late badge:\n\(screen)")
        try await terminal.type("quit")
        try await terminal.send("Enter")
    }
}
