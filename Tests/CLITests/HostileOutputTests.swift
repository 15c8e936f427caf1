import Foundation
import StrictJSON
import TestSupport
import Testing

/// Issue 11: a malicious server cannot forge the screen. Every server-controlled field — server name and
/// version, instructions, the identity block's unsigned `id`, passport claims, tool names, descriptions,
/// titles and schemas, every kind of tool result, JSON-RPC error messages, progress, resources, prompts,
/// stderr and skipped lines, questions — carries escape sequences, CR/LF, C1 controls and bidi overrides,
/// and every human-readable output path shows them written out, never raw, with each server's real badge.
@Suite(.timeLimit(.minutes(5)))
struct HostileOutputTests {
    @Test("tools, call, audit, run and passport verify print the attack written out, with the real badges")
    func commands() async throws {
        try await ServerSlots.run {
            let fleet = try HostileFleet()
            let tools = try await fleet.run(["tools", "--all"])
            HostileFleet.expectSafe(tools.stdout + tools.stderr, "tools")
            #expect(tools.stdout.contains("evil  ✔ verified  aii_evil"), "\(tools.stdout)")
            #expect(tools.stdout.contains("liar  ✖ rejected (passport."), "\(tools.stdout)")
            #expect(tools.stdout.contains("plain  ? unverified"), "\(tools.stdout)")

            let call = try await fleet.run(["call", "evil", "echo", "text=hi"])
            #expect(call.status == 0, "\(call.stderr)")
            HostileFleet.expectSafe(call.stdout + call.stderr, "call")
            let failed = try await fleet.run(["call", "evil", "fail"])
            #expect(failed.status != 0)
            HostileFleet.expectSafe(failed.stdout + failed.stderr, "call of a failing tool")

            let audit = try await fleet.run(["audit"])
            HostileFleet.expectSafe(audit.stdout + audit.stderr, "audit")
            #expect(audit.stdout.contains("liar  ✖ rejected (passport."), "\(audit.stdout)")

            let scenario = fleet.fixture.directory + "/hostile.scenario"
            try Data("servers\nevil.echo text=x\nexpect ok\nevil.fail\nexpect ok\n".utf8).write(to: URL(fileURLWithPath: scenario))
            let run = try await fleet.run(["run", scenario, "--keep-going"])
            #expect(run.status == 5, "\(run.stdout)\(run.stderr)")
            HostileFleet.expectSafe(run.stdout + run.stderr, "run")

            let token = fleet.fixture.passport("aii_evil") { claims in
                claims["operator"] = .string(HostileFleet.payload)
                claims["jti"] = .string(HostileFleet.payload)
            }
            let jwks = fleet.fixture.directory + "/jwks.json"
            for id in ["aii_evil", "aii_evil" + HostileFleet.payload] {
                let verify = try await fleet.run(["passport", "verify", token, "--registry", fleet.fixture.issuer, "--jwks", jwks, "--id", id])
                HostileFleet.expectSafe(verify.stdout + verify.stderr, "passport verify --id \(id.count) characters")
            }
        }
    }

    @Test("over HTTP: a header passport and a well-known document carrying the attack")
    func httpCarriers() async throws {
        try await ServerSlots.run {
            let fleet = try HostileFleet()
            let fixture = fleet.fixture
            let port = try ServerProcess.freePort()
            let token = fixture.passport("aii_web", surfaces: ["mcp://127.0.0.1:\(port)"]) { $0["operator"] = .string(HostileFleet.payload) }
            let header = try await ServerProcess.start(
                try TestServers.python(), [TestServers.script("identity_http_server.py"), "{port}"],
                environment: ["GATEHOUSE_HEADER_TOKEN": token], port: port
            )
            let document = JSONSerializer.string(["identity_id": .string("aii_wk" + HostileFleet.payload), "registry": .string(fixture.issuer)])
            let declared = try await ServerProcess.start(
                try TestServers.python(), [TestServers.script("identity_http_server.py"), "{port}"], environment: ["GATEHOUSE_WELL_KNOWN": document]
            )
            defer {
                header.stop()
                declared.stop()
            }
            let profile = try fixture.profile([
                "web": ["url": .string("http://127.0.0.1:\(port)/mcp")], "declared": ["url": .string("http://127.0.0.1:\(declared.port)/mcp")],
            ])
            for command in [["tools", "--all"], ["audit"]] {
                let output = try await fleet.gatehouse.run(
                    command + ["--profile", profile, "--trust-store", fixture.directory + "/http-trust.json"], timeout: 120
                )
                HostileFleet.expectSafe(output.stdout + output.stderr, command[0] + " over HTTP")
                #expect(output.stdout.contains("web  ✔ verified  aii_web"), "\(output.stdout)")
                let lines = output.stdout.split(separator: "\n").filter { $0.hasPrefix("declared  ") }
                #expect(lines.count == 1 && lines.allSatisfy { ["◆", "?", "✖", "!"].contains(String($0.dropFirst(10).prefix(1))) }, "\(lines)")
            }
        }
    }

    @Test("the REPL in a terminal: badges, tools, describe, call, resources, prompts, log, trust; the title untouched")
    func repl() async throws {
        try await ServerSlots.run {
            let fleet = try HostileFleet()
            let terminal = try await Terminal(
                "env XDG_STATE_HOME=\(fleet.gatehouse.stateHome) NO_COLOR=1 \(try Repository.gatehouseBinary()) "
                    + "--profile \(fleet.profile) --trust-store \(fleet.fixture.directory)/trust.json"
            )
            let start = try await terminal.waitFor(timeout: 60) { $0.contains("gatehouse>") && $0.contains("plain  ? unverified") && $0.contains("liar  ✖") && $0.contains("evil  ✔") }
            #expect(start.contains("evil  ✔ verified  aii_evil"), "\(start)")
            #expect(start.contains("liar  ✖ rejected (passport."), "\(start)")
            var commands = ["tools --all", "describe evil.echo", "evil.echo text=hi", "evil.fail", "resources", "read note://x"]
            commands += ["prompts", "prompt greet", "log evil", "trust liar", "servers"]
            for command in commands {
                try await terminal.type(command)
                try await terminal.send("Enter")
                let screen = try await terminal.waitFor(timeout: 30) { screen in
                    screen.contains("gatehouse> \(command)") && screen.split(separator: "\n").last == "gatehouse>"
                }
                HostileFleet.expectSafe(screen, "the REPL after \(command)", shown: command != "servers")
                if command == "log evil" { #expect(screen.contains("log: error [<U+000D><U+001B>[2K"), "\(screen)") }
            }
            let title = try await ChildProcess.run("/usr/bin/env", ["tmux", "display-message", "-p", "-t", terminal.name, "#{pane_title}"])
            #expect(!title.stdout.contains("pwned"), "the window title was set by a server: \(title.stdout)")
            try await terminal.type("quit")
            try await terminal.send("Enter")
        }
    }
}
