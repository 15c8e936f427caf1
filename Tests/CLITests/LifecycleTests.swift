import Foundation
import StrictJSON
import TestSupport
import Testing

/// SPEC §7 "Shutdown": whatever ends Gatehouse — a command finishing, REPL `quit` or EOF, Ctrl-C at the
/// prompt, SIGTERM, the terminal going away — no process of a stubborn server outlives it by 0.5 s, and
/// its own exit comes within the grace period + 1 s of the moment it was asked to stop.
///
/// The suite's tests run one at a time: each starts eleven Python servers, and on a 2-core machine several
/// fleets at once would measure the scheduler rather than the shutdown.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct LifecycleTests {
    /// The bound SPEC §7 puts on how long stopping may take.
    let bound = Duration.seconds(LifecycleFleet.grace + 1 + TestTiming.slack)
    /// What a command may take besides its timeouts and the shutdown once its servers are started:
    /// verifying, pinning, writing the report — on a loaded CI machine. Stopping the servers one after
    /// another would take nine grace periods (27 s) more, so the bound still tells parallel from sequential.
    let commandAllowance = Duration.seconds(3)

    @Test("audit: stubborn servers time out, are killed in parallel, and none survives")
    func audit() async throws {
        let fleet = try LifecycleFleet()
        defer { fleet.killSurvivors() }
        let (output, elapsed) = try await fleet.measured {
            try await Gatehouse().run(["audit", "--profile", fleet.profile, "--format", "json"] + fleet.store)
        }
        #expect(output.status == 3, "\(output.stderr)")
        let report = try JSONParser().parse(output.stdout)
        let codes = (report["servers"]?.arrayValue ?? []).map { $0["connection"]?["error"]?["code"]?.stringValue ?? "none" }
        #expect(codes.filter { $0 == "connect.timeout" }.count == 6, "\(codes)")
        // Connecting takes the connect timeout; stopping must add at most grace + 1 s, not grace per server.
        #expect(elapsed < .seconds(LifecycleFleet.connect) + bound + commandAllowance, "audit took \(elapsed)")
        #expect(try await fleet.survivorsAfterExit() == [])
    }

    @Test("audit: fifty stubborn servers are stopped in one grace period, not fifty")
    func fiftyStubbornServers() async throws {
        let fleet = try LifecycleFleet(stubborn: 50)
        defer { fleet.killSurvivors() }
        let (output, elapsed) = try await fleet.measured {
            try await Gatehouse().run(["audit", "--profile", fleet.profile, "--format", "json", "--parallel", "64"] + fleet.store)
        }
        #expect(output.status == 3, "\(output.stderr)")
        let report = try JSONParser().parse(output.stdout)
        #expect(report["servers"]?.arrayValue?.count == 55)
        // Fifty Python start-ups on two cores take a second or so more than eleven do.
        #expect(elapsed < .seconds(LifecycleFleet.connect) + bound + commandAllowance * 2, "audit took \(elapsed)")
        #expect(try await fleet.survivorsAfterExit() == [])
    }

    @Test("call: a 1 MiB request to a server that never reads times out, and shutdown does not wait on the write")
    func callToServerThatNeverReads() async throws {
        let fleet = try LifecycleFleet()
        defer { fleet.killSurvivors() }
        let arguments = fleet.directory + "/large.json"
        let text = String(repeating: "x", count: 1 << 20)
        try Data(JSONSerializer.bytes(["text": .string(text)])).write(to: URL(fileURLWithPath: arguments))
        let (output, elapsed) = try await fleet.measured {
            try await Gatehouse().run(["call", "--profile", fleet.profile, "reader", "echo", "--args", "@" + arguments] + fleet.store)
        }
        #expect(output.status == 3, "\(output.stderr)")
        #expect(output.stderr.contains("call.timeout"), "\(output.stderr)")
        // The handshake is quick; the call takes its timeout; stopping adds at most grace + 1 s.
        #expect(elapsed < .seconds(LifecycleFleet.call) + bound + commandAllowance, "call took \(elapsed)")
        #expect(try await fleet.survivorsAfterExit() == [])
    }

    @Test("run: a scenario over the fleet leaves nothing behind")
    func run() async throws {
        let fleet = try LifecycleFleet()
        defer { fleet.killSurvivors() }
        let scenario = fleet.directory + "/fleet.scenario"
        try Data("wrapped.echo text=still-here\nexpect text contains \"still-here\"\n".utf8)
            .write(to: URL(fileURLWithPath: scenario))
        let (output, elapsed) = try await fleet.measured {
            try await Gatehouse().run(["run", scenario, "--profile", fleet.profile] + fleet.store)
        }
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout.contains("1 passed, 0 failed"), "\(output.stdout)")
        #expect(elapsed < .seconds(LifecycleFleet.connect) + bound + commandAllowance, "run took \(elapsed)")
        #expect(try await fleet.survivorsAfterExit() == [])
    }

    @Test("the REPL on a pipe: quit, and end of input", arguments: ["quit\n", ""])
    func replOnPipe(input: String) async throws {
        let fleet = try LifecycleFleet()
        defer { fleet.killSurvivors() }
        let output = try await Gatehouse().run(["--profile", fleet.profile] + fleet.store, input: Data(input.utf8))
        #expect(output.status == 0, "\(output.stderr)")
        #expect(try await fleet.survivorsAfterExit() == [])
    }

    /// How the person at the terminal ends the REPL.
    enum Ending: String, CaseIterable, Sendable {
        case quit, interruptAtPrompt, terminateSignal, terminalGone
    }

    @Test("the REPL in a terminal: quit, Ctrl-C at the prompt, SIGTERM, the terminal closing", arguments: Ending.allCases)
    func replInTerminal(ending: Ending) async throws {
        let fleet = try LifecycleFleet()
        defer { fleet.killSurvivors() }
        let state = try Repository.temporaryDirectory()
        let terminal = try await Terminal(
            "exec env XDG_STATE_HOME=\(state) NO_COLOR=1 \(try Repository.gatehouseBinary()) --profile \(fleet.profile) "
                + fleet.store.joined(separator: " ")
        )
        let pid = try await terminal.programPID()
        let screen = try await terminal.waitFor("gatehouse>", timeout: 30)
        #expect(screen.contains("wrapped"))
        // The connected servers — the wrapper and its sleep, the reader, two clingy servers and their
        // grandchildren — are running (the silent ones may already be stopped for their connect timeout).
        #expect(fleet.survivors().count >= 7, "\(fleet.survivors())")
        switch ending {
        case .quit:
            try await terminal.type("quit")
            try await terminal.send("Enter")
        case .interruptAtPrompt:
            try await terminal.send("C-c")
        case .terminateSignal:
            kill(pid, SIGTERM)
        case .terminalGone:
            _ = try await ChildProcess.run("/usr/bin/env", ["tmux", "kill-session", "-t", terminal.name])
        }
        let stopped = try await LifecycleFleet.waitForExit(of: pid)
        let took = try #require(stopped, "gatehouse was still running 30 s after \(ending)")
        #expect(took < bound, "gatehouse took \(took) to exit after \(ending)")
        #expect(try await fleet.survivorsAfterExit() == [])
    }
}
