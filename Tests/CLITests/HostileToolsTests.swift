import Foundation
import StrictJSON
import TestSupport
import Testing

/// A hostile, unverified stdio server (`hostile_tools_server.py`) tries to poison the trust store with its
/// tool list: the store stays readable, the next command works, `trust forget` works, and the caps answer
/// with `protocol.limit_exceeded`.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct HostileToolsTests {
    /// A profile entry for the hostile server in `mode`.
    static func hostile(_ mode: String, _ argument: String? = nil, trust: JSONValue? = nil) throws -> JSONValue {
        var entry: JSONObject = [
            "command": .string(try TestServers.python()),
            "args": .array([.string(TestServers.script("hostile_tools_server.py")), .string(mode)] + (argument.map { [.string($0)] } ?? [])),
            // A frame nested deeper than the transport reads is dropped, and its request waits for the call
            // timeout: short for that case only, since building 200 000 tools takes seconds on a loaded machine.
            "timeouts": ["connect": 60, "call": mode == "deep" ? 5 : 60],
        ]
        if let trust { entry["trust"] = trust }
        return .object(entry)
    }

    /// A profile with `servers` in a fresh directory, and that directory's trust store path.
    static func workspace(_ servers: [String: JSONValue]) throws -> (profile: String, store: String) {
        let directory = try Repository.temporaryDirectory()
        var object = JSONObject()
        for (name, entry) in servers { object[name] = entry }
        let profile = directory + "/profile.json"
        try Data(JSONSerializer.bytes(["trust": ["mode": "enforce"], "mcpServers": .object(object)])).write(to: URL(fileURLWithPath: profile))
        return (profile, directory + "/trust.json")
    }

    @Test("after a hostile listing the store is readable, the next command works and trust forget works", arguments: [
        ("deep", "1000", nil), ("deep", "200", nil), ("many", "200000", "protocol.limit_exceeded"),
        ("huge", "15", "protocol.limit_exceeded"), ("paged", "10001", "protocol.limit_exceeded"),
    ] as [(String, String, String?)])
    func poison(mode: String, argument: String, code: String?) async throws {
        let gatehouse = try Gatehouse()
        let (profile, store) = try Self.workspace(["hostile": try Self.hostile(mode, argument), "fine": try Self.hostile("fine")])
        let options = ["--profile", profile, "--trust-store", store]
        let first = try await gatehouse.run(["audit", "--format", "json"] + options, timeout: 120)
        let report = try JSONParser().parse(first.stdout)
        let servers = report["servers"]?.arrayValue ?? []
        let hostile = try #require(servers.first { $0["name"] == "hostile" })
        if let code {
            #expect(hostile["connection"]?["error"]?["code"]?.stringValue == code, "\(first.stdout.prefix(2000))")
            #expect(hostile["tools"]?.arrayValue?.isEmpty == true)
        }
        #expect(hostile["tools"]?.arrayValue?.contains { $0["loaded"] == true } != true)
        #expect(servers.first { $0["name"] == "fine" }?["connection"]?["status"] == "connected")

        let size = try #require(try FileManager.default.attributesOfItem(atPath: store)[.size] as? Int)
        #expect(size < 16 * 1024, "the store grew to \(size) bytes")
        let text = try String(contentsOfFile: store, encoding: .utf8)
        #expect(!text.contains("\"definition\""), "a quarantined server's definitions were stored")

        let list = try await gatehouse.run(["trust", "list", "--trust-store", store])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("fine  (no identity)"))
        // Only a listing that was accepted is pinned (unverified: pins, no definitions).
        let hostileRecorded = list.stdout.contains("hostile  (no identity)")
        #expect(hostileRecorded == (mode == "deep" && argument == "200"), "\(list.stdout)")
        let next = try await gatehouse.run(["tools", "--all"] + options, timeout: 120)
        #expect(next.status != 2, "\(next.stderr)")
        #expect(next.stdout.contains("fine.echo"), "\(next.stdout)")
        if let code { #expect(next.stdout.contains(code), "\(next.stdout)") }
        for name in ["fine"] + (hostileRecorded ? ["hostile"] : []) {
            let forget = try await gatehouse.run(["trust", "forget", name, "--trust-store", store])
            #expect(forget.status == 0, "\(name): \(forget.stderr)")
        }
        #expect(try await gatehouse.run(["trust", "list", "--trust-store", store]).stdout.contains("is empty"))
    }

    @Test("a listing of exactly 10 000 tools over ten pages is accepted and pinned")
    func atTheCap() async throws {
        let (profile, store) = try Self.workspace(["wide": try Self.hostile("paged", "10000", trust: ["allowUnverified": true])])
        let output = try await Gatehouse().run(["tools", "--profile", profile, "--trust-store", store, "--format", "json"], timeout: 120)
        #expect(output.status == 0, "\(output.stderr)")
        let tools = try JSONParser().parse(output.stdout)["servers"]?.arrayValue?.first?["tools"]?.arrayValue ?? []
        #expect(tools.count == 10_000)
        let list = try await Gatehouse().run(["trust", "list", "--trust-store", store])
        #expect(list.stdout.contains("10000 tool pin(s)"), "\(list.stdout)")
    }

    @Test("two tools with one name are protocol.invalid_message; nothing of that server is loaded or pinned")
    func duplicateNames() async throws {
        let (profile, store) = try Self.workspace(["dup": try Self.hostile("duplicate", trust: ["allowUnverified": true])])
        let output = try await Gatehouse().run(["audit", "--format", "json", "--profile", profile, "--trust-store", store], timeout: 120)
        #expect(output.status == 3, "\(output.stderr)")
        let server = try JSONParser().parse(output.stdout)["servers"]?.arrayValue?.first
        #expect(server?["connection"]?["error"]?["code"] == "protocol.invalid_message")
        #expect(server?["connection"]?["error"]?["message"]?.stringValue?.contains("\"echo\" twice") == true)
        #expect(server?["tools"]?.arrayValue?.isEmpty == true)
        let call = try await Gatehouse().run(["call", "--profile", profile, "--trust-store", store, "dup", "echo", "text=x"], timeout: 120)
        #expect(call.status == 3, "\(call.stderr)")
        #expect(try await Gatehouse().run(["trust", "list", "--trust-store", store]).stdout.contains("is empty"))
    }
}
