import Foundation
import StrictJSON
import TestSupport
import Testing

/// Each stdio server takes three pipes. Gatehouse raises its soft open-file limit to the hard limit at start,
/// and a fleet that still runs out fails those servers with `connect.spawn_failed` saying what the limit is
/// and how to raise it.
@Suite(.timeLimit(.minutes(2)))
struct OpenFileLimitTests {
    /// `gatehouse audit` of 40 servers that never answer (1 s connect timeout), after `limits` in the shell.
    func audit(under limits: String) async throws -> (status: Int32, report: JSONValue) {
        let directory = try Repository.temporaryDirectory()
        var servers = JSONObject()
        for index in 0..<40 {
            servers["s\(index)"] = ["command": "/bin/sleep", "args": ["30"], "timeouts": ["connect": 1, "shutdown": 0.2]]
        }
        let profile = directory + "/fleet.json"
        let document: JSONValue = ["trust": ["mode": "warn"], "mcpServers": .object(servers)]
        try Data(JSONSerializer.bytes(document)).write(to: URL(fileURLWithPath: profile))
        let command = "\(limits); exec '\(try Repository.gatehouseBinary())' audit --profile '\(profile)' --trust-store '\(directory)/trust.json' --format json"
        let output = try await ChildProcess.run("/bin/sh", ["-c", command], environment: ["XDG_STATE_HOME": directory, "PATH": "/usr/bin:/bin"], timeout: 60)
        return (output.status, try JSONParser().parse(output.stdout))
    }

    static func codes(_ report: JSONValue) -> [String] {
        (report["servers"]?.arrayValue ?? []).compactMap { $0["connection"]?["error"]?["code"]?.stringValue }
    }

    @Test("a low soft limit is raised to the hard limit: 40 servers all start")
    func softLimitRaised() async throws {
        let (status, report) = try await audit(under: "ulimit -Sn 40")
        #expect(status == 3)
        let codes = Self.codes(report)
        #expect(codes.count == 40 && codes.allSatisfy { $0 == "connect.timeout" }, "\(codes)")
    }

    @Test("a hard limit too low for the fleet: connect.spawn_failed naming the limit and how to raise it")
    func hardLimitTooLow() async throws {
        let (status, report) = try await audit(under: "ulimit -n 40")
        #expect(status == 3)
        let failed = (report["servers"]?.arrayValue ?? []).filter { $0["connection"]?["error"]?["code"] == "connect.spawn_failed" }
        #expect(!failed.isEmpty, "\(Self.codes(report))")
        let message = failed.first?["connection"]?["error"]?["message"]?.stringValue ?? ""
        #expect(message.contains("open-file limit is 40") && message.contains("ulimit -Hn"), "\(message)")
    }
}
