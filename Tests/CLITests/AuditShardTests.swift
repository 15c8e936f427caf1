import Foundation
import StrictJSON
import TestSupport
import Testing

/// `audit --shard K/N` (SPEC §10): the split by SHA-256 of each server's name, checked against Python's
/// hashlib, every server in exactly one shard, the same split whatever the order of the profile's entries.
@Suite(.timeLimit(.minutes(5)))
struct AuditShardTests {
    /// Servers that fail at once (`connect.spawn_failed`): the split is about names, not connections.
    func profile(_ names: [String], directory: String, file: String) throws -> String {
        var servers = JSONObject()
        for name in names { servers[name] = ["command": .string("gatehouse-no-such-server-\(name)")] }
        let path = directory + "/" + file
        try Data(JSONSerializer.bytes(["mcpServers": .object(servers)])).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("four shards cover the fleet exactly once, as hashlib computes, in any entry order")
    func split() async throws {
        let directory = try Repository.temporaryDirectory()
        let names = (0..<24).map { "server-\($0)-é" }
        let forward = try profile(names, directory: directory, file: "forward.json")
        let backward = try profile(names.reversed(), directory: directory, file: "backward.json")
        let script = "import hashlib,json,sys\nnames=json.loads(sys.argv[1])\nprint(json.dumps({n: int.from_bytes(hashlib.sha256(n.encode()).digest()[:8], 'big') % 4 + 1 for n in names}))"
        let reference = try await ChildProcess.run(try TestServers.python(), ["-c", script, JSONSerializer.string(.array(names.map(JSONValue.string)))])
        let expected = try JSONParser().parse(reference.stdout)
        let gatehouse = try Gatehouse()
        var seen: [String: Int] = [:]
        for index in 1...4 {
            for path in [forward, backward] {
                let output = try await gatehouse.run(
                    ["audit", "--profile", path, "--shard", "\(index)/4", "--format", "json", "--trust-store", directory + "/t.json"]
                )
                let report = try JSONParser().parse(output.stdout)
                #expect(report["shard"] == ["index": .number(JSONNumber(Int64(index))), "count": 4], "\(output.stdout.prefix(300))")
                let shardNames = (report["servers"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
                for name in shardNames {
                    #expect(expected[name]?.numberValue?.int64Value == Int64(index), "\(name) in shard \(index)")
                    if path == forward { seen[name, default: 0] += 1 }
                }
            }
        }
        #expect(seen.count == names.count && seen.values.allSatisfy { $0 == 1 }, "every server in exactly one shard: \(seen)")
    }

    @Test("a shard that is not K/N with 1 ≤ K ≤ N is a usage error", arguments: ["0/4", "5/4", "1/0", "x", "1/2/3"])
    func invalid(_ shard: String) async throws {
        let directory = try Repository.temporaryDirectory()
        let path = try profile(["one"], directory: directory, file: "p.json")
        let output = try await Gatehouse().run(["audit", "--profile", path, "--shard", shard, "--trust-store", directory + "/t.json"])
        #expect(output.status == 2, "\(shard): \(output.stderr)")
    }
}
