import Foundation
import StrictJSON
import TestSupport
import Testing

/// `gatehouse proxy SERVER` with a real MCP host downstream (the official SDK's ClientSession over stdio)
/// and real servers upstream: a verified server's tools pass, with progress; a quarantined one is refused
/// with -32001 (or, with --on-reject empty, shows nothing); calls of tools that are not listed are -32602.
@Suite(.timeLimit(.minutes(3)))
struct ProxyTests {
    let fixture: IdentityFixture
    let profile: String

    init() throws {
        fixture = try IdentityFixture()
        profile = try fixture.profile([
            "good": try fixture.server(location: "result._meta", block: fixture.block("aii_good", passport: fixture.passport("aii_good"))),
            "plain": try fixture.server(location: "none", block: nil),
        ])
    }

    /// Runs the SDK client against `gatehouse proxy ARGUMENTS…`; returns its report.
    func host(_ arguments: [String], tool: String = "echo", toolArguments: JSONValue = ["text": "through the proxy"]) async throws -> JSONValue {
        let command = [try Repository.gatehouseBinary(), "proxy", "--profile", profile, "--trust-store", fixture.directory + "/trust.json"] + arguments
        let output = try await ChildProcess.run(
            try TestServers.python(), [Repository.root + "/Tests/Scripts/proxy_client.py", tool, JSONSerializer.string(toolArguments), "--"] + command,
            timeout: 120
        )
        #expect(output.status == 0, "\(output.stderr)")
        return try JSONParser().parse(output.stdout)
    }

    @Test("a verified server: its tools, a call, progress, and -32602 for a tool that is not listed")
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
}
