import Foundation
import StrictJSON
import TestSupport
import Testing

/// `gatehouse call` on `Profiles/demo.json` after the demo's own set-up: exit codes 0, 1, 2, 3 and 4.
/// Serialized: both tests run the demo script, which rewrites Profiles/demo-registry and owns port 39531.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct DemoProfileTests {
    func shell(_ command: String) async throws -> ProcessOutput {
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        return try await ChildProcess.run("/bin/bash", ["-c", "cd '\(Repository.root)' && \(command)"], environment: environment, timeout: 120)
    }

    @Test("the demo profile: verified 0 with SPEC JSON, quarantined 1, unknown or bad 2, down 3, tool error 4")
    func demoCalls() async throws {
        try await ServerSlots.run {
            let state = try Repository.temporaryDirectory()
            let setup = try await shell("GATEHOUSE=\(try Repository.gatehouseBinary()) XDG_STATE_HOME=\(state) bash Profiles/demo.sh < /dev/null")
            #expect(setup.stdout.contains("weather  ✔ verified  aii_demo_weather"), "\(setup.stdout)\(setup.stderr)")
            #expect(setup.stdout.contains("tools  ✔ verified  aii_demo_tools"))
            #expect(setup.stdout.contains("time  ? unverified"))
            #expect(setup.stdout.contains("notes  ✖ rejected (passport.revoked)"))
            #expect(setup.stdout.contains("impostor  ✖ rejected (passport.surface_mismatch)"))
            let call = "XDG_STATE_HOME=\(state) \(try Repository.gatehouseBinary()) call --profile Profiles/demo.json"
            let verified = try await shell("\(call) weather get_forecast city=Oslo days=2 --format json")
            #expect(verified.status == 0, "\(verified.stderr)")
            let result = try JSONParser().parse(verified.stdout)
            #expect(result["server"] == "weather")
            #expect(result["tool"] == "get_forecast")
            #expect(result["trust"]?["verdict"] == "verified")
            #expect(result["content"]?.arrayValue?.first?["text"]?.stringValue?.hasPrefix("day 1:") == true)
            #expect(result["isError"] == false || result["isError"] == nil)
            #expect(try await shell("\(call) time get_current_time timezone=UTC").status == 1)
            #expect(try await shell("\(call) impostor get_forecast city=Oslo").status == 1)
            #expect(try await shell("\(call) nobody get_forecast").status == 2)
            #expect(try await shell("\(call) weather get_forecast city=Oslo days=many").status == 2)
            // The demo HTTP server lives only as long as the demo script; stop any left over from an earlier
            // interrupted demo so that "tools" is really down.
            _ = try await shell("pkill -f 'demo_server[.]py tools --http 39531' || true")
            let down = try await shell("\(call) tools word_count text=a")
            #expect(down.status == 3, "the demo HTTP server stops with the demo script: \(down.stderr)")
            #expect(try await shell("\(call) weather get_alerts region=nowhere").status == 4)
        }
    }

    @Test("make demo's script ends in the REPL with a badge line for every demo server")
    func demoRepl() async throws {
        try await ServerSlots.run {
            let state = try Repository.temporaryDirectory()
            let terminal = try await Terminal("cd '\(Repository.root)' && GATEHOUSE=\(try Repository.gatehouseBinary()) XDG_STATE_HOME=\(state) NO_COLOR=1 bash Profiles/demo.sh")
            let badges = ["weather  ✔ verified  aii_demo_weather", "tools  ✔ verified  aii_demo_tools", "time  ? unverified",
                          "notes  ✖ rejected (passport.revoked)", "impostor  ✖ rejected (passport.surface_mismatch)"]
            // A badge may come after the prompt when a server is slower than the REPL's prompt wait.
            let screen = try await terminal.waitFor(timeout: 60) { screen in screen.contains("gatehouse>") && badges.allSatisfy(screen.contains) }
            for line in badges {
                #expect(screen.contains(line), "\(screen)")
            }
            try await terminal.type("weather.get_forecast city=Oslo days=2")
            try await terminal.send("Enter")
            try await terminal.waitFor("day 2:")
            try await terminal.type("quit")
            try await terminal.send("Enter")
            try await terminal.waitForExit()  // quit ends the REPL and with it the demo servers
        }
    }
}
