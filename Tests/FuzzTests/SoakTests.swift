import Foundation
import StrictJSON
import Testing
import TestSupport

/// The fault-injection soak (`gatehouse-fuzz soak`, in its own process so that its descriptor and child
/// counts are its own): 2000 calls from eight tasks to five verified servers (three stdio, two HTTP) while
/// servers are killed, stalled and made to send garbage.
@Suite struct SoakTests {
    @Test("2000 calls under kills, stalls and garbage: every call answered or classified, nothing leaked")
    func soak() async throws {
        let output = try await ChildProcess.run(
            try Repository.builtBinary("gatehouse-fuzz"),
            ["soak", try Repository.python(), Repository.root + "/Tests/Scripts/servers/soak_server.py", "2000"],
            timeout: 400
        )
        #expect(output.status == 0, "\(output.stderr)")
        let summary = try JSONParser().parse(output.stdout)
        let report = "\(JSONSerializer.string(summary))"
        #expect(summary["calls"] == 2000, "\(report)")
        let outcomes = try #require(summary["outcomes"]?.objectValue)
        for (code, _) in outcomes {
            #expect(code == "ok" || (code.contains(".") && code != "unclassified"), "every failure has a stable code: \(code)")
        }
        #expect((outcomes["ok"]?.numberValue?.int64Value ?? 0) >= 1000, "the host kept serving: \(report)")
        #expect(summary["misrouted"] == 0, "every answer carried its own request's nonce")
        #expect((summary["slowestCallSeconds"]?.numberValue?.doubleValue ?? 999) < 30, "no call hung: \(report)")
        for fault in ["kill", "stall", "garbage"] {
            #expect((summary["chaos"]?[fault]?.numberValue?.int64Value ?? 0) >= 1, "faults were injected: \(fault)")
        }
        #expect((summary["reconnections"]?.numberValue?.int64Value ?? 0) >= 1, "dead servers were reconnected")
        #expect(summary["verifiedAtStart"] == 5)
        #expect(summary["verifiedAtEnd"] == 5, "reconnected servers were verified again: \(report)")
        for name in ["s1", "s2", "s3", "h1", "h2"] {
            #expect(summary["finalCalls"]?[name] == "ok", "\(name) serves after the chaos: \(report)")
        }
        #expect(summary["childrenLeft"] == 0, "no child process left behind: \(report)")
        #expect(summary["processesLeft"] == 0, "no server process, nor anything a server started, is left: \(report)")
        #expect(summary["unreapedServers"] == 0, "every server started was reaped: \(report)")
        let start = try #require(summary["descriptorsAtStart"]?.objectValue)
        let end = try #require(summary["descriptorsAtEnd"]?.objectValue)
        for kind in ["pipe", "anon_inode", "file"] {
            #expect(end[kind] == start[kind], "\(kind) descriptors back to the starting count: \(report)")
        }
        let sockets = { (object: JSONObject) in object["socket"]?.numberValue?.int64Value ?? 0 }
        // Idle connections kept for reuse (a bounded number, whatever the number of calls) may outlive the calls.
        let kept = summary["keptConnections"]?.numberValue?.int64Value ?? 0
        #expect(kept > 0 && sockets(end) <= sockets(start) + kept, "no socket leaked: \(report)")
    }
}
