import Foundation
public import StrictJSON
import Locking

/// Answers a host over newline-delimited JSON-RPC on two descriptors (stdin and stdout for `gatehouse
/// proxy`). One reader thread frames and parses lines and runs ``DownstreamMachine`` itself (under a
/// mutex), and every message goes out whole, in order, under one write lock, from whichever thread has it
/// ready (a request's answer is written by the task that computed it). Every task it starts is a child of
/// the ``TaskNursery`` of ``run(requests:notifications:)``: each request's (cancelled by the host's
/// `notifications/cancelled`, waited for when the input ends) and each question's timeout; notifications
/// are handled in order by one more child.
public final class DownstreamServer: Sendable {
    /// Answers one request: a result, or a JSON-RPC error.
    public typealias RequestHandler = @Sendable (_ method: String, _ params: JSONValue?) async -> Result<JSONValue, RPCErrorObject>
    /// Receives one notification.
    public typealias NotificationHandler = @Sendable (_ method: String, _ params: JSONValue?) async -> Void
    private typealias Waiter = CheckedContinuation<Result<JSONValue, RPCErrorObject>, Never>
    private typealias Notice = (method: String, params: JSONValue?)

    /// A host request being answered, and how its task learns it is over (answered, or cancelled by the host).
    private enum Running {
        case started
        case waiting(CheckedContinuation<Void, Never>)
        case cancelled
    }

    private struct State {
        var machine = DownstreamMachine()
        var running: [RequestID: Running] = [:]
        var waiting: [RequestID: Waiter] = [:]
        var nursery: TaskNursery?
        /// Resumed when the input has ended and the last request is answered.
        var drained: CheckedContinuation<Void, Never>?
        var ended = false
    }

    private let state = Locked(State())
    private let writing = Locked(())
    private let input: Int32
    private let output: Int32
    private let maximumFrameBytes: Int

    /// A server reading `input` and writing `output` (not closed by it).
    public init(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO, maximumFrameBytes: Int = 16 * 1024 * 1024) {
        self.input = input
        self.output = output
        self.maximumFrameBytes = maximumFrameBytes
    }

    /// Serves until the input ends (or a line passes the frame cap), then lets the requests still running
    /// finish and answers them (each is bounded by its own timeout), so a host that writes its requests
    /// and closes its end still reads every answer.
    public func run(requests: @escaping RequestHandler, notifications: @escaping NotificationHandler) async {
        let (notices, noticeSink) = AsyncStream.makeStream(of: Notice.self, bufferingPolicy: .unbounded)
        await TaskNursery.withNursery { nursery in
            state.withLock { $0.nursery = nursery }
            nursery.start {
                for await notice in notices { await notifications(notice.method, notice.params) }
            }
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let thread = Thread { [self] in
                    readLoop(requests: requests, notices: noticeSink, nursery: nursery)
                    done.resume()
                }
                thread.name = "gatehouse.downstream"
                thread.start()
            }
            noticeSink.finish()
            let waiters = state.withLock { state -> [Waiter] in
                state.ended = true
                defer { state.waiting.removeAll() }
                return Array(state.waiting.values)
            }
            for waiter in waiters { waiter.resume(returning: .failure(Self.hostGone)) }
            await withCheckedContinuation { (drained: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    guard !state.running.isEmpty else { return true }
                    state.drained = drained
                    return false
                }
                if now { drained.resume() }
            }
        }  // the questions' timeouts still asleep are cancelled here
    }

    static let hostGone = RPCErrorObject(code: -32001, message: "gatehouse: the host closed the connection", data: nil)

    /// Writes one message (a notification to the host) as one line.
    public func send(_ message: JSONValue) {
        var bytes = JSONSerializer.bytes(message)
        bytes.append(0x0A)
        writing.withLock { _ in
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { write(output, $0.baseAddress, $0.count) }
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { return }  // the host went away; the reader will see the end
                offset += written
            }
        }
    }

    /// Sends a notification: a list change to each `subscriptions/listen` that asked for it (tagged with
    /// its id), or as it is when the host has none open (``DownstreamMachine/notification(_:params:)``).
    public func notify(_ method: String, params: JSONValue? = nil) {
        for case .send(let message) in state.withLock({ $0.machine.notification(method, params: params) }) { send(message) }
    }

    /// Sends the host a request and waits for its answer (at most `timeout` seconds; then an error).
    public func request(_ method: String, params: JSONValue?, timeout: Double) async -> Result<JSONValue, RPCErrorObject> {
        await withCheckedContinuation { (continuation: Waiter) in
            let action = state.withLock { state -> DownstreamMachine.Action? in
                guard !state.ended, let nursery = state.nursery else { return nil }
                let (id, action) = state.machine.request(method, params: params)
                state.waiting[id] = continuation
                nursery.start { [self] in
                    try? await Task.sleep(for: .seconds(timeout))
                    guard !Task.isCancelled else { return }
                    expire(id, after: timeout)
                }
                return action
            }
            guard case .send(let message)? = action else { return continuation.resume(returning: .failure(Self.hostGone)) }
            send(message)
        }
    }

    /// The question `id` got no answer in time (nothing happens when it has one already).
    private func expire(_ id: RequestID, after timeout: Double) {
        let waiter = state.withLock { state -> Waiter? in
            guard let waiter = state.waiting.removeValue(forKey: id) else { return nil }
            state.machine.abandon(id)
            return waiter
        }
        let message = "gatehouse: the host did not answer within \(Seconds.text(timeout)) s"
        waiter?.resume(returning: .failure(RPCErrorObject(code: -32001, message: message, data: nil)))
    }

    private func readLoop(requests: @escaping RequestHandler, notices: AsyncStream<Notice>.Continuation, nursery: TaskNursery) {
        var framer = LineFramer(maximumFrameBytes: maximumFrameBytes)
        let parser = JSONParser(maximumDepth: 256, maximumBytes: maximumFrameBytes)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0, let frames = buffer.withUnsafeBytes({ framer.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) })
            else { return }
            for frame in frames where !frame.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                let value = try? parser.parse(frame)
                let actions = state.withLock { $0.machine.receive(value) }
                perform(actions, requests: requests, notices: notices, nursery: nursery)
            }
        }
    }

    private func perform(
        _ actions: [DownstreamMachine.Action], requests: @escaping RequestHandler, notices: AsyncStream<Notice>.Continuation,
        nursery: TaskNursery
    ) {
        for action in actions {
            switch action {
            case .send(let message): send(message)
            case .cancel(let id): cancelRequest(id)
            case .answered(let id, let outcome):
                state.withLock { $0.waiting.removeValue(forKey: id) }?.resume(returning: outcome)
            case .notify(let method, let params):
                notices.yield((method, params))
            case .handle(let id, let method, let params):
                state.withLock { $0.running[id] = .started }
                nursery.start { [self] in await answer(id, method, params, requests: requests) }
            }
        }
    }

    /// Runs the handler for request `id` as a child of this task, which ends it when the host cancels it.
    private func answer(_ id: RequestID, _ method: String, _ params: JSONValue?, requests: @escaping RequestHandler) async {
        await withDiscardingTaskGroup { group in
            group.addTask { [self] in
                let outcome = await requests(method, params)
                finished(id, outcome)
            }
            await withCheckedContinuation { (over: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    guard case .started? = state.running[id] else { return true }
                    state.running[id] = .waiting(over)
                    return false
                }
                if now { over.resume() }
            }
            group.cancelAll()
        }
    }

    /// The host cancelled request `id`: its task is cancelled (what the handler returns then is not sent:
    /// the machine has forgotten the id).
    private func cancelRequest(_ id: RequestID) {
        let wake = state.withLock { state -> CheckedContinuation<Void, Never>? in
            switch state.running[id] {
            case .started?:
                state.running[id] = .cancelled
                return nil
            case .waiting(let wake)?:
                state.running[id] = .cancelled
                return wake
            case .cancelled?, nil:
                return nil
            }
        }
        wake?.resume()
    }

    /// The handler of request `id` returned: sends the answer (unless cancelled), wakes its task, and the end
    /// of ``run(requests:notifications:)`` when it was the last one after the input ended.
    private func finished(_ id: RequestID, _ outcome: Result<JSONValue, RPCErrorObject>) {
        let (answer, wake, drained) = state.withLock { state in
            let entry = state.running.removeValue(forKey: id)
            var wake: CheckedContinuation<Void, Never>?
            if case .waiting(let waiting)? = entry { wake = waiting }
            var drained: CheckedContinuation<Void, Never>?
            if state.ended, state.running.isEmpty {
                drained = state.drained
                state.drained = nil
            }
            return (state.machine.finish(id, outcome), wake, drained)
        }
        for case .send(let message) in answer { send(message) }
        wake?.resume()
        drained?.resume()
    }
}
