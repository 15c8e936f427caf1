public import StrictJSON
import Locking

/// The JSON-RPC engine over one transport: ids never reused, per-request timeouts with a hard maximum,
/// cancellation with late responses ignored, progress and notifications delivered, server requests
/// answered through a handler, and every pending request failed at once when the transport closes.
///
/// The decisions are ``RPCEngine``'s, a state machine without I/O; this owner feeds it events under one
/// mutex and performs its actions. Its work runs in ``run(writing:)``, one child of the caller's
/// ``TaskNursery``, as three children of its own: one reader (transport events, with the answers to server
/// requests as its child tasks; on stdio the transport's thread feeds the engine itself, so a response
/// resumes its caller from there, and the reader only runs the answers), one timer (asleep until the
/// earliest deadline, woken early by an earlier one: ``TimerArming``), and one writer that sends in the
/// order messages were queued — a request before its `notifications/cancelled`. When the transport closes
/// the timer and the answers are cancelled, and the writer finishes what was queued and ends. Calls do not
/// hop onto the actor: only the rarely read counters and the handler setter are isolated (which keeps the
/// API of the actor this was).
public actor RPCConnection {
    /// Answers a server-initiated request (legacy era): a result, or a JSON-RPC error.
    public typealias RequestHandler = @Sendable (String, JSONValue?) async -> Result<JSONValue, RPCErrorObject>
    typealias Waiter = CheckedContinuation<(JSONValue, SendReceipt), any Error>

    struct State {
        var engine = RPCEngine(abandonedLimit: RPCConnection.abandonedLimit)
        /// The caller of each request in flight, registered in the lock section that sends the request, so no
        /// outcome can come before its waiter.
        var waiting: [RequestID: Waiter] = [:]
        var handler: RequestHandler?
        /// On an inline transport: the messages to write, in the order the engine produced them, and
        /// whether a thread is writing them (``RPCConnection/flush()``).
        var unwritten: [Outbound] = []
        var writing = false
    }

    /// A server request to answer, with the handler set when it arrived.
    struct Answer: Sendable {
        let id: RequestID
        let method: String
        let params: JSONValue?
        let handler: RequestHandler?
    }

    /// What runs after the lock is released, in order.
    private enum Effect {
        case resume(Waiter, RPCEngine.Outcome)
        case progress(@Sendable (JSONValue) -> Void, JSONValue)
        case answer(Answer)
    }

    let transport: any MessageTransport
    /// The transport when it takes messages at once (stdio): then messages are queued under the lock, in
    /// order, and written right after it by the thread that queued them (or the one already writing), with
    /// no hand-off to the writer task and no lock held across the write.
    private nonisolated let inline: (any SendsInline)?
    nonisolated let state = Locked(State())
    private nonisolated let sink: AsyncStream<ServerNotification>.Continuation
    nonisolated let outbound: AsyncStream<Outbound>.Continuation
    private nonisolated let timer = TimerArming()
    /// Notifications from the server, in order; finishes when the transport closes.
    public nonisolated let notifications: AsyncStream<ServerNotification>
    /// How many ids of abandoned requests are remembered (their late responses are ignored, not counted).
    static let abandonedLimit = 1024
    /// What is pending, and what is asked, once the connection's nursery has closed.
    static let shuttingDown = MCPClientError(.connectClosed, "the client is shutting down")

    /// Opens the engine over `transport`; its reader, timer and writer run as one child of `nursery` until the
    /// transport closes. A closed nursery starts nothing: the connection is closed at once (`connect.closed`).
    public static func open(_ transport: any MessageTransport, in nursery: TaskNursery) -> RPCConnection {
        let (items, outbound) = AsyncStream.makeStream(of: Outbound.self, bufferingPolicy: .unbounded)
        let connection = RPCConnection(transport: transport, outbound: outbound)
        if !nursery.start({ await connection.run(writing: items) }) {
            connection.handle { $0.transportClosed(shuttingDown) }
        }
        return connection
    }

    private init(transport: any MessageTransport, outbound: AsyncStream<Outbound>.Continuation) {
        self.transport = transport
        self.inline = transport as? any SendsInline
        self.outbound = outbound
        // Bounded: a one-shot command reads no notifications, and a flood must not grow without limit.
        (notifications, sink) = AsyncStream.makeStream(of: ServerNotification.self, bufferingPolicy: .bufferingNewest(4096))
    }

    /// The connection's work: the writer, and the reader with the timer beside it until the transport
    /// closes. Cancelled (its nursery closed first), it closes the transport, which fails what is pending.
    private nonisolated func run(writing items: AsyncStream<Outbound>) async {
        await withDiscardingTaskGroup { group in
            group.addTask { [transport] in
                await OutboundWriter.run(items, transport: transport) { [weak self] id, error in
                    self?.handle { $0.sendFailed(id, error) }
                }
            }
            await withDiscardingTaskGroup { timers in
                timers.addTask { await self.runTimer() }
                await read()
                timers.cancelAll()
            }
            if Task.isCancelled {
                await transport.close()
                handle { $0.transportClosed(Self.shuttingDown) }
            }
        }
    }

    /// Sends a request and waits for its result.
    /// - Throws: ``MCPClientError``: `rpc.error` for a JSON-RPC error, or a timeout, cancellation or closed code.
    public nonisolated func request(_ method: String, params: JSONValue?, options: RequestOptions) async throws -> (JSONValue, SendReceipt) {
        // One lock section gives the id, sends (or queues for the writer) and registers the waiter, so ids
        // go out in order and a fast response never finds the lock held by its own request's second step.
        let sent = Locked<RequestID?>(nil)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: Waiter) in
                let now = ContinuousClock.now
                let (effects, failure) = state.withLock { state -> ([Effect], MCPClientError?) in
                    let id = state.engine.allocateID(options.id)
                    switch state.engine.send(method, params: params, id: id, options: options, at: now) {
                    case .failure(let error): return ([], error)
                    case .success(let actions):
                        if let earlier = state.waiting.updateValue(continuation, forKey: id) {
                            earlier.resume(throwing: MCPClientError(.cancelled, "request id \(id) was reused"))
                        }
                        sent.withLock { $0 = id }
                        return (perform(actions, state: &state), nil)
                    }
                }
                if let failure { return continuation.resume(throwing: failure) }
                run(effects)
                // Cancelled before the id existed: the handler below found nothing to cancel.
                if Task.isCancelled, let id = sent.withLock({ $0 }) { cancelNow(id, reason: "cancelled by the client") }
            }
        } onCancel: {
            if let id = sent.withLock({ $0 }) { cancelNow(id, reason: "cancelled by the client") }
        }
    }

    /// Sends a notification, after every message queued before it.
    public nonisolated func notify(_ method: String, params: JSONValue?) async throws {
        let message = JSONRPCMessage.makeNotification(method: method, params: params)
        let options = SendOptions(method: method)
        let queued = try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Bool, any Error>) in
            var item = Outbound(message, options: options)
            item.waiter = waiter
            let accepted = state.withLock { state -> Bool in
                guard !state.engine.isClosed else { return false }
                if inline != nil {
                    state.unwritten.append(item)
                    return true
                }
                guard case .enqueued = outbound.yield(item) else { return false }
                return true
            }
            if !accepted { return waiter.resume(returning: false) }
            flush()
        }
        // Once closed there is no order to keep: the transport says why it cannot send.
        if !queued { _ = try await transport.send(message, options: options) }
    }

    /// Cancels an in-flight request: it fails with `call.cancelled`, the server is told, a late response is ignored.
    public nonisolated func cancel(_ id: RequestID, reason: String) async {
        cancelNow(id, reason: reason)
    }

    private nonisolated func cancelNow(_ id: RequestID, reason: String) {
        handle { $0.cancel(id, reason: reason) }
    }

    /// The error a request fails with when its message could not be sent or its response can no longer
    /// arrive. Both paths meet the same transport failure (which one comes first depends on scheduling), so
    /// both map it here: `protocol.*` codes and the specific `connect.*` codes stay as they are; a plain
    /// `connect.closed` becomes the request's own closed code (`call.server_exited` for a call).
    static func failure(_ error: MCPClientError, options: RequestOptions) -> MCPClientError {
        guard error.code == .connectClosed, options.closedCode != .connectClosed else { return error }
        return MCPClientError(options.closedCode, error.message, rpcError: error.rpcError, httpStatus: error.httpStatus)
    }

    /// Feeds one event to the engine and performs its actions; returns the server requests to answer.
    @discardableResult
    nonisolated func handle(_ event: (inout RPCEngine) -> [RPCEngine.Action]) -> [Answer] {
        let effects = state.withLock { state in perform(event(&state.engine), state: &state) }
        return run(effects)
    }

    /// Performs under the lock what must keep its order (writes, deliveries, the timer); returns the rest.
    private nonisolated func perform(_ actions: [RPCEngine.Action], state: inout State) -> [Effect] {
        var effects: [Effect] = []
        for action in actions {
            switch action {
            case .write(let item):
                guard inline != nil else {
                    outbound.yield(item)
                    continue
                }
                guard case .message = item.kind else { continue }  // abandon: nothing to do on stdio
                state.unwritten.append(item)
            case .deliver(let notification): sink.yield(notification)
            case .resume(let id, let outcome):
                if let waiter = state.waiting.removeValue(forKey: id) { effects.append(.resume(waiter, outcome)) }
            case .progress(let handler, let params): effects.append(.progress(handler, params))
            case .answer(let id, let method, let params):
                effects.append(.answer(Answer(id: id, method: method, params: params, handler: state.handler)))
            case .armTimer(let instant): timer.arm(instant)
            case .finish:
                sink.finish()
                outbound.finish()
            }
        }
        return effects
    }

    /// Writes what the lock section queued, then performs the rest.
    @discardableResult
    private nonisolated func run(_ effects: [Effect]) -> [Answer] {
        var answers = flush()
        for effect in effects {
            switch effect {
            case .resume(let waiter, let outcome): waiter.resume(with: outcome)
            case .progress(let handler, let params): handler(params)
            case .answer(let answer): answers.append(answer)
            }
        }
        return answers
    }

    /// On an inline transport, writes the queued messages in order, outside the lock — unless another
    /// thread is writing them already (it takes what was queued meanwhile before it stops). A failed write
    /// fails its request (or its notification's caller).
    @discardableResult
    private nonisolated func flush() -> [Answer] {
        guard let inline else { return [] }
        var answers: [Answer] = []
        var starting = true
        while true {
            let batch = state.withLock { state -> [Outbound] in
                guard starting ? !state.writing : state.writing else { return [] }
                guard !state.unwritten.isEmpty else {
                    state.writing = false
                    return []
                }
                state.writing = true
                defer { state.unwritten.removeAll(keepingCapacity: true) }
                return state.unwritten
            }
            starting = false
            guard !batch.isEmpty else { return answers }
            for item in batch {
                guard case .message(let message, _) = item.kind else { continue }
                do throws(MCPClientError) {
                    try inline.sendInline(message)
                    item.waiter?.resume(returning: true)
                } catch {
                    if let id = item.request { answers += handle { $0.sendFailed(id, error) } }
                    item.waiter?.resume(throwing: error)
                }
            }
        }
    }

    /// The timer: asleep until the armed deadline, then a tick (which fails what is overdue and arms it again).
    private nonisolated func runTimer() async {
        var deadline: ContinuousClock.Instant?
        while !Task.isCancelled {
            switch await timer.wait(until: deadline) {
            case .armed(let instant): deadline = instant
            case .fired:
                deadline = nil
                let now = ContinuousClock.now
                handle { $0.tick(at: now) }
            }
        }
    }
}
