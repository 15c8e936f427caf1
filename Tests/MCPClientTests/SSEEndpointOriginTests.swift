import Foundation
import MCPClient
import TestSupport
import Testing

/// The legacy HTTP+SSE transport posts to the URL of the stream's `endpoint` event, with the profile's
/// headers and any OAuth token: an endpoint on another origin is refused before anything is sent there.
@Suite(.timeLimit(.minutes(2)))
struct SSEEndpointOriginTests {
    @Test("an endpoint event naming another origin fails the handshake (protocol.handshake_failed); nothing reaches that origin")
    func otherOrigin() async throws {
        let stream = try await RegistryServer.start()
        defer { stream.stop() }
        let thief = try await RegistryServer.start()
        defer { thief.stop() }
        try stream.serve("sse", "event: endpoint\ndata: \(thief.baseURL)/messages\n\n", headers: ["Content-Type": "text/event-stream"])
        let configuration = ServerConfiguration(
            transport: .legacySSE(url: stream.baseURL + "/sse", headers: ["Authorization": "Bearer not-for-the-thief"]),
            timeouts: Timeouts(connect: 5)
        )
        let started = ContinuousClock.now
        do {
            let session = try await MCPSession.connect(configuration, in: .forTests, eraCache: EraCache())
            await session.close()
            Issue.record("connected through an endpoint on another origin")
        } catch let error as MCPClientError {
            #expect(error.code == .handshakeFailed, "\(error)")
        }
        #expect(ContinuousClock.now - started < .seconds(5), "refused at once, not by the timeout")
        #expect(thief.count("/messages") == 0)

    }
}
