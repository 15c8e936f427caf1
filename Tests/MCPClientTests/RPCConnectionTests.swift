import MCPClient
import StrictJSON
import Locking
import TestSupport
import Testing

/// The connection's owner over an in-memory transport: the order of what it writes, and what its
/// callers see. No process and no Python.
@Suite(.timeLimit(.minutes(1)))
struct RPCConnectionTests {
    /// Plays the server: answers every request with `{"id": <its id>}` and records what arrived, in order.
    final class EchoServer: Sendable {
        let end: InMemoryTransport
        private struct Log {
            var messages: [JSONValue] = []
            var waiters: [(count: Int, waiter: CheckedContinuation<Void, Never>)] = []
        }

        private let log = Locked(Log())
        private let answering: Bool

        init(_ end: InMemoryTransport, answering: Bool = true) {
            self.end = end
            self.answering = answering
        }

        var messages: [JSONValue] { log.withLock { $0.messages } }

        /// Serves until the client's end closes.
        func serve() async {
            for await event in end.events {
                guard case .message(let message) = event else { continue }
                let ready = log.withLock { log in
                    log.messages.append(message)
                    let count = log.messages.count
                    defer { log.waiters.removeAll { $0.count <= count } }
                    return log.waiters.filter { $0.count <= count }.map(\.waiter)
                }
                for waiter in ready { waiter.resume() }
                if answering, let id = message["id"], message["method"] != nil {
                    try? end.deliver(["jsonrpc": "2.0", "id": id, "result": ["id": id]])
                }
            }
        }

        /// Waits until `count` messages have arrived.
        func waitFor(_ count: Int) async {
            await withCheckedContinuation { waiter in
                let arrived = log.withLock { log in
                    if log.messages.count < count { log.waiters.append((count, waiter)) }
                    return log.messages.count >= count
                }
                if arrived { waiter.resume() }
            }
        }
    }

    /// Runs `body` with a connection on one end of an in-memory pair and an ``EchoServer`` on the other.
    func connected(
        answering: Bool = true, _ body: (RPCConnection, InMemoryTransport, InMemoryTransport, EchoServer) async throws -> Void
    ) async throws {
        let (client, server) = InMemoryTransport.pair()
        let connection = RPCConnection.open(client, in: .forTests)
        let echo = EchoServer(server, answering: answering)
        async let serving: Void = echo.serve()
        try await body(connection, client, server, echo)
        await client.close()
        await serving
    }

    @Test("1000 concurrent requests are written in the order their ids were given, and each gets its own answer")
    func sendOrder() async throws {
        try await connected { connection, client, server, echo in
            let answers = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<1000 {
                    group.addTask {
                        let (result, _) = try await connection.request("tools/list", params: nil, options: RequestOptions(timeout: 30, maximum: 30))
                        return result["id"] != nil
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(answers == 1000)
            let ids = echo.messages.compactMap { $0["id"].flatMap(RequestID.init) }
            let numbers = ids.compactMap { id -> Int64? in if case .integer(let n) = id { n } else { nil } }
            #expect(numbers.count == 1000)
            #expect(numbers == numbers.sorted(), "the writer kept the order the ids were handed out in")
            #expect(Set(numbers).count == 1000)
        }
    }

    @Test("notifications/cancelled is written after its request, also when the caller is cancelled at once")
    func cancelAfterRequest() async throws {
        try await connected(answering: false) { connection, client, server, echo in
            for round in 0..<200 {
                let call = Task {
                    try await connection.request("tools/call", params: nil, options: RequestOptions(timeout: 30, maximum: 30))
                }
                if round % 2 == 0 { await Task.yield() }
                call.cancel()
                await #expect(throws: MCPClientError.self) { try await call.value }
            }
            await echo.waitFor(400)
            var requested = Set<JSONValue>()
            for message in echo.messages {
                if message["method"] == "tools/call", let id = message["id"] {
                    requested.insert(id)
                } else if message["method"] == "notifications/cancelled", let id = message["params"]?["requestId"] {
                    #expect(requested.contains(id), "notifications/cancelled for \(id) came before its request")
                }
            }
            #expect(requested.count == 200)
            #expect(client.abandoned.count == 200)
        }
    }

    @Test("a cancelled caller fails with call.cancelled and its late response is not counted as unknown")
    func cancelledCaller() async throws {
        try await connected(answering: false) { connection, client, server, echo in
            let call = Task { try await connection.request("tools/call", params: nil, options: RequestOptions(timeout: 30, maximum: 30)) }
            await echo.waitFor(1)
            call.cancel()
            do {
                _ = try await call.value
                Issue.record("the call succeeded")
            } catch let error as MCPClientError {
                #expect(error.code == .cancelled)
            }
            await echo.waitFor(2)
            try server.deliver(["jsonrpc": "2.0", "id": 1, "result": [:]])
            try server.deliver(["jsonrpc": "2.0", "id": 77, "result": [:]])
            // The ping is answered after both responses were read (one reader, in order).
            try server.deliver(["jsonrpc": "2.0", "id": "p", "method": "ping"])
            await echo.waitFor(3)
            #expect(echo.messages.last?["id"] == "p")
            #expect(await connection.unknownResponses == 1)
        }
    }

    @Test("a transport that closes fails every pending call at once with its closed code")
    func closeFailsPending() async throws {
        try await connected(answering: false) { connection, client, server, echo in
            let calls = (0..<5).map { _ in
                Task { try await connection.request("tools/call", params: nil, options: RequestOptions(timeout: 30, maximum: 30)) }
            }
            await echo.waitFor(5)
            server.hangUp(MCPClientError(.connectClosed, "the server exited with status 1"))
            for call in calls {
                do {
                    _ = try await call.value
                    Issue.record("a call succeeded")
                } catch let error as MCPClientError {
                    #expect(error.code == .serverExited)
                    #expect(error.message == "the server exited with status 1")
                }
            }
            #expect(connection.isClosed)
            await #expect(throws: MCPClientError.self) {
                try await connection.request("tools/list", params: nil, options: RequestOptions(timeout: 1, maximum: 1))
            }
        }
    }

    @Test("a request that times out fails with call.timeout and the server is told")
    func timeout() async throws {
        try await connected(answering: false) { connection, client, server, echo in
            let started = ContinuousClock.now
            do {
                _ = try await connection.request("tools/call", params: nil, options: RequestOptions(timeout: 0.2, maximum: 60))
                Issue.record("the call succeeded")
            } catch let error as MCPClientError {
                #expect(error.code == .callTimeout)
            }
            // Loose: the suite runs beside busy tests (20.8 s was seen under ThreadSanitizer); the maximum is 60 s.
            #expect(ContinuousClock.now - started < .seconds(45), "the timeout, not the maximum, ended it")
            await echo.waitFor(2)
            #expect(echo.messages.map { $0["method"] } == ["tools/call", "notifications/cancelled"])
        }
    }
}
