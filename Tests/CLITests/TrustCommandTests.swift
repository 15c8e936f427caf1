import Foundation
import StrictJSON
import TestSupport
import Testing

/// `gatehouse trust list | forget | accept` against a real server whose tool changes.
@Suite(.timeLimit(.minutes(3)))
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
}
