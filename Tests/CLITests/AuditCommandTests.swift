import Foundation
import FoundationXML
import StrictJSON
import TestSupport
import Testing

/// `gatehouse audit` over a fleet of real servers: JSON of SPEC §4.1, JUnit, exit codes, pins and baselines.
@Suite(.timeLimit(.minutes(5)))
struct AuditCommandTests {
    let fixture: IdentityFixture
    let gatehouse: Gatehouse

    init() throws {
        fixture = try IdentityFixture()
        gatehouse = try Gatehouse()
    }

    func audit(_ arguments: [String]) async throws -> ProcessOutput {
        try await gatehouse.run(["audit", "--trust-store", fixture.directory + "/trust.json"] + arguments, timeout: 180)
    }

    func verified(_ identity: String, legacy: Bool = false, environment: [String: String] = [:]) throws -> JSONValue {
        try fixture.server(
            location: "result._meta", block: fixture.block(identity, passport: fixture.passport(identity)), legacy: legacy,
            environment: environment, trust: ["surface": "mcp://tools.example.com"], blockName: identity
        )
    }

    @Test("a mixed fleet: the JSON report field by field, JUnit, exit 1; an all-good fleet exits 0; a down server 3")
    func fleet() async throws {
        try await ServerSlots.run {
            let expired = fixture.passport("aii_old") { $0["exp"] = .number(JSONNumber(fixture.factory.now - 86_400)) }
            try fixture.revoke(["aii_revoked"])
            let headerPort = try ServerProcess.freePort()
            let header = try await ServerProcess.start(
                try TestServers.python(), [TestServers.script("identity_http_server.py"), "{port}"],
                environment: ["GATEHOUSE_HEADER_TOKEN": fixture.passport("aii_web", surfaces: ["mcp://127.0.0.1:\(headerPort)"])],
                port: headerPort
            )
            let declared = try await ServerProcess.start(
                try TestServers.python(), [TestServers.script("identity_http_server.py"), "{port}"],
                environment: ["GATEHOUSE_WELL_KNOWN": "{\"identity_id\":\"aii_wk\",\"registry\":\"\(fixture.issuer)\"}"]
            )
            let noisy = ["command": JSONValue.string(try TestServers.python()),
                         "args": [.string(TestServers.script("misbehaving_server.py")), "noisy"]] as JSONValue
            let mixed = try fixture.profile([
                "alpha": try verified("aii_alpha"),
                "beta": try verified("aii_beta", legacy: true),
                "expired": try fixture.server(location: "result._meta", block: fixture.block("aii_old", passport: expired)),
                "plain": try fixture.server(location: "none", block: nil),
                "allowed": try fixture.server(location: "none", block: nil, trust: ["allowUnverified": true]),
                "revoked": try fixture.server(location: "capabilities.experimental", block: fixture.block("aii_revoked", passport: fixture.passport("aii_revoked"))),
                "impostor": try fixture.server(
                    location: "result._meta", block: fixture.block("aii_alpha", passport: fixture.passport("aii_alpha")),
                    trust: ["surface": "mcp://elsewhere.example.com"]
                ),
                "web": ["url": .string("http://127.0.0.1:\(headerPort)/mcp")],
                "declared": ["url": .string("http://127.0.0.1:\(declared.port)/mcp")],
                "noisy": noisy,
            ])
            defer {
                header.stop()
                declared.stop()
            }
            let output = try await audit(["--profile", mixed, "--format", "json"])
            #expect(output.status == 1, "\(output.stderr)")
            let report = try JSONParser().parse(output.stdout)
            #expect(report["gatehouse"] == "0.1.0")
            #expect(report["generatedAt"]?.stringValue?.hasSuffix("Z") == true)
            #expect(report["profiles"] == [.string(mixed)])
            let servers = try #require(report["servers"]?.arrayValue)
            #expect(servers.map { $0["name"]?.stringValue ?? "" } == [
                "allowed", "alpha", "beta", "declared", "expired", "impostor", "noisy", "plain", "revoked", "web",
            ])
            let byName = Dictionary(uniqueKeysWithValues: servers.map { ($0["name"]?.stringValue ?? "", $0) })
            let expected: [(String, String, String?, Bool, Int)] = [
                ("allowed", "unverified", "passport.missing", true, 8), ("alpha", "verified", nil, true, 8),
                ("beta", "verified", nil, true, 8), ("declared", "declared", nil, false, 1),
                ("expired", "rejected", "passport.expired", false, 8), ("impostor", "rejected", "passport.surface_mismatch", false, 8),
                ("noisy", "unverified", "passport.missing", false, 1), ("plain", "unverified", "passport.missing", false, 8),
                ("revoked", "rejected", "passport.revoked", false, 8), ("web", "verified", nil, true, 1),
            ]
            for (name, verdict, code, loaded, tools) in expected {
                let server = try #require(byName[name])
                #expect(server["trust"]?["verdict"] == .string(verdict), "\(name)")
                #expect(server["trust"]?["reasons"]?.arrayValue?.first?["code"]?.stringValue == code, "\(name)")
                #expect(server["trust"]?["loaded"] == .bool(loaded), "\(name)")
                #expect(server["tools"]?.arrayValue?.count == tools, "\(name)")
            }
            #expect(byName["web"]?["transport"] == "streamable-http")
            #expect(byName["web"]?["trust"]?["carriers"] == ["http-header"])
            #expect(byName["declared"]?["trust"]?["carriers"] == ["well-known"])
            #expect(byName["revoked"]?["trust"]?["carriers"] == ["capabilities.experimental"])
            #expect(byName["noisy"]?["connection"]?["skippedLines"] == 3)
            let alpha = servers[1]
            #expect(alpha["source"] == .string(mixed))
            #expect(alpha["transport"] == "stdio")
            #expect(alpha["protocolVersion"] == "2026-07-28")
            #expect(alpha["era"] == "stateless")
            #expect(alpha["serverInfo"]?["name"] == "gatehouse-test-server")
            #expect(alpha["connection"]?["status"] == "connected")
            #expect(alpha["connection"]?["skippedLines"] == 0)
            #expect(alpha["trust"]?["verdict"] == "verified")
            #expect(alpha["trust"]?["loaded"] == true)
            #expect(alpha["trust"]?["identity"] == "aii_alpha")
            #expect(alpha["trust"]?["registry"] == .string(fixture.issuer))
            #expect(alpha["trust"]?["surface"] == "mcp://tools.example.com")
            #expect(alpha["trust"]?["carriers"] == ["result._meta"])
            #expect(alpha["trust"]?["checks"]?.arrayValue?.count == 16)
            #expect(alpha["tools"]?.arrayValue?.allSatisfy { $0["pinState"] == "new" && $0["pin"]?.stringValue?.hasPrefix("sha256:") == true } == true)
            #expect(servers[2]["era"] == "legacy")
            #expect(servers[2]["protocolVersion"] == "2025-11-25")
            let summary = try #require(report["summary"])
            #expect(summary["servers"] == 10)
            #expect(summary["verified"] == 3)
            #expect(summary["declared"] == 1)
            #expect(summary["rejected"] == 3)
            #expect(summary["unverified"] == 3)
            #expect(summary["error"] == 0)
            let toolCount = servers.map { $0["tools"]?.arrayValue?.count ?? 0 }.reduce(0, +)
            #expect((summary["toolsLoaded"]?.numberValue?.int64Value ?? 0) + (summary["toolsQuarantined"]?.numberValue?.int64Value ?? 0) == Int64(toolCount))

            let junitPath = fixture.directory + "/audit.xml"
            let junit = try await audit(["--profile", mixed, "--format", "junit", "--output", junitPath])
            #expect(junit.status == 1)
            let document = try XMLDocument(contentsOf: URL(fileURLWithPath: junitPath))
            let cases = try document.nodes(forXPath: "//testcase")
            #expect(cases.count == 10 * 17, "a case per server and per check")
            #expect(try document.nodes(forXPath: "//testcase[@classname='server.expired'][@name='time']/failure").count == 1)

            let good = try fixture.profile(["alpha": try verified("aii_alpha"), "beta": try verified("aii_beta")])
            #expect(try await audit(["--profile", good]).status == 0)
            let down = try fixture.profile(["alpha": try verified("aii_alpha"), "gone": ["command": "/nonexistent/server"]])
            let downOutput = try await audit(["--profile", down, "--format", "json"])
            #expect(downOutput.status == 3)
            #expect(try JSONParser().parse(downOutput.stdout)["servers"]?.arrayValue?[1]["connection"]?["error"]?["code"] == "connect.spawn_failed")
        }
    }

    @Test("pins: new then pinned without a baseline; with one, identical reports and exactly the drift of a changed tool")
    func baselines() async throws {
        try await ServerSlots.run {
            let profile = try fixture.profile(["alpha": try verified("aii_alpha"), "beta": try verified("aii_beta")])
            let first = try JSONParser().parse(try await audit(["--profile", profile, "--format", "json"]).stdout)
            #expect(first["servers"]?.arrayValue?.first?["tools"]?.arrayValue?.first?["pinState"] == "new")
            let second = try JSONParser().parse(try await audit(["--profile", profile, "--format", "json"]).stdout)
            #expect(second["servers"]?.arrayValue?.first?["tools"]?.arrayValue?.first?["pinState"] == "pinned")

            let baseline = fixture.directory + "/baseline.json"
            #expect(try await audit(["--profile", profile, "--write-baseline", baseline]).status == 0)
            let before = try Data(contentsOf: URL(fileURLWithPath: baseline))
            let storeBefore = try Data(contentsOf: URL(fileURLWithPath: fixture.directory + "/trust.json"))
            let one = try await audit(["--profile", profile, "--baseline", baseline, "--format", "json"])
            let two = try await audit(["--profile", profile, "--baseline", baseline, "--format", "json"])
            #expect(one.status == 0)
            let strip: (String) -> String = { $0.split(separator: "\n").filter { !$0.contains("generatedAt") }.joined(separator: "\n") }
            #expect(strip(one.stdout) == strip(two.stdout))

            let changed = try fixture.profile([
                "alpha": try verified("aii_alpha", environment: ["GATEHOUSE_ECHO_DESCRIPTION": "Echo, changed."]),
                "beta": try verified("aii_beta"),
            ])
            let drift = try await audit(["--profile", changed, "--baseline", baseline, "--format", "json"])
            #expect(drift.status == 1)
            let servers = try #require(try JSONParser().parse(drift.stdout)["servers"]?.arrayValue)
            #expect(servers[0]["drift"] == ["tool echo changed"])
            #expect(servers[1]["drift"] == nil)
            #expect(try Data(contentsOf: URL(fileURLWithPath: baseline)) == before, "the baseline is read-only")
            #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.directory + "/trust.json")) == storeBefore, "so is the trust store")
        }
    }
}
