import Foundation
import Locking
import MCPClient
import StrictJSON
import TestSupport
import Testing

/// The nursery every connection's work runs in, and the connection's one timer: no Python, no process.
@Suite(.timeLimit(.minutes(1)))
struct TaskNurseryTests {
    /// Records what a child saw, for the assertions after the nursery ended.
    final class Record: Sendable {
        private let events = Locked<[String]>([])
        func add(_ event: String) { events.withLock { $0.append(event) } }
        var all: [String] { events.withLock { $0 } }
    }

    @Test("work started from a plain thread runs as a child; close cancels it and run returns only after it ended")
    func closeCancelsAndWaits() async throws {
        let nursery = TaskNursery()
        let record = Record()
        let started = Locked(false)
        let thread = Thread {
            nursery.start {
                started.withLock { $0 = true }
                try? await Task.sleep(for: .seconds(60))
                record.add(Task.isCancelled ? "cancelled" : "slept")
            }
        }
        thread.start()
        async let running: Void = nursery.run()
        while !started.withLock({ $0 }) { await Task.yield() }
        let closing = ContinuousClock.now
        nursery.close()
        await running
        #expect(record.all == ["cancelled"], "the child ended, cancelled, before run() returned")
        #expect(ContinuousClock.now - closing < .seconds(30), "not the child's 60 s sleep")
        #expect(!nursery.start { record.add("late") }, "a closed nursery takes no work")
        #expect(record.all == ["cancelled"])
    }

    @Test("withNursery returns after its children have ended, and its body's error comes through")
    func scoped() async throws {
        let record = Record()
        struct Planted: Error {}
        await #expect(throws: Planted.self) {
            try await TaskNursery.withNursery { nursery in
                nursery.start {
                    try? await Task.sleep(for: .seconds(60))
                    record.add("ended")
                }
                throw Planted()
            }
        }
        #expect(record.all == ["ended"])
    }

    @Test("a connection in a closed nursery is closed at once: its request fails with connect.closed, no hang")
    func closedNursery() async throws {
        let nursery = TaskNursery()
        nursery.close()
        let (client, _) = InMemoryTransport.pair()
        let connection = RPCConnection.open(client, in: nursery)
        await #expect(throws: MCPClientError.self) {
            _ = try await connection.request("tools/list", params: nil, options: RequestOptions(timeout: 30, maximum: 30))
        }
        await client.close()
    }

    @Test("an earlier deadline wakes the timer: a 0.2 s request times out while a 60 s one is pending")
    func earlierDeadlineWakesTimer() async throws {
        let (client, server) = InMemoryTransport.pair()
        try await TaskNursery.withNursery { nursery in
            let connection = RPCConnection.open(client, in: nursery)
            async let long = Result { try await connection.request("tools/call", params: nil, options: RequestOptions(timeout: 60, maximum: 60)) }
            var events = server.events.makeAsyncIterator()
            _ = await events.next()  // the long request is on the wire, so its deadline is armed first
            let started = ContinuousClock.now
            do {
                _ = try await connection.request("tools/list", params: nil, options: RequestOptions(timeout: 0.2, maximum: 0.2))
                Issue.record("the short request succeeded")
            } catch let error as MCPClientError {
                #expect(error.code == .callTimeout)
            }
            #expect(ContinuousClock.now - started < .seconds(20), "woken for its own deadline, not the 60 s one")
            await client.close()
            let longOutcome = await long
            #expect(throws: MCPClientError.self) { try longOutcome.get() }
        }
    }

    @Test("the timer keeps working after many deadlines: 20 requests each time out in turn")
    func timerRearms() async throws {
        let (client, server) = InMemoryTransport.pair()
        _ = server
        try await TaskNursery.withNursery { nursery in
            let connection = RPCConnection.open(client, in: nursery)
            for index in 0..<20 {
                do {
                    _ = try await connection.request("tools/list", params: nil, options: RequestOptions(timeout: 0.02, maximum: 0.02))
                    Issue.record("request \(index) succeeded")
                } catch let error as MCPClientError {
                    #expect(error.code == .callTimeout)
                }
            }
            await client.close()
        }
    }
}

extension Result where Failure == any Error {
    /// Catches what `body` throws.
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
