import Foundation
public import StrictJSON
import Locking

/// Answers a host over newline-delimited JSON-RPC on two descriptors (stdin and stdout for `gatehouse
/// proxy`). One reader thread frames and parses lines and runs ``DownstreamMachine`` itself (under a
/// mutex) — no hop to another executor before a request's task starts — and every message goes out
/// whole, in order, under one write lock, from whichever thread has it ready (a request's answer is
/// written by the task that computed it). Every task it starts is held in its state: each request's task
/// (cancelled by the host's `notifications/cancelled`, awaited when the input ends), each question's
/// timeout (cancelled when the answer comes); notifications are handled in order by one child of ``run``.
public final class DownstreamServer: Sendable {
    /// Answers one request: a result, or a JSON-RPC error.
    public typealias RequestHandler = @Sendable (_ method: String, _ params: JSONValue?) async -> Result<JSONValue, RPCErrorObject>
    /// Receives one notification.
    public typealias NotificationHandler = @Sendable (_ method: String, _ params: JSONValue?) async -> Void
    private typealias Waiter = CheckedContinuation<Result<JSONValue, RPCErrorObject>, Never>
    private typealias Notice = (method: String, params: JSONValue?)

    private struct State {
        var machine = DownstreamMachine()
        var tasks: [RequestID: Task<Void, Never>] = [:]
        var waiting: [RequestID: Waiter] = [:]
        var timeouts: [RequestID: Task<Void, Never>] = [:]
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
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await notice in notices { await notifications(notice.method, notice.params) }
            }
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let thread = Thread { [self] in
                    readLoop(requests: requests, notices: noticeSink)
                    done.resume()
                }
                thread.name = "gatehouse.downstream"
                thread.start()
            }
            noticeSink.finish()
        }
        let (waiters, timeouts) = state.withLock { state -> ([Waiter], [Task<Void, Never>]) in
            state.ended = true
            defer {
                state.waiting.removeAll()
                state.timeouts.removeAll()
            }
            return (Array(state.waiting.values), Array(state.timeouts.values))
        }
        for timeout in timeouts { timeout.cancel() }
        for waiter in waiters { waiter.resume(returning: .failure(Self.hostGone)) }
        while let running = state.withLock({ $0.tasks.values.first }) {
            await running.value
        }
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
                guard !state.ended else { return nil }
                let (id, action) = state.machine.request(method, params: params)
                state.waiting[id] = continuation
                state.timeouts[id] = Task { [self] in
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

    private func expire(_ id: RequestID, after timeout: Double) {
        let waiter = state.withLock { state -> Waiter? in
            state.machine.abandon(id)
            state.timeouts[id] = nil
            return state.waiting.removeValue(forKey: id)
        }
        let message = "gatehouse: the host did not answer within \(Seconds.text(timeout)) s"
        waiter?.resume(returning: .failure(RPCErrorObject(code: -32001, message: message, data: nil)))
    }

    private func readLoop(requests: @escaping RequestHandler, notices: AsyncStream<Notice>.Continuation) {
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
                perform(actions, requests: requests, notices: notices)
            }
        }
    }

    private func perform(_ actions: [DownstreamMachine.Action], requests: @escaping RequestHandler, notices: AsyncStream<Notice>.Continuation) {
        for action in actions {
            switch action {
            case .send(let message): send(message)
            case .cancel(let id): state.withLock { $0.tasks.removeValue(forKey: id) }?.cancel()
            case .answered(let id, let outcome):
                let (waiter, timeout) = state.withLock { ($0.waiting.removeValue(forKey: id), $0.timeouts.removeValue(forKey: id)) }
                timeout?.cancel()
                waiter?.resume(returning: outcome)
            case .notify(let method, let params):
                notices.yield((method, params))
            case .handle(let id, let method, let params):
                // The task is recorded before it can finish: it waits for the lock this holds.
                state.withLock { state in
                    state.tasks[id] = Task { [self] in
                        let outcome = await requests(method, params)
                        finished(id, outcome)
                    }
                }
            }
        }
    }

    private func finished(_ id: RequestID, _ outcome: Result<JSONValue, RPCErrorObject>) {
        let answer = state.withLock { state in
            state.tasks[id] = nil
            return state.machine.finish(id, outcome)
        }
        for case .send(let message) in answer { send(message) }
    }
}
