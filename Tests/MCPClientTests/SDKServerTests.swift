import Foundation
import MCPClient
import StrictJSON
import TestSupport
import Testing

/// Both eras against real servers built with the official Python SDK, over real pipes and loopback HTTP.
@Suite(.timeLimit(.minutes(5)))
struct SDKServerTests {
    func stdio(legacy: Bool = false, era: ProtocolEra? = nil, environment: [String: String] = [:]) throws -> ServerConfiguration {
        let specification = LaunchSpecification(
            command: try TestServers.python(legacy: legacy), arguments: [TestServers.script("sdk_server.py"), "stdio"],
            environment: environment
        )
        return ServerConfiguration(transport: .stdio(specification), timeouts: Timeouts(connect: 20, call: 20), era: era)
    }

    /// Handshake, era, version, raw server info, a listed tool and a checked call.
    func exercise(_ configuration: ServerConfiguration, era: ProtocolEra, version: String, serverInfoIn path: [String]) async throws {
        let session = try await MCPSession.connect(configuration, in: .forTests, eraCache: EraCache())
        defer { Task { await session.close() } }
        #expect(session.handshake.era == era)
        #expect(session.handshake.protocolVersion == version)
        var value: JSONValue? = session.handshake.result
        for key in path { value = value?[key] }
        #expect(value?["name"] == "gatehouse-test-server", "raw handshake: \(JSONSerializer.string(session.handshake.result))")
        let tools = try await session.listTools()
        #expect(tools.contains { $0["name"] == "echo" })
        let result = try await session.callTool("add", arguments: ["a": 2, "b": 40])
        #expect(result["content"]?.arrayValue?.first?["text"] == "42")
        #expect(result["isError"] != true)
        await session.close()
    }

    @Test("mcp 2.3 over stdio, modern era")
    func modernStdio() async throws {
        try await ServerSlots.run {
            try await exercise(try stdio(), era: .stateless, version: "2026-07-28",
                               serverInfoIn: ["_meta", "io.modelcontextprotocol/serverInfo"])
        }
    }

    @Test("mcp 2.3 over stdio, forced to legacy")
    func forcedLegacyStdio() async throws {
        try await ServerSlots.run {
            try await exercise(try stdio(era: .legacy), era: .legacy, version: "2025-11-25", serverInfoIn: ["serverInfo"])
        }
    }

    @Test("mcp 1.30 over stdio: the probe falls back to initialize")
    func legacyStdio() async throws {
        try await ServerSlots.run {
            try await exercise(try stdio(legacy: true), era: .legacy, version: "2025-11-25", serverInfoIn: ["serverInfo"])
        }
    }

    @Test("mcp-server-time over stdio: a real third-party server")
    func timeServer() async throws {
        try await ServerSlots.run {
            let specification = LaunchSpecification(
                command: try TestServers.python(), arguments: ["-m", "mcp_server_time", "--local-timezone", "UTC"]
            )
            let session = try await MCPSession.connect(ServerConfiguration(transport: .stdio(specification)), in: .forTests, eraCache: EraCache())
            #expect(session.handshake.era == .stateless, "mcp-server-time is built on mcp ≥ 2.3, which speaks 2026-07-28")
            #expect(session.handshake.protocolVersion == "2026-07-28")
            #expect(session.handshake.result["_meta"]?["io.modelcontextprotocol/serverInfo"]?["name"] == "mcp-time")
            let tools = try await session.listTools()
            #expect(tools.contains { $0["name"] == "get_current_time" })
            let result = try await session.callTool("get_current_time", arguments: ["timezone": "UTC"])
            let text = result["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
            #expect(text.contains("\"timezone\": \"UTC\"") || text.contains("\"timezone\":\"UTC\""), "\(text)")
            #expect(result["isError"] != true)
            await session.close()
        }
    }
}

/// The same over HTTP: Streamable HTTP in both eras and the deprecated HTTP+SSE transport.
@Suite(.timeLimit(.minutes(5)))
struct SDKHTTPServerTests {
    func server(legacy: Bool = false, mode: String = "http", json: Bool = false) async throws -> ServerProcess {
        var arguments = [TestServers.script("sdk_server.py"), mode, "{port}"]
        if json { arguments.append("json") }
        return try await ServerProcess.start(try TestServers.python(legacy: legacy), arguments)
    }

    func exercise(_ configuration: ServerConfiguration, era: ProtocolEra, version: String, transport: String) async throws {
        let session = try await MCPSession.connect(configuration, in: .forTests, eraCache: EraCache())
        #expect(session.handshake.era == era)
        #expect(session.handshake.protocolVersion == version)
        #expect(session.handshake.transport == transport)
        #expect(session.handshake.serverInfo?["name"] == "gatehouse-test-server", "\(JSONSerializer.string(session.handshake.result))")
        #expect(!session.handshake.headers.isEmpty, "the handshake's HTTP headers are kept")
        let tools = try await session.listTools()
        #expect(tools.contains { $0["name"] == "echo" })
        let result = try await session.callTool("echo", arguments: ["text": "über"])
        #expect(result["content"]?.arrayValue?.first?["text"] == "über")
        await session.close()
    }

    @Test("mcp 2.3 over Streamable HTTP, modern era (SSE responses)")
    func modernHTTP() async throws {
        try await ServerSlots.run {
            let process = try await server()
            let configuration = ServerConfiguration(transport: .streamableHTTP(url: "http://127.0.0.1:\(process.port)/mcp", headers: [:]))
            try await exercise(configuration, era: .stateless, version: "2026-07-28", transport: "streamable-http")
        }
    }

    @Test("mcp 2.3 over Streamable HTTP with JSON responses, forced to legacy")
    func legacyHTTPOnModernServer() async throws {
        try await ServerSlots.run {
            let process = try await server(json: true)
            let configuration = ServerConfiguration(
                transport: .streamableHTTP(url: "http://127.0.0.1:\(process.port)/mcp", headers: [:]), era: .legacy
            )
            try await exercise(configuration, era: .legacy, version: "2025-11-25", transport: "streamable-http")
        }
    }

    @Test("mcp 1.30 over Streamable HTTP: the probe's 400 falls back to initialize with a session")
    func legacyHTTP() async throws {
        try await ServerSlots.run {
            let process = try await server(legacy: true)
            let configuration = ServerConfiguration(transport: .streamableHTTP(url: "http://127.0.0.1:\(process.port)/mcp", headers: [:]))
            try await exercise(configuration, era: .legacy, version: "2025-11-25", transport: "streamable-http")
        }
    }

    @Test("mcp 1.30 over the deprecated HTTP+SSE transport")
    func legacySSE() async throws {
        try await ServerSlots.run {
            let process = try await server(legacy: true, mode: "sse")
            let configuration = ServerConfiguration(transport: .legacySSE(url: "http://127.0.0.1:\(process.port)/sse", headers: [:]))
            try await exercise(configuration, era: .legacy, version: "2025-11-25", transport: "sse")
        }
    }
}
