import Foundation
import MCPClient
import StrictJSON
import Locking
import TestSupport
import Testing

/// The client features against the mcp 2.3 server over stdio, in both eras.
@Suite(.timeLimit(.minutes(5)))
struct FeatureTests {
    static let eras: [ProtocolEra] = [.stateless, .legacy]

    func connect(
        _ era: ProtocolEra, environment: [String: String] = [:],
        input: @escaping @Sendable (InputRequest) async -> InputAnswer = MCPSession.declineInput
    ) async throws -> MCPSession {
        let specification = LaunchSpecification(
            command: try TestServers.python(), arguments: [TestServers.script("sdk_server.py"), "stdio"], environment: environment
        )
        let configuration = ServerConfiguration(transport: .stdio(specification), timeouts: Timeouts(connect: 20, call: 20), era: era)
        let session = try await MCPSession.connect(configuration, in: .forTests, eraCache: EraCache(), inputHandler: input)
        #expect(session.handshake.era == era)
        return session
    }

    func text(_ result: JSONValue) -> String? {
        result["content"]?.arrayValue?.first?["text"]?.stringValue
    }

    @Test("every page of tools/list is read", arguments: [ProtocolEra.stateless])
    func pagination(_ era: ProtocolEra) async throws {
        try await ServerSlots.run {
            let session = try await connect(era, environment: ["GATEHOUSE_BULK_TOOLS": "120", "GATEHOUSE_PAGE_SIZE": "25"])
            let tools = try await session.listTools()
            #expect(tools.filter { $0["name"]?.stringValue?.hasPrefix("bulk_") == true }.count == 120)
            #expect(Set(tools.compactMap { $0["name"]?.stringValue }).count == tools.count, "no page read twice")
            await session.close()
        }
    }

    @Test("isError, structuredContent and image results", arguments: eras)
    func results(_ era: ProtocolEra) async throws {
        try await ServerSlots.run {
            let session = try await connect(era)
            let failed = try await session.callTool("fail", arguments: ["reason": "boom"])
            #expect(failed["isError"] == true)
            #expect(text(failed)?.contains("boom") == true)
            let structured = try await session.callTool("structured", arguments: ["city": "Bergen"])
            #expect(structured["structuredContent"]?["city"] == "Bergen")
            #expect(structured["structuredContent"]?["celsius"]?.numberValue?.doubleValue == 21.5)
            let image = try await session.callTool("image")
            let block = try #require(image["content"]?.arrayValue?.first)
            #expect(block["type"] == "image")
            #expect(block["mimeType"] == "image/png")
            #expect(block["data"]?.stringValue.flatMap { Data(base64Encoded: $0) }?.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
            await session.close()
        }
    }

    @Test("resources, templates, resources/read and prompts/get", arguments: eras)
    func resourcesAndPrompts(_ era: ProtocolEra) async throws {
        try await ServerSlots.run {
            let session = try await connect(era)
            #expect(try await session.listResources().contains { $0["uri"] == "note://readme" })
            #expect(try await session.listResourceTemplates().contains { $0["uriTemplate"] == "note://{name}" })
            let readme = try await session.readResource("note://readme")
            #expect(readme["contents"]?.arrayValue?.first?["text"] == "Gatehouse test server readme.")
            let templated = try await session.readResource("note://ada")
            #expect(templated["contents"]?.arrayValue?.first?["text"] == "note ada")
            #expect(try await session.listPrompts().contains { $0["name"] == "greet" })
            let prompt = try await session.getPrompt("greet", arguments: ["name": "Ada"])
            #expect(prompt["messages"]?.arrayValue?.first?["content"]?["text"]?.stringValue?.contains("Ada") == true)
            await session.close()
        }
    }

    @Test("progress notifications arrive during a call", arguments: eras)
    func progress(_ era: ProtocolEra) async throws {
        try await ServerSlots.run {
            let session = try await connect(era)
            let seen = Locked<[Double]>([])
            let result = try await session.callTool("slow", arguments: ["seconds": 0.5]) { params in
                seen.withLock { $0.append(params["progress"]?.numberValue?.doubleValue ?? -1) }
            }
            #expect(text(result) == "slept 0.5")
            let values = seen.withLock { $0 }
            #expect(values.count >= 3, "\(values)")
            #expect(values == values.sorted())
            await session.close()
        }
    }

    @Test("a slow call is cancelled promptly and the session keeps working", arguments: eras)
    func cancellation(_ era: ProtocolEra) async throws {
        try await ServerSlots.run {
            let session = try await connect(era)
            let (progressed, progress) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
            let call = Task {
                try await session.callTool("slow", arguments: ["seconds": 30]) { _ in progress.yield() }
            }
            // The first progress notification says the server is running the call.
            var running = progressed.makeAsyncIterator()
            _ = await running.next()
            let clock = ContinuousClock.now
            call.cancel()
            await #expect(throws: MCPClientError.self) { try await call.value }
            do {
                _ = try await call.value
            } catch let error as MCPClientError {
                #expect(error.code == .cancelled)
            }
            #expect(ContinuousClock.now - clock < .seconds(2))
            #expect(text(try await session.callTool("echo", arguments: ["text": "still here"])) == "still here")
            await session.close()
        }
    }

    @Test("an elicitation round trip (legacy server request, modern MRTR)", arguments: eras)
    func elicitation(_ era: ProtocolEra) async throws {
        try await ServerSlots.run {
            let asked = Locked<[String]>([])
            let session = try await connect(era) { request in
                asked.withLock { $0.append(request.method) }
                #expect(request.params?["message"] == "What is your name?")
                return .result(["action": "accept", "content": ["name": "Ada"]])
            }
            let result = try await session.callTool("ask_name")
            #expect(text(result) == "hello Ada", "\(JSONSerializer.string(result))")
            #expect(asked.withLock { $0 } == ["elicitation/create"])
            await session.close()
        }
    }

    @Test("a list-changed notification is delivered", arguments: eras)
    func listChanged(_ era: ProtocolEra) async throws {
        try await ServerSlots.run {
            let session = try await connect(era)
            let (acknowledged, acknowledgement) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
            let waiter = Task {
                for await notification in session.connection.notifications {
                    if notification.method == "notifications/subscriptions/acknowledged" { acknowledgement.yield() }
                    if notification.method == "notifications/tools/list_changed" { return true }
                }
                return false
            }
            await session.listenForListChanges()
            if era == .stateless {
                // The server has taken the subscription once it acknowledges it (the legacy era needs none).
                var listening = acknowledged.makeAsyncIterator()
                _ = await listening.next()
            }
            #expect(text(try await session.callTool("change_tools")) == "changed")
            let timeout = Task {
                try await Task.sleep(for: .seconds(5))
                waiter.cancel()
            }
            #expect(await waiter.value)
            timeout.cancel()
            #expect(try await session.listTools().contains { $0["name"] == "added" })
            await session.close()
        }
    }
}
