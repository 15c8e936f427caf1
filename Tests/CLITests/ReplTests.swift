import Foundation
import StrictJSON
import TestSupport
import Testing

/// The REPL driven through a real pseudo-terminal (tmux): badges, completion, a call, Ctrl-C, history.
@Suite(.timeLimit(.minutes(5)))
struct ReplTests {
    @Test("badges, completion of a tool and an argument, a call, Ctrl-C, quarantine and allow, a prompted argument, history")
    func repl() async throws {
        try await ServerSlots.run {
            let fixture = try IdentityFixture()
            let profile = try fixture.profile([
                "good": try fixture.server(location: "result._meta", block: fixture.block("aii_good", passport: fixture.passport("aii_good"))),
                "plain": try fixture.server(location: "none", block: nil),
            ])
            let state = try Repository.temporaryDirectory()
            let command = "env XDG_STATE_HOME=\(state) NO_COLOR=1 \(try Repository.gatehouseBinary()) --profile \(profile)"
            var terminal: Terminal? = try await Terminal(command)
            guard let first = terminal else { return }
            let start = try await first.waitFor { $0.contains("gatehouse>") && $0.contains("good  ✔") && $0.contains("plain  ?") }
            #expect(start.contains("good  ✔ verified  aii_good"))
            #expect(start.contains("plain  ? unverified"))

            try await first.type("call good.ec")
            try await first.send("Tab")
            try await first.waitFor("call good.echo")
            try await first.type("te")
            try await first.send("Tab")
            try await first.waitFor("call good.echo text=")
            try await first.type("hello-from-tmux")
            try await first.send("Enter")
            try await first.waitFor { $0.components(separatedBy: "hello-from-tmux").count >= 3 }

            try await first.type("good.slow seconds=30")
            try await first.send("Enter")
            try await first.waitFor("/300 step")  // the call is running: its progress line is on the screen
            let cancelledAt = ContinuousClock.now
            try await first.send("C-c")
            let afterCancel = try await first.waitFor(timeout: 10) { $0.contains("call.cancelled") }
            #expect(afterCancel.contains("call.cancelled"))
            #expect(ContinuousClock.now - cancelledAt < .seconds(5))
            try await first.type("plain.echo text=blocked")
            try await first.send("Enter")
            try await first.waitFor("plain.echo is quarantined")
            try await first.type("allow plain")
            try await first.send("Enter")
            try await first.waitFor("allowing plain for this session only")
            try await first.type("plain.echo text=allowed-now")
            try await first.send("Enter")
            try await first.waitFor { $0.components(separatedBy: "allowed-now").count >= 3 }
            try await first.type("good.add a=1")
            try await first.send("Enter")
            try await first.waitFor("b (required):")
            try await first.type("41")
            try await first.send("Enter")
            try await first.waitFor { $0.contains("b (required): 41\n42") }
            try await first.type("servers")
            try await first.send("Enter")
            try await first.waitFor { $0.components(separatedBy: "plain  ? unverified").count >= 2 }
            try await first.type("quit")
            try await first.send("Enter")
            try await first.waitForExit()  // the history is written before it exits
            terminal = nil

            // libedit writes spaces in its history file as \040.
            let history = try String(contentsOfFile: state + "/gatehouse/history", encoding: .utf8)
                .replacingOccurrences(of: "\\040", with: " ")
            #expect(history.contains("good.slow seconds=30"))
            let second = try await Terminal(command)
            try await second.waitFor("gatehouse>")
            try await second.send("Up")
            try await second.waitFor("gatehouse> quit")
            try await second.send("Up")
            try await second.waitFor("gatehouse> servers")
            try await second.send("C-u")
            try await second.type("quit")
            try await second.send("Enter")
        }
    }
}
