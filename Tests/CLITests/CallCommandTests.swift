import Foundation
import StrictJSON
import TestSupport
import Testing

/// `gatehouse call` and `gatehouse tools` on a real profile: exit codes 0, 1, 2, 3, 4 (SPEC §4).
@Suite(.timeLimit(.minutes(5)))
struct CallCommandTests {
    let fixture: IdentityFixture
    let gatehouse: Gatehouse

    init() throws {
        fixture = try IdentityFixture()
        gatehouse = try Gatehouse()
    }

    func profile() throws -> String {
        try fixture.profile([
            "good": try fixture.server(
                location: "result._meta", block: fixture.block("aii_good", passport: fixture.passport("aii_good")),
                trust: ["surface": "mcp://tools.example.com"]
            ),
            "plain": try fixture.server(location: "none", block: nil),
            "down": ["command": "/nonexistent/gatehouse-test-server"],
        ])
    }

    func call(_ profile: String, _ arguments: [String]) async throws -> ProcessOutput {
        try await gatehouse.run(["call", "--profile", profile, "--trust-store", fixture.directory + "/trust.json"] + arguments, timeout: 120)
    }

    @Test("--verbose describes each connection on stderr (transport, protocol, identity, verdict, tools), never the passport; without it, nothing")
    func verbose() async throws {
        try await ServerSlots.run {
            let path = try profile()
            let loud = try await call(path, ["good", "add", "a=2", "b=40", "--verbose"])
            #expect(loud.status == 0 && loud.stdout.contains("42"), "\(loud.stderr)")
            let lines = loud.stderr.split(separator: "\n").filter { $0.hasPrefix("verbose: good: ") }
            #expect(lines.contains { $0.contains("stdio") && $0.contains("era, protocol") }, "\(loud.stderr)")
            #expect(lines.contains { $0.contains("identity aii_good from https://registry.test") && $0.contains("passport sha256:") }, "\(loud.stderr)")
            #expect(lines.contains { $0.contains("verdict verified") && $0.contains("tools loaded") }, "\(loud.stderr)")
            #expect(!loud.stderr.contains(fixture.passport("aii_good").prefix(40)), "no passport in the log")
            let refused = try await call(path, ["plain", "add", "a=1", "b=1", "--verbose"])
            #expect(refused.stderr.contains("verbose: plain: verdict unverified (passport.missing)"), "\(refused.stderr)")
            let quiet = try await call(path, ["good", "add", "a=2", "b=40"])
            #expect(!quiet.stderr.contains("verbose:"), "\(quiet.stderr)")
        }
    }

    @Test("the exit codes of gatehouse call")
    func exitCodes() async throws {
        try await ServerSlots.run {
            let path = try profile()
            let ok = try await call(path, ["good", "add", "a=2", "b=40", "--format", "json"])
            #expect(ok.status == 0, "\(ok.stderr)")
            let result = try JSONParser().parse(ok.stdout)
            #expect(result["content"]?.arrayValue?.first?["text"] == "42")
            #expect(result["server"] == "good")
            #expect(result["tool"] == "add")
            #expect(result["trust"]?["verdict"] == "verified")
            #expect(result["trust"]?["loaded"] == true)
            #expect(result["trust"]?["carriers"] == ["result._meta"])

            let quarantined = try await call(path, ["plain", "echo", "text=x"])
            #expect(quarantined.status == 1, "\(quarantined.stderr)")
            #expect(quarantined.stderr.contains("quarantined"))

            #expect(try await call(path, ["nobody", "echo"]).status == 2)
            #expect(try await call(path, ["good", "no_such_tool"]).status == 2)
            let badArgument = try await call(path, ["good", "add", "a=two", "b=1"])
            #expect(badArgument.status == 2)
            #expect(badArgument.stderr.contains("integer"))
            #expect(try await call(path, ["good", "add", "a=1"]).status == 2, "missing required b")

            let down = try await call(path, ["down", "echo", "text=x"])
            #expect(down.status == 3, "\(down.stderr)")
            #expect(down.stderr.contains("connect.spawn_failed"))

            let toolError = try await call(path, ["good", "fail", "reason=broken"])
            #expect(toolError.status == 4, "\(toolError.stderr)")
            #expect(toolError.stdout.contains("broken"))
        }
    }

    @Test("gatehouse tools lists every server with its badge and exits 1 when one is kept out")
    func tools() async throws {
        try await ServerSlots.run {
            let path = try fixture.profile([
                "good": try fixture.server(location: "result._meta", block: fixture.block("aii_good", passport: fixture.passport("aii_good"))),
                "plain": try fixture.server(location: "none", block: nil),
            ])
            let output = try await gatehouse.run(["tools", "--profile", path, "--trust-store", fixture.directory + "/t.json", "--all"], timeout: 120)
            #expect(output.status == 1, "\(output.stderr)")
            #expect(output.stdout.contains("good  ✔ verified  aii_good"))
            #expect(output.stdout.contains("plain  ? unverified"))
            #expect(output.stdout.contains("good.echo"))
            #expect(output.stdout.contains("plain.echo") && output.stdout.contains("quarantined"))
            let store = try JSONParser().parse(String(contentsOfFile: fixture.directory + "/t.json", encoding: .utf8))
            #expect(store["servers"]?.arrayValue?.count == 2, "first sightings are recorded")
        }
    }

    @Test("no profile at all exits 2 and says how to start")
    func noProfile() async throws {
        let empty = try Repository.temporaryDirectory()
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = empty
        environment["XDG_CONFIG_HOME"] = empty
        environment["GATEHOUSE_PROFILE"] = nil
        let output = try await ChildProcess.run(
            try Repository.gatehouseBinary(), ["tools"], environment: environment
        )
        #expect(output.status == 2)
        #expect(output.stderr.contains("Profiles/demo.json") || output.stderr.contains("make demo"))
    }
}
