public import MCPClient
public import StrictJSON
import Locking

/// One end of a pair of in-memory transports: what one end sends arrives, in order, as a `.message`
/// event at the other. Tests put an ``RPCConnection`` on one end and play the server on the other, with
/// no process, socket or Python.
public final class InMemoryTransport: MessageTransport {
    private struct State {
        weak var peer: InMemoryTransport?
        var sent: [JSONValue] = []
        var abandoned: [RequestID] = []
        var closed = false
    }

    /// What arrives from the other end, ending with `.closed` when either end closes.
    public let events: AsyncStream<TransportEvent>
    private let sink: AsyncStream<TransportEvent>.Continuation
    private let state = Locked(State())

    private init() {
        (events, sink) = AsyncStream.makeStream(of: TransportEvent.self, bufferingPolicy: .unbounded)
    }

    /// Two connected ends.
    public static func pair() -> (client: InMemoryTransport, server: InMemoryTransport) {
        let client = InMemoryTransport()
        let server = InMemoryTransport()
        client.state.withLock { $0.peer = server }
        server.state.withLock { $0.peer = client }
        return (client, server)
    }

    /// Everything this end has sent, in order.
    public var sent: [JSONValue] { state.withLock { $0.sent } }

    /// The request ids this end was told to abandon, in order.
    public var abandoned: [RequestID] { state.withLock { $0.abandoned } }

    /// Delivers `message` to the other end.
    /// - Throws: ``MCPClientError`` `connect.closed` once either end has closed.
    @discardableResult
    public func send(_ message: JSONValue, options: SendOptions) async throws -> SendReceipt {
        try deliver(message)
        return .none
    }

    /// ``send(_:options:)`` without the suspension, for a test playing the server from synchronous code.
    public func deliver(_ message: JSONValue) throws(MCPClientError) {
        let peer = try state.withLock { state throws(MCPClientError) -> InMemoryTransport? in
            guard !state.closed else { throw MCPClientError(.connectClosed, "the in-memory transport is closed") }
            state.sent.append(message)
            return state.peer
        }
        peer?.sink.yield(.message(message))
    }

    /// Injects an event at this end, as a transport would report it (a skipped line, a failed request).
    public func inject(_ event: TransportEvent) {
        sink.yield(event)
    }

    public func abandon(_ requestID: RequestID) async {
        state.withLock { $0.abandoned.append(requestID) }
    }

    public func negotiated(version: String, modern: Bool) async {}

    /// Closes both ends: each reports `.closed` with `error` and finishes.
    public func close() async {
        hangUp(MCPClientError(.connectClosed, "the in-memory transport was closed"))
    }

    /// Closes both ends with `error` (the server "exits").
    public func hangUp(_ error: MCPClientError) {
        let peer = state.withLock { state -> InMemoryTransport? in
            state.closed = true
            return state.peer
        }
        finish(error)
        peer?.state.withLock { $0.closed = true }
        peer?.finish(error)
    }

    private func finish(_ error: MCPClientError) {
        sink.yield(.closed(error))
        sink.finish()
    }
}

extension TaskNursery {
    /// One nursery for the whole test process, run by a task of its own: the tests' sessions and
    /// connections do their work in it (each test closes what it opened).
    public static let forTests: TaskNursery = {
        let nursery = TaskNursery()
        Task { await nursery.run() }
        return nursery
    }()
}
