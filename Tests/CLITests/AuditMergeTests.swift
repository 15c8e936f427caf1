import Foundation
import StrictJSON
import TestSupport
import Testing

/// `audit merge` and `--format sarif` (SPEC §10) over a 64-server fleet of mixed verdicts on all three
/// transports: native stdio servers presenting passports minted now, Streamable HTTP endpoints, a legacy
/// HTTP+SSE server (mcp 1.30), and servers that cannot be reached.
@Suite(.timeLimit(.minutes(5)))
struct AuditMergeTests {
    let fixture: IdentityFixture
    let gatehouse: Gatehouse

    init() throws {
        fixture = try IdentityFixture()
        gatehouse = try Gatehouse()
    }

    /// Writes the fleet's profile (entries in `reversed` order if asked) and returns its path and the names.
    func fleet(echo: String, httpPort: Int, ssePort: Int, reversed: Bool = false) throws -> (String, [String]) {
        var servers: [(String, JSONValue)] = []
        func stdio(_ name: String, block: JSONValue?, surface: String = "mcp://tools.example.com") {
            var entry: JSONObject = ["command": .string(echo), "trust": ["surface": .string(surface)]]
            if let block { entry["env"] = ["ECHO_IDENTITY": .string(JSONSerializer.string(block))] }
            servers.append((name, .object(entry)))
        }
        let expired = fixture.passport("aii_old") { $0["exp"] = .number(JSONNumber(fixture.factory.now - 86_400)) }
        for index in 0..<24 { stdio("good-\(index)", block: fixture.block("aii_good_\(index)", passport: fixture.passport("aii_good_\(index)"))) }
        for index in 0..<6 { stdio("expired-\(index)", block: fixture.block("aii_old", passport: expired)) }
        for index in 0..<6 { stdio("revoked-\(index)", block: fixture.block("aii_revoked", passport: fixture.passport("aii_revoked"))) }
        for index in 0..<6 {
            stdio("impostor-\(index)", block: fixture.block("aii_good_0", passport: fixture.passport("aii_good_0")), surface: "mcp://elsewhere.example.com")
        }
        for index in 0..<6 { stdio("plain-\(index)", block: nil) }
        for index in 0..<8 { servers.append(("web-\(index)", ["url": .string("http://127.0.0.1:\(httpPort)/mcp/\(index)")])) }
        for index in 0..<2 { servers.append(("sse-\(index)", ["url": .string("http://127.0.0.1:\(ssePort)/sse"), "transport": "sse"])) }
        for index in 0..<2 { servers.append(("missing-\(index)", ["command": .string("gatehouse-no-such-server-\(index)")])) }
        for index in 0..<4 { servers.append(("down-\(index)", ["url": .string("http://127.0.0.1:\(try ServerProcess.freePort())/mcp")])) }
        var object = JSONObject()
        for (name, entry) in reversed ? servers.reversed() : servers { object[name] = entry }
        let profile: JSONValue = [
            "registries": [["issuer": .string(fixture.issuer), "jwks": .string(fixture.directory + "/jwks.json"),
                            "revocations": .string(fixture.directory + "/revocations.json")]],
            "trust": ["mode": "enforce"],
            "mcpServers": .object(object),
        ]
        let path = fixture.directory + (reversed ? "/reversed.json" : "/fleet.json")
        try Data(JSONSerializer.bytes(profile, style: .pretty)).write(to: URL(fileURLWithPath: path))
        return (path, servers.map(\.0))
    }

    /// The HTTP fleet's blocks: six endpoints verified for their loopback surface, two expired.
    func httpBlocks(port: Int) throws -> String {
        let directory = fixture.directory + "/blocks"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let expired = fixture.passport("aii_web_old", surfaces: ["mcp://127.0.0.1:\(port)"]) {
            $0["exp"] = .number(JSONNumber(fixture.factory.now - 86_400))
        }
        for index in 0..<8 {
            let passport = index < 6 ? fixture.passport("aii_web_\(index)", surfaces: ["mcp://127.0.0.1:\(port)"]) : expired
            let block = fixture.block(index < 6 ? "aii_web_\(index)" : "aii_web_old", passport: passport)
            try Data(JSONSerializer.bytes(block)).write(to: URL(fileURLWithPath: directory + "/\(index).json"))
        }
        return directory
    }

    func audit(_ profile: String, _ arguments: [String], store: String) async throws -> ProcessOutput {
        try await gatehouse.run(
            ["audit", "--profile", profile, "--trust-store", fixture.directory + "/" + store] + arguments, timeout: 180
        )
    }

    /// A report's text without its timestamps (`generatedAt`, JUnit's `timestamp`).
    func untimed(_ text: String) -> String {
        text.replacingOccurrences(of: #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"#, with: "T", options: .regularExpression)
    }

    @Test("4 shards of a 64-server fleet merge into the unsharded report in JSON, JUnit, SARIF and the table; the SARIF validates and points at each entry's line")
    func shardsMergeIntoTheWhole() async throws {
        try await ServerSlots.run {
            try fixture.revoke(["aii_revoked"])
            let echo = try await TestServers.nativeEchoServer(in: fixture.directory)
            let httpPort = try ServerProcess.freePort()
            let http = try await ServerProcess.start(
                try TestServers.python(), [Repository.root + "/bench/http_fleet.py", "{port}", try httpBlocks(port: httpPort)], port: httpPort
            )
            defer { http.stop() }
            let sse = try await ServerProcess.start(try TestServers.python(legacy: true), [TestServers.script("sdk_server.py"), "sse", "{port}"])
            defer { sse.stop() }
            let (profile, names) = try fleet(echo: echo, httpPort: httpPort, ssePort: sse.port)
            #expect(names.count == 64)

            let whole = try await audit(profile, ["--format", "json"], store: "whole.json")
            let wholeReport = try JSONParser().parse(whole.stdout)
            let verdicts = Set((wholeReport["servers"]?.arrayValue ?? []).compactMap { $0["trust"]?["verdict"]?.stringValue })
            #expect(verdicts.isSuperset(of: ["verified", "rejected", "unverified", "error"]), "\(verdicts)")
            #expect(Set((wholeReport["servers"]?.arrayValue ?? []).compactMap { $0["transport"]?.stringValue }) == ["stdio", "streamable-http", "sse"])
            #expect(whole.status == 1, "a rejected server makes the exit status 1: \(whole.stderr.prefix(300))")

            var shardFiles: [String] = []
            var membership: [String: Int] = [:]
            for index in 1...4 {
                let shard = try await audit(profile, ["--shard", "\(index)/4", "--format", "json"], store: "shard-\(index).json")
                let file = fixture.directory + "/shard-\(index)-report.json"
                try Data(shard.stdout.utf8).write(to: URL(fileURLWithPath: file))
                shardFiles.append(file)
                for server in try JSONParser().parse(shard.stdout)["servers"]?.arrayValue ?? [] {
                    let name = try #require(server["name"]?.stringValue)
                    #expect(membership[name] == nil, "\(name) in two shards")
                    membership[name] = index
                }
            }
            #expect(Set(membership.keys) == Set(names), "every server in exactly one shard")

            let (reversedProfile, _) = try fleet(echo: echo, httpPort: httpPort, ssePort: sse.port, reversed: true)
            for index in 1...4 {
                let shard = try await audit(reversedProfile, ["--shard", "\(index)/4", "--format", "json"], store: "reversed-\(index).json")
                let shardNames = (try JSONParser().parse(shard.stdout)["servers"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
                #expect(Set(shardNames) == Set(membership.filter { $0.value == index }.keys), "shard \(index) is the same with the entries reversed")
            }

            for format in ["json", "junit", "sarif", "table"] {
                let unsharded = try await audit(profile, ["--format", format, "--no-color"], store: "whole-\(format).json")
                let merged = try await gatehouse.run(["audit", "merge", "--format", format, "--no-color"] + shardFiles)
                #expect(merged.status == unsharded.status, "\(format): exit \(merged.status) \(merged.stderr.prefix(300))")
                #expect(untimed(merged.stdout) == untimed(unsharded.stdout), "\(format): the merged report is the unsharded one")
                if format == "sarif" { try await checkSARIF(merged.stdout, profile: profile) }
            }
        }
    }

    /// Validates `text` against the committed SARIF 2.1.0 schema (with `jsonschema` from PyPI) and checks
    /// each result's line against the profile's text, found here independently of Gatehouse.
    func checkSARIF(_ text: String, profile: String) async throws {
        let file = fixture.directory + "/report.sarif"
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        let schema = Repository.root + "/Tests/Schemas/sarif-schema-2.1.0.json"
        let script = "import json,sys,jsonschema\njsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))\nprint('valid')"
        let validation = try await ChildProcess.run(try TestServers.python(), ["-c", script, file, schema])
        #expect(validation.stdout.contains("valid"), "SARIF schema: \(validation.stderr.suffix(800))")

        let lines = try String(contentsOfFile: profile, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let sarif = try JSONParser().parse(text)
        let run = try #require(sarif["runs"]?.arrayValue?.first)
        #expect(run["automationDetails"]?["id"] == "gatehouse/audit/")
        let results = run["results"]?.arrayValue ?? []
        // 6 expired, 6 revoked, 6 impostors, 6 plain, 2 expired over HTTP, 2 SSE (unverified), 2 missing, 4 down.
        #expect(results.count == 34, "one result per server not loaded: \(results.count)")
        let rules = run["tool"]?["driver"]?["rules"]?.arrayValue ?? []
        for result in results {
            let server = try #require(result["properties"]?["server"]?.stringValue)
            let line = try #require(result["locations"]?.arrayValue?.first?["physicalLocation"]?["region"]?["startLine"]?.numberValue?.int64Value)
            let expected = try #require(lines.firstIndex { $0.contains("\"\(server)\"") && $0.contains("{") })
            #expect(Int(line) == expected + 1, "\(server) at line \(line)")
            let index = try #require(result["ruleIndex"]?.numberValue?.int64Value)
            #expect(rules[Int(index)]["id"] == result["ruleId"], "ruleIndex names the rule")
        }
        let ruleOf = { (prefix: String) in Set(results.filter { $0["properties"]?["server"]?.stringValue?.hasPrefix(prefix) == true }.compactMap { $0["ruleId"]?.stringValue }) }
        #expect(ruleOf("expired-") == ["passport.expired"])
        #expect(ruleOf("revoked-") == ["passport.revoked"])
        #expect(ruleOf("impostor-") == ["passport.surface_mismatch"])
        #expect(ruleOf("plain-") == ["passport.missing"])
        #expect(ruleOf("missing-") == ["connect.spawn_failed"])
        #expect(ruleOf("down-") == ["connect.refused"])
    }

    @Test("merge refuses a missing shard, an overlapping shard and another version's report, naming the files (exit 2)")
    func refusals() async throws {
        let directory = fixture.directory
        var servers = JSONObject()
        for index in 0..<12 { servers["s\(index)"] = ["command": .string("gatehouse-no-such-server-\(index)")] }
        let profile = directory + "/small.json"
        try Data(JSONSerializer.bytes(["mcpServers": .object(servers)])).write(to: URL(fileURLWithPath: profile))
        var files: [String] = []
        for index in 1...3 {
            let output = try await audit(profile, ["--shard", "\(index)/3", "--format", "json"], store: "small-\(index).json")
            let file = directory + "/small-\(index).report.json"
            try Data(output.stdout.utf8).write(to: URL(fileURLWithPath: file))
            files.append(file)
        }
        let complete = try await gatehouse.run(["audit", "merge", "--format", "json"] + files)
        #expect(complete.status == 3, "every server down: exit 3 by SPEC §4's rule; \(complete.stderr.prefix(300))")
        #expect(try JSONParser().parse(complete.stdout)["servers"]?.arrayValue?.count == 12)

        let missing = try await gatehouse.run(["audit", "merge", files[0], files[2]])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("2/3") && missing.stderr.contains(files[0]) && missing.stderr.contains(files[2]), "\(missing.stderr)")

        let overlapping = try await gatehouse.run(["audit", "merge"] + files + [files[1]])
        #expect(overlapping.status == 2)
        #expect(overlapping.stderr.contains("overlapping") && overlapping.stderr.contains(files[1]), "\(overlapping.stderr)")

        let old = directory + "/old.report.json"
        let text = try String(contentsOfFile: files[2], encoding: .utf8)
        let version = try #require(try JSONParser().parse(text)["gatehouse"]?.stringValue)
        try Data(text.replacingOccurrences(of: "\"gatehouse\": \"\(version)\"", with: "\"gatehouse\": \"0.0.1\"").utf8)
            .write(to: URL(fileURLWithPath: old))
        let foreign = try await gatehouse.run(["audit", "merge", files[0], files[1], old])
        #expect(foreign.status == 2)
        #expect(foreign.stderr.contains(old) && foreign.stderr.contains("0.0.1"), "\(foreign.stderr)")
    }

    @Test("SARIF: a result per tool whose pin changed or was added, at the server's line, fingerprints stable across runs")
    func pinResults() async throws {
        try await ServerSlots.run {
            func verified(_ environment: [String: String]) throws -> JSONValue {
                try fixture.server(
                    location: "result._meta", block: fixture.block("aii_pins", passport: fixture.passport("aii_pins")),
                    environment: environment, trust: ["surface": "mcp://tools.example.com"], blockName: "pins"
                )
            }
            let first = try fixture.profile(["pins": try verified([:])])
            #expect(try await audit(first, ["--format", "json"], store: "pins.json").status == 0)
            let changed = try fixture.profile([
                "pins": try verified(["GATEHOUSE_ECHO_DESCRIPTION": "Echo, and more.", "GATEHOUSE_BULK_TOOLS": "1"])
            ])
            var fingerprints: [[String]] = []
            for _ in 0..<2 {
                let output = try await audit(changed, ["--format", "sarif"], store: "pins.json")
                #expect(output.status == 0, "the server stays loaded (SPEC §4: without a baseline, a tool kept out is not a server kept out); \(output.stderr.prefix(300))")
                let results = try JSONParser().parse(output.stdout)["runs"]?.arrayValue?.first?["results"]?.arrayValue ?? []
                let found = results.map { "\($0["ruleId"]?.stringValue ?? "") \($0["properties"]?["tool"]?.stringValue ?? "-")" }
                #expect(found.sorted() == ["pin.added bulk_000", "pin.changed echo"], "\(found)")
                let lines = try String(contentsOfFile: changed, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                let entryLine = try #require(lines.firstIndex { $0.contains("\"pins\"") && $0.contains("{") }) + 1
                for result in results {
                    let line = result["locations"]?.arrayValue?.first?["physicalLocation"]?["region"]?["startLine"]?.numberValue?.int64Value
                    #expect(line == Int64(entryLine))
                }
                fingerprints.append(results.compactMap { $0["partialFingerprints"]?["gatehouse/v1"]?.stringValue }.sorted())
            }
            #expect(fingerprints[0] == fingerprints[1] && fingerprints[0].count == 2)
        }
    }
}
