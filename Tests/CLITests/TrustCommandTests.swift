import Foundation
import StrictJSON
import TestSupport
import Testing

/// `gatehouse trust list | forget | accept` against a real server whose tool changes.
@Suite(.timeLimit(.minutes(5)))
struct TrustCommandTests {
    @Test("a changed tool is quarantined until `trust accept`, and `trust forget` starts over")
    func acceptAndForget() async throws {
        try await ServerSlots.run {
            let fixture = try IdentityFixture()
            let gatehouse = try Gatehouse()
            let store = ["--trust-store", fixture.directory + "/trust.json"]
            let block = fixture.block("aii_srv", passport: fixture.passport("aii_srv"))
            let original = try fixture.profile(["srv": try fixture.server(location: "result._meta", block: block, blockName: "srv")])
            let first = try await gatehouse.run(["tools", "--profile", original] + store, timeout: 120)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("srv.echo") && first.stdout.contains("(new)"))

            let changed = try fixture.profile(["srv": try fixture.server(
                location: "result._meta", block: block, environment: ["GATEHOUSE_ECHO_DESCRIPTION": "Echo, and exfiltrate."],
                blockName: "srv"
            )])
            // The environment is not part of the endpoint, so this is the same server with a changed tool.
            let second = try await gatehouse.run(["tools", "--profile", changed, "--all"] + store, timeout: 120)
            #expect(second.stdout.contains("srv.echo") && second.stdout.contains("quarantined, changed"), "\(second.stdout)")
            #expect(second.stdout.contains("exfiltrate"))
            let refused = try await gatehouse.run(["call", "--profile", changed, "srv", "echo", "text=x"] + store, timeout: 120)
            #expect(refused.status == 1)

            let accept = try await gatehouse.run(["trust", "accept", "--profile", changed, "srv", "echo"] + store, timeout: 120)
            #expect(accept.status == 0, "\(accept.stderr)")
            #expect(accept.stdout.contains("accepted srv: tool echo (changed)"))
            let third = try await gatehouse.run(["call", "--profile", changed, "srv", "echo", "text=accepted"] + store, timeout: 120)
            #expect(third.status == 0, "\(third.stderr)")
            #expect(third.stdout.contains("accepted"))

            let list = try await gatehouse.run(["trust", "list"] + store)
            #expect(list.stdout.contains("srv  aii_srv"))
            #expect(try await gatehouse.run(["trust", "forget", "srv"] + store).status == 0)
            #expect(try await gatehouse.run(["trust", "forget", "srv"] + store).status == 2)
            #expect(try await gatehouse.run(["trust", "list"] + store).stdout.contains("is empty"))
        }
    }

    @Test("a corrupt trust store is reported, exit 2, and left untouched")
    func corrupt() async throws {
        let directory = try Repository.temporaryDirectory()
        let path = directory + "/trust.json"
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: path))
        let output = try await Gatehouse().run(["trust", "list", "--trust-store", path])
        #expect(output.status == 2)
        #expect(output.stderr.contains("trust_store.invalid"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{not json")
    }

    @Test("an unreadable store: every command exits 2 and says how to recover; forget --move-aside renames it, keeping its bytes")
    func moveAside() async throws {
        let directory = try Repository.temporaryDirectory()
        let path = directory + "/trust.json"
        // What an older Gatehouse wrote for a server whose schema was nested 400 deep: beyond any reader's limit.
        let poisoned = "{\"version\":1,\"servers\":[{\"name\":\"s\",\"endpoint\":\"e\",\"firstSeen\":\"x\",\"tools\":{\"t\":"
            + "{\"pin\":\"sha256:0\",\"definition\":" + String(repeating: "{\"d\":", count: 400) + "0" + String(repeating: "}", count: 400) + "}}}]}"
        try Data(poisoned.utf8).write(to: URL(fileURLWithPath: path))
        let gatehouse = try Gatehouse()
        let profile = directory + "/profile.json"
        try Data("{\"mcpServers\": {}}".utf8).write(to: URL(fileURLWithPath: profile))
        for arguments in [["trust", "list"], ["trust", "forget", "s"], ["trust", "forget", "--all"], ["tools", "--profile", profile]] {
            let output = try await gatehouse.run(arguments + ["--trust-store", path])
            #expect(output.status == 2, "\(arguments): \(output.stderr)")
            #expect(output.stderr.contains("trust_store.invalid"), "\(arguments): \(output.stderr)")
            #expect(output.stderr.contains("gatehouse trust forget --move-aside"), "\(arguments): \(output.stderr)")
            #expect(try String(contentsOfFile: path, encoding: .utf8) == poisoned)
        }
        let moved = try await gatehouse.run(["trust", "forget", "--move-aside", "--trust-store", path])
        #expect(moved.status == 0, "\(moved.stderr)")
        let aside = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("trust.json.corrupt-") }
        #expect(aside.count == 1)
        #expect(try String(contentsOfFile: directory + "/" + (aside.first ?? ""), encoding: .utf8) == poisoned)
        #expect(moved.stdout.contains(aside.first ?? "?"))
        #expect(try await gatehouse.run(["trust", "list", "--trust-store", path]).stdout.contains("is empty"))
        let tools = try await gatehouse.run(["tools", "--profile", profile, "--trust-store", path])
        #expect(tools.status == 0, "\(tools.stderr)")
        // A readable store is not moved aside; --all forgets everything in it instead.
        try await #expect(gatehouse.run(["trust", "forget", "--move-aside", "--trust-store", path]).status == 2)
        #expect(try await gatehouse.run(["trust", "forget", "--all", "--trust-store", path]).status == 0)
        try await #expect(gatehouse.run(["trust", "forget", "--trust-store", path]).status == 2)
    }
}
