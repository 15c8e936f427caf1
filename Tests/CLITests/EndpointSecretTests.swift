import Foundation
import StrictJSON
import TestSupport
import Testing

/// Secrets that `${VAR}` puts into stdio `args` or into a URL (query, user-info) reach no output and no file
/// (SPEC §3: environment values are redacted everywhere).
@Suite(.timeLimit(.minutes(5)))
struct EndpointSecretTests {
    let secret = "s3cr3t-" + UUID().uuidString

    /// A profile with a stdio server given `--apikey ${SECRET}` and an HTTP server at
    /// `http://user:${SECRET}@127.0.0.1:PORT/mcp?key=${SECRET}`, both allowed while unverified.
    func profile(port: Int, directory: String) throws -> String {
        let text = """
            {"trust": {"mode": "enforce"}, "mcpServers": {
              "local": {"command": "\(try TestServers.python())",
                        "args": ["\(TestServers.script("hostile_tools_server.py"))", "fine", "--apikey", "${SECRET}"],
                        "trust": {"allowUnverified": true}},
              "web": {"url": "http://user:${SECRET}@127.0.0.1:\(port)/mcp?key=${SECRET}", "trust": {"allowUnverified": true}}
            }}
            """
        let path = directory + "/profile.json"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Every file below `directory`, read as bytes, that contains `needle`.
    func files(containing needle: String, below directory: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: directory)
        var hits: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            let path = directory + "/" + relative
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            if data.range(of: Data(needle.utf8)) != nil { hits.append(relative) }
        }
        return hits
    }

    @Test("tools, audit (json and table), trust list and call never show the secret, and no file holds it")
    func noSecretAnywhere() async throws {
        try await ServerSlots.run {
            let http = try await ServerProcess.start(try TestServers.python(), [TestServers.script("identity_http_server.py"), "{port}"])
            defer { http.stop() }
            let directory = try Repository.temporaryDirectory()
            let gatehouse = try Gatehouse()
            let profile = try profile(port: http.port, directory: directory)
            let options = ["--profile", profile, "--trust-store", directory + "/trust.json"]
            let environment = ["SECRET": secret]
            let runs: [[String]] = [
                ["tools", "--all"] + options, ["tools", "--format", "json"] + options, ["audit", "--format", "json"] + options,
                ["audit"] + options, ["trust", "list", "--trust-store", directory + "/trust.json"],
                ["call", "local", "echo", "text=hi"] + options, ["call", "web", "echo", "text=hi", "--format", "json"] + options,
                ["tools", "--verbose"] + options,
            ]
            var hits = 0
            for arguments in runs {
                let output = try await gatehouse.run(arguments, environment: environment, timeout: 120)
                #expect(output.status == 0 || arguments[0] == "audit", "\(arguments): \(output.stderr)")
                for (name, text) in [("stdout", output.stdout), ("stderr", output.stderr)] where text.contains(secret) {
                    hits += 1
                    Issue.record("\(arguments) \(name) shows the secret: \(text.prefix(2000))")
                }
            }
            let audit = try await gatehouse.run(["audit", "--format", "json"] + options, environment: environment, timeout: 120)
            let servers = try JSONParser().parse(audit.stdout)["servers"]?.arrayValue ?? []
            #expect(servers.first { $0["name"] == "web" }?["endpoint"] == .string("http://127.0.0.1:\(http.port)/mcp?key=${SECRET}"))
            #expect(servers.first { $0["name"] == "local" }?["endpoint"]?.stringValue?.hasSuffix("fine --apikey ${SECRET}") == true)
            #expect(servers.allSatisfy { $0["connection"]?["status"] == "connected" }, "\(audit.stdout)")
            let leaked = files(containing: secret, below: directory) + files(containing: secret, below: gatehouse.stateHome)
            #expect(leaked.isEmpty, "files holding the secret: \(leaked)")
            #expect(hits == 0)
        }
    }

    @Test("a trust store record keyed by the old expanded endpoint keeps its pins and is re-keyed without the secret")
    func legacyRecord() async throws {
        let directory = try Repository.temporaryDirectory()
        let gatehouse = try Gatehouse()
        let profile = try profile(port: 9, directory: directory)
        let fresh = directory + "/fresh.json"
        let first = try await gatehouse.run(
            ["tools", "--server", "local", "--profile", profile, "--trust-store", fresh], environment: ["SECRET": secret], timeout: 120
        )
        #expect(first.status == 0, "\(first.stderr)")
        let record = try JSONParser().parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: fresh))))["servers"]?.arrayValue?.first
        let pin = try #require(record?["tools"]?["echo"]?["pin"]?.stringValue)
        let expanded = "\(try TestServers.python()) \(TestServers.script("hostile_tools_server.py")) fine --apikey \(secret)"
        let old: JSONValue = ["version": 1, "servers": [[
            "name": "local", "endpoint": .string(expanded), "identity": .null, "firstSeen": "2026-01-01T00:00:00Z",
            "tools": ["echo": ["pin": .string(pin)]],
        ]]]
        let store = directory + "/old.json"
        try Data(JSONSerializer.bytes(old)).write(to: URL(fileURLWithPath: store))
        let output = try await gatehouse.run(
            ["tools", "--server", "local", "--format", "json", "--profile", profile, "--trust-store", store],
            environment: ["SECRET": secret], timeout: 120
        )
        let tool = try JSONParser().parse(output.stdout)["servers"]?.arrayValue?.first?["tools"]?.arrayValue?.first
        #expect(tool?["pinState"] == "pinned", "\(output.stdout)")
        let text = try String(contentsOfFile: store, encoding: .utf8)
        #expect(!text.contains(secret))
        #expect(text.contains("fine --apikey ${SECRET}"))
        #expect(text.contains("2026-01-01T00:00:00Z"))
    }
}
