import Foundation
import MCPClient
import StrictJSON
import TestSupport
import Testing

/// Servers that break the protocol are contained: coded errors, no hang, no effect on a healthy neighbour.
@Suite(.timeLimit(.minutes(5)))
struct MisbehavingServerTests {
    func misbehaving(_ mode: String, connect: Double = 20, call: Double = 30) throws -> ServerConfiguration {
        let specification = LaunchSpecification(
            command: try TestServers.python(), arguments: [TestServers.script("misbehaving_server.py"), mode]
        )
        return ServerConfiguration(transport: .stdio(specification), timeouts: Timeouts(connect: connect, call: call))
    }

    func healthy() async throws -> MCPSession {
        let specification = LaunchSpecification(
            command: try TestServers.python(), arguments: [TestServers.script("sdk_server.py"), "stdio"]
        )
        return try await MCPSession.connect(ServerConfiguration(transport: .stdio(specification)), in: .forTests, eraCache: EraCache())
    }

    func expectHealthy(_ session: MCPSession) async throws {
        let result = try await session.callTool("echo", arguments: ["text": "ok"])
        #expect(result["content"]?.arrayValue?.first?["text"] == "ok")
    }

    func code(of operation: () async throws -> Void) async -> MCPClientError.Code? {
        do {
            try await operation()
            return nil
        } catch let error as MCPClientError {
            return error.code
        } catch {
            return nil
        }
    }

    @Test("a server that never answers the handshake fails with connect.timeout within the configured time")
    func silent() async throws {
        try await ServerSlots.run {
            let neighbour = try await healthy()
            let started = ContinuousClock.now
            let failure = await code { _ = try await MCPSession.connect(try misbehaving("silent", connect: 2), in: .forTests, eraCache: EraCache()) }
            let elapsed = ContinuousClock.now - started
            #expect(failure == .connectTimeout)
            #expect(elapsed < .seconds(4), "\(elapsed)")
            #expect(elapsed >= .seconds(1.9))
            try await expectHealthy(neighbour)
            await neighbour.close()
        }
    }

    @Test("a reply nested 1 000 deep fails its call at once with protocol.invalid_message, not at the timeout")
    func tooDeep() async throws {
        try await ServerSlots.run {
            let session = try await MCPSession.connect(try misbehaving("deep", call: 30), in: .forTests, eraCache: EraCache())
            let started = ContinuousClock.now
            let failure = await code { _ = try await session.callTool("echo", arguments: ["text": "x"]) }
            #expect(failure == .invalidMessage)
            #expect(ContinuousClock.now - started < .seconds(5), "failed at once, not after the 30 s call timeout")
            #expect(await session.connection.skippedLines == 1)
            await session.close()
        }
    }

    @Test("the top-level id of an unparsable response is read without parsing the rest", arguments: [
        (#"{"jsonrpc":"2.0","id":7,"result":[[[]]]}"#, "7"), (#"{"id" : "a\"b" , "result":{"x":[1,{"y":"}"}]}}"#, #""a"b""#),
        (#"{"result":[[]],"id":12}"#, "12"), (#"{"method":"x","id":3,"params":[[]]}"#, "none"), (#"[1,2]"#, "none"),
        (#"{"jsonrpc":"2.0","result":[]}"#, "none"), (#"{"id":1.5}"#, "none"), (#"{"id":"#, "none"),
    ])
    func unparsedID(_ text: String, _ expected: String) {
        #expect(UnparsedResponse.id(in: Array(text.utf8))?.description ?? "none" == expected)
    }

    @Test("a server that exits mid-call fails the pending call at once, well under the call timeout")
    func exitMidCall() async throws {
        try await ServerSlots.run {
            let neighbour = try await healthy()
            let session = try await MCPSession.connect(try misbehaving("exit-mid-call", call: 30), in: .forTests, eraCache: EraCache())
            #expect(session.handshake.era == .legacy)
            let started = ContinuousClock.now
            let failure = await code { _ = try await session.callTool("echo", arguments: ["text": "x"]) }
            #expect(failure == .serverExited)
            #expect(ContinuousClock.now - started < .seconds(3))
            #expect(await code { _ = try await session.listTools() } == .serverExited, "later calls fail at once too")
            try await expectHealthy(neighbour)
            await neighbour.close()
        }
    }

    @Test("non-JSON lines between valid ones are skipped and counted; the server keeps working")
    func noisy() async throws {
        try await ServerSlots.run {
            let session = try await MCPSession.connect(try misbehaving("noisy"), in: .forTests, eraCache: EraCache())
            #expect(try await session.listTools().count == 1)
            let result = try await session.callTool("echo", arguments: ["text": "through the noise"])
            #expect(result["content"]?.arrayValue?.first?["text"] == "through the noise")
            #expect(await session.connection.skippedLines == 4)
            #expect(await session.connection.unknownResponses == 1, "a response to an id never sent is counted and ignored")
            #expect(await session.connection.recentSkipped.first?.contains("not JSON") == true)
            await session.close()
        }
    }

    @Test("20 MiB without a newline is cut off with protocol.frame_too_large and bounded memory")
    func flood() async throws {
        try await ServerSlots.run {
            let neighbour = try await healthy()
            let started = ContinuousClock.now
            let session = try await MCPSession.connect(try misbehaving("flood", call: 60), in: .forTests, eraCache: EraCache())
            let failure = await code { _ = try await session.listTools() }
            #expect(failure == .frameTooLarge)
            #expect(ContinuousClock.now - started < .seconds(20), "reported when the cap is passed, not at the timeout")
            try await expectHealthy(neighbour)
            await neighbour.close()
        }
    }

    @Test("an HTTP server answering 500 or garbage gives a connect.* or protocol.* error, not a hang",
          arguments: ["http500", "httpgarbage"])
    func brokenHTTP(_ mode: String) async throws {
        try await ServerSlots.run {
            let neighbour = try await healthy()
            let server = try await ServerProcess.start(
                try TestServers.python(), [TestServers.script("misbehaving_server.py"), mode, "{port}"]
            )
            let configuration = ServerConfiguration(
                transport: .streamableHTTP(url: "http://127.0.0.1:\(server.port)/mcp", headers: [:]), timeouts: Timeouts(connect: 10)
            )
            let started = ContinuousClock.now
            let failure = await code { _ = try await MCPSession.connect(configuration, in: .forTests, eraCache: EraCache()) }
            #expect(failure.map { $0.rawValue.hasPrefix("connect.") || $0.rawValue.hasPrefix("protocol.") } == true, "\(String(describing: failure))")
            #expect(ContinuousClock.now - started < .seconds(5))
            try await expectHealthy(neighbour)
            await neighbour.close()
        }
    }

    @Test("a command that does not exist fails with connect.spawn_failed")
    func spawnFailed() async throws {
        try await ServerSlots.run {
            let configuration = ServerConfiguration(transport: .stdio(LaunchSpecification(command: "gatehouse-no-such-server")))
            #expect(await code { _ = try await MCPSession.connect(configuration, in: .forTests, eraCache: EraCache()) } == .spawnFailed)
        }
    }
}
