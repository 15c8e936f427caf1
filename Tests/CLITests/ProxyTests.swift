import Foundation
import StrictJSON
import TestSupport
import Testing

/// `gatehouse proxy SERVER` with a real MCP host downstream (the official SDK's ClientSession over stdio)
/// and real servers upstream: a verified server's tools pass, with progress; a quarantined one is refused
/// with -32001 (or, with --on-reject empty, shows nothing); calls of tools that are not listed are -32602.
@Suite(.timeLimit(.minutes(5)))
struct ProxyTests {
    let fixture: IdentityFixture
    let profile: String

    init() throws {
        fixture = try IdentityFixture()
        profile = try fixture.profile([
            "good": try fixture.server(location: "result._meta", block: fixture.block("aii_good", passport: fixture.passport("aii_good"))),
            "plain": try fixture.server(location: "none", block: nil),
            "pulling": try fixture.server(
                location: "result._meta", block: fixture.block("aii_pull", passport: fixture.passport("aii_pull")),
                environment: ["GATEHOUSE_RUG_PULL": "1"]
            ),
        ])
    }

    /// Runs the SDK client against `gatehouse proxy ARGUMENTS…`; returns its report.
    func host(
        _ arguments: [String], tool: String = "echo", toolArguments: JSONValue = ["text": "through the proxy"], profile: String? = nil,
        waitForChange: Bool = false, legacyClient: Bool = false, elicitAnswer: String? = nil, modernClient: Bool = false,
        content: Bool = false, direct: [String]? = nil, allContent: String? = nil, cancel: Bool = false
    ) async throws -> JSONValue {
        let command = try direct ?? ([try Repository.gatehouseBinary(), "proxy", "--profile", profile ?? self.profile, "--trust-store", fixture.directory + "/trust.json"]
            + arguments)
        var environment = ProcessInfo.processInfo.environment
        if waitForChange { environment["PROXY_CLIENT_WAIT_CHANGE"] = "1" }
        if let elicitAnswer { environment["PROXY_CLIENT_ELICIT"] = elicitAnswer }
        if modernClient { environment["PROXY_CLIENT_MODERN"] = "1" }
        if content { environment["PROXY_CLIENT_CONTENT"] = "1" }
        if let allContent { environment["PROXY_CLIENT_ALL_CONTENT"] = allContent }
        if cancel { environment["PROXY_CLIENT_CANCEL"] = "1" }
        let output = try await ChildProcess.run(
            try TestServers.python(legacy: legacyClient),
            [Repository.root + "/Tests/Scripts/proxy_client.py", tool, JSONSerializer.string(toolArguments), "--"] + command,
            environment: environment, timeout: 120
        )
        #expect(output.status == 0, "\(output.stderr)")
        return try JSONParser().parse(output.stdout)
    }

    @Test("a verified server: its tools, a call, progress, and -32602 for a tool that is not listed (mcp 2.3 in both eras and 1.30 hosts)")
    func verified() async throws {
        try await ServerSlots.run {
            let report = try await host(["good"])
            #expect(report["meta"]?["x-gatehouse"]?["verdict"] == "verified", "\(JSONSerializer.string(report))")
            #expect(report["meta"]?["x-gatehouse"]?["identity"] == "aii_good")
            let tools = report["tools"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(tools.contains("echo") && tools.contains("slow"), "\(tools)")
            #expect(report["text"] == "through the proxy")
            #expect(report["unknownError"]?["code"] == -32602)
            #expect(report["unknownError"]?["data"]?["gatehouse"]?["code"] == "host.unknown_tool")
            let modern = try await host(["good"], modernClient: true)
            #expect(modern["protocolVersion"] == ["2026-07-28"], "a 2026-07-28 host: \(JSONSerializer.string(modern))")
            #expect(modern["text"] == "through the proxy")
            #expect(modern["meta"]?["x-gatehouse"]?["verdict"] == "verified")
            #expect(modern["meta"]?["io.modelcontextprotocol/serverInfo"] != nil)
            let legacy = try await host(["good"], legacyClient: true)
            #expect(legacy["text"] == "through the proxy", "the mcp 1.30 client too: \(JSONSerializer.string(legacy))")
            #expect(legacy["meta"]?["x-gatehouse"]?["verdict"] == "verified")
            #expect(legacy["unknownError"]?["data"]?["gatehouse"]?["code"] == "host.unknown_tool")
            let slow = try await host(["good"], tool: "slow", toolArguments: ["seconds": 0.5])
            #expect((slow["progress"]?.numberValue?.int64Value ?? 0) >= 1, "progress reached the host: \(JSONSerializer.string(slow))")
        }
    }

    @Test("a quarantined server: -32001 naming the server, its badge and reason; nothing upstream")
    func refused() async throws {
        try await ServerSlots.run {
            let report = try await host(["plain"])
            let error = try #require(report["initializeError"], "\(JSONSerializer.string(report))")
            #expect(error["code"] == -32001)
            #expect(error["message"]?.stringValue?.hasPrefix("gatehouse: plain") == true, "\(error)")
            #expect(error["message"]?.stringValue?.contains("? unverified") == true)
            #expect(error["data"]?["gatehouse"]?["verdict"] == "unverified")
            #expect(error["data"]?["gatehouse"]?["reasons"]?.arrayValue?.first?["code"] == "passport.missing")
        }
    }

    @Test("--on-reject empty: the handshake succeeds with no tools, says why, and calls are refused")
    func empty() async throws {
        try await ServerSlots.run {
            let report = try await host(["plain", "--on-reject", "empty"])
            #expect(report["tools"] == [], "\(JSONSerializer.string(report))")
            #expect(report["instructions"]?.stringValue?.contains("not loaded") == true)
            #expect(report["callError"]?["code"] == -32602)
            #expect(report["callError"]?["data"]?["gatehouse"]?["code"] == "host.tool_quarantined")
        }
    }

    @Test("a rug pull mid-session: the changed tool is withdrawn, the host told, and a call to it refused")
    func rugPull() async throws {
        try await ServerSlots.run {
            let report = try await host(["pulling"], tool: "rug_pull", toolArguments: [:])
            #expect(report["text"] == "pulled", "\(JSONSerializer.string(report))")
            #expect(report["tools"]?.arrayValue?.contains("echo") == true)
            #expect(report["listChanged"] == true, "the host got notifications/tools/list_changed")
            #expect(report["toolsAfter"]?.arrayValue?.contains("echo") == false, "\(JSONSerializer.string(report))")
            #expect(report["echoAfter"]?["code"] == -32602, "\(JSONSerializer.string(report))")
            #expect(report["echoAfter"]?["data"]?["gatehouse"]?["code"] == "host.tool_quarantined")

            let modern = try await host(["pulling"], tool: "rug_pull", toolArguments: [:], modernClient: true)
            #expect(modern["protocolVersion"] == ["2026-07-28"], "\(JSONSerializer.string(modern))")
            #expect(modern["listChanged"] == true, "a 2026-07-28 host hears of it through subscriptions/listen: \(JSONSerializer.string(modern))")
            #expect(modern["toolsAfter"]?.arrayValue?.contains("echo") == false)
        }
    }

    @Test("a passport that expires mid-session: the tools are withdrawn and the host is told")
    func expiry() async throws {
        try await ServerSlots.run {
            let brief = fixture.passport("aii_brief") { $0["exp"] = .number(JSONNumber(Int64(Date().timeIntervalSince1970) + 8)) }
            let profile = try fixture.profile(
                ["brief": try fixture.server(location: "result._meta", block: fixture.block("aii_brief", passport: brief))],
                trust: ["mode": "enforce", "clockSkewSeconds": 0]
            )
            let report = try await host(["brief", "--on-reject", "empty"], profile: profile, waitForChange: true)
            #expect(report["meta"]?["x-gatehouse"]?["verdict"] == "verified", "\(JSONSerializer.string(report))")
            #expect(report["text"] == "through the proxy")
            #expect(report["listChanged"] == true, "\(JSONSerializer.string(report))")
            #expect(report["toolsAfter"] == [], "\(JSONSerializer.string(report))")
            #expect(report["echoAfter"]?["data"]?["gatehouse"]?["code"] == "host.tool_quarantined", "\(JSONSerializer.string(report))")
        }
    }

    @Test("upstream faults reach the host as JSON-RPC errors: a crash mid-call, a 20 MiB line, a hang", arguments: [
        ("exit-mid-call", "call.server_exited"), ("flood", "protocol.frame_too_large"), ("silent", "connect.timeout"),
    ])
    func faults(_ mode: String, _ code: String) async throws {
        try await ServerSlots.run {
            let entry: JSONValue = [
                "command": .string(try TestServers.python()), "args": [.string(TestServers.script("misbehaving_server.py")), .string(mode)],
                "trust": ["allowUnverified": true], "timeouts": ["connect": 3, "call": 5],
            ]
            let profile = try fixture.profile([mode: entry])
            let report = try await host([mode], profile: profile)
            let error = report["callError"] ?? report["initializeError"] ?? .null
            #expect(error["code"]?.numberValue != nil, "a JSON-RPC error, not a hang: \(JSONSerializer.string(report))")
            let seen = error["data"]?["gatehouse"]?["code"]?.stringValue ?? error["message"]?.stringValue ?? ""
            #expect(seen.contains(code) || JSONSerializer.string(error).contains(code), "\(JSONSerializer.string(report))")
        }
    }

    @Test("--all: loaded servers' tools as SERVER__TOOL, nothing from the quarantined one, every verdict in _meta")
    func all() async throws {
        try await ServerSlots.run {
            let report = try await host(["--all"], tool: "good__echo")
            let tools = report["tools"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(tools.contains("good__echo") && tools.contains("pulling__echo"), "\(tools)")
            #expect(!tools.contains { $0.hasPrefix("plain__") }, "\(tools)")
            #expect(report["text"] == "through the proxy", "\(JSONSerializer.string(report))")
            let servers = report["meta"]?["x-gatehouse"]?["servers"]?.arrayValue ?? []
            #expect(Set(servers.compactMap { $0["server"]?.stringValue }) == ["good", "plain", "pulling"])
            #expect(servers.first { $0["server"] == "plain" }?["verdict"] == "unverified")
            #expect(report["unknownError"]?["data"]?["gatehouse"]?["code"] == "host.unknown_tool")
        }
    }

    @Test("--all: resources, templates, prompts and completions of loaded servers; colliding names prefixed SERVER__, unique ones kept")
    func allContent() async throws {
        try await ServerSlots.run {
            let report = try await host(["--all"], tool: "good__echo", allContent: "good__note://x")
            // good and pulling run the same server, so every name collides; plain is not loaded.
            #expect(report["resources"] == ["good__note://readme", "pulling__note://readme"], "\(JSONSerializer.string(report))")
            #expect(report["templates"] == ["good__note://{name}", "pulling__note://{name}"])
            #expect(report["reads"]?["good__note://readme"] == ["Gatehouse test server readme."])
            #expect(report["prompts"] == ["good__greet", "pulling__greet"])
            #expect(report["gets"]?["pulling__greet"] == ["Please greet Ada."])
            #expect(report["completions"]?["good__greet"] == ["Grace"])
            #expect(report["templateRead"] == ["note x"], "a prefixed URI from a template reads on that server")
            let ambiguous = try await host(["--all"], tool: "good__echo", allContent: "note://x")
            #expect(ambiguous["templateRead"]?["code"] == -32602, "two servers' templates match: \(JSONSerializer.string(ambiguous))")

            let time = ["command": JSONValue.string(try TestServers.python()), "args": ["-m", "mcp_server_time", "--local-timezone", "UTC"],
                        "trust": ["allowUnverified": true]] as JSONValue
            let single = try fixture.profile([
                "good": try fixture.server(location: "result._meta", block: fixture.block("aii_good", passport: fixture.passport("aii_good"))),
                "time": time,
            ])
            let kept = try await host(["--all"], tool: "good__echo", profile: single, allContent: "note://y")
            #expect(kept["resources"] == ["note://readme"], "one server: names kept: \(JSONSerializer.string(kept))")
            #expect(kept["prompts"] == ["greet"])
            #expect(kept["gets"]?["greet"] == ["Please greet Ada."])
            #expect(kept["templateRead"] == ["note y"])
        }
    }

    @Test("a host that cancels a call: the upstream server gets notifications/cancelled, and the session keeps working")
    func cancellation() async throws {
        try await ServerSlots.run {
            let log = fixture.directory + "/cancel-requests.log"
            let profile = try fixture.profile([
                "good": try fixture.server(
                    location: "result._meta", block: fixture.block("aii_good", passport: fixture.passport("aii_good")),
                    environment: ["GATEHOUSE_REQUEST_LOG": log]
                ),
            ])
            let report = try await host(["good"], profile: profile, cancel: true)
            #expect(report["afterCancel"] == "after the cancel", "\(JSONSerializer.string(report))")
            #expect((report["cancelSeconds"]?.numberValue?.doubleValue ?? 99) < 10, "the host did not wait for the 30 s call")
            let methods = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
            let call = try #require(methods.firstIndex(of: "tools/call"), "\(methods)")
            let cancelled = methods.firstIndex(of: "notifications/cancelled")
            #expect(cancelled.map { $0 > call } == true, "the upstream server was told, after the call: \(methods)")
        }
    }

    @Test("a loaded server's question goes to a host that declared elicitation, and is refused to one that did not")
    func elicitation() async throws {
        try await ServerSlots.run {
            let answered = try await host(["good"], tool: "ask_name", toolArguments: [:], elicitAnswer: "Ada")
            #expect(answered["text"] == "hello Ada", "\(JSONSerializer.string(answered))")
            #expect(answered["questions"] == ["What is your name?"])
            let refused = try await host(["good"], tool: "ask_name", toolArguments: [:])
            #expect(refused["text"] != "hello Ada" && refused["questions"] == [], "\(JSONSerializer.string(refused))")
        }
    }

    @Test("tools, resources, prompts and completions through the proxy are what a direct connection shows")
    func sameAsDirect() async throws {
        try await ServerSlots.run {
            let entry = try fixture.server(location: "result._meta", block: fixture.block("aii_good", passport: fixture.passport("aii_good")))
            let direct = [entry["command"]?.stringValue ?? ""] + (entry["args"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            let viaProxy = try await host(["good"], content: true)
            let straight = try await host([], content: true, direct: direct)
            for key in ["tools", "text", "resources", "readme", "prompts", "prompt", "completion"] {
                #expect(viaProxy[key] == straight[key], "\(key): \(JSONSerializer.string(viaProxy[key] ?? .null)) vs \(JSONSerializer.string(straight[key] ?? .null))")
            }
            #expect(viaProxy["readme"] == ["Gatehouse test server readme."])
            #expect(viaProxy["completion"] == ["Ada", "Alan"], "\(JSONSerializer.string(viaProxy))")
        }
    }

    @Test("an upstream over Streamable HTTP, and one over the legacy HTTP+SSE transport (mcp 1.30)", arguments: ["http", "sse"])
    func httpUpstream(_ mode: String) async throws {
        try await ServerSlots.run {
            let server = try await ServerProcess.start(try TestServers.python(legacy: mode == "sse"), [TestServers.script("sdk_server.py"), mode, "{port}"])
            defer { server.stop() }
            var entry: JSONObject = ["url": .string("http://127.0.0.1:\(server.port)/\(mode == "sse" ? "sse" : "mcp")"), "trust": ["allowUnverified": true]]
            if mode == "sse" { entry["type"] = "sse" }
            let profile = try fixture.profile(["web": .object(entry)])
            let report = try await host(["web"], profile: profile)
            #expect(report["text"] == "through the proxy", "\(JSONSerializer.string(report))")
            #expect(report["meta"]?["x-gatehouse"]?["verdict"] == "unverified")
        }
    }

    @Test(
        "rejected upstreams: the -32001 error names the reason code, and the server's own log shows nothing after the handshake",
        arguments: ["expired", "revoked", "impostor", "unverified", "changed"]
    )
    func rejected(_ kind: String) async throws {
        try await ServerSlots.run {
            try fixture.revoke(["aii_revoked"])
            let log = fixture.directory + "/requests-\(kind).log"
            let logged = ["GATEHOUSE_REQUEST_LOG": log]
            let entry: JSONValue
            let code: String
            switch kind {
            case "expired":
                let old = fixture.passport("aii_old") { $0["exp"] = .number(JSONNumber(fixture.factory.now - 86_400)) }
                entry = try fixture.server(location: "result._meta", block: fixture.block("aii_old", passport: old), environment: logged)
                code = "passport.expired"
            case "revoked":
                entry = try fixture.server(
                    location: "result._meta", block: fixture.block("aii_revoked", passport: fixture.passport("aii_revoked")), environment: logged
                )
                code = "passport.revoked"
            case "unverified":
                entry = try fixture.server(location: "none", block: nil, environment: logged)
                code = "passport.missing"
            case "changed":
                let first = try fixture.server(
                    location: "result._meta", block: fixture.block("aii_first", passport: fixture.passport("aii_first")),
                    trust: ["surface": "mcp://tools.example.com"], blockName: kind
                )
                let firstReport = try await host([kind], profile: try fixture.profile([kind: first]))
                #expect(firstReport["meta"]?["x-gatehouse"]?["verdict"] == "verified", "\(JSONSerializer.string(firstReport))")
                entry = try fixture.server(
                    location: "result._meta", block: fixture.block("aii_second", passport: fixture.passport("aii_second")),
                    environment: logged, trust: ["surface": "mcp://tools.example.com"], blockName: kind
                )
                code = "identity.changed"
            default:
                entry = try fixture.server(
                    location: "result._meta", block: fixture.block("aii_good", passport: fixture.passport("aii_good")),
                    environment: logged, trust: ["surface": "mcp://elsewhere.example.com"]
                )
                code = "passport.surface_mismatch"
            }
            let report = try await host([kind], profile: try fixture.profile([kind: entry]))
            let error = try #require(report["initializeError"], "\(JSONSerializer.string(report))")
            #expect(error["code"] == -32001)
            #expect(error["message"]?.stringValue?.contains(code) == true, "\(error)")
            #expect(error["data"]?["gatehouse"]?["reasons"]?.arrayValue?.first?["code"] == .string(code))
            let methods = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(!methods.isEmpty, "the wrapper logged the handshake")
            let handshake: Set<String> = ["server/discover", "initialize", "notifications/initialized"]
            #expect(methods.allSatisfy { handshake.contains($0) }, "\(kind): upstream saw \(methods)")
        }
    }
}
