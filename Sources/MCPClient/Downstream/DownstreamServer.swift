import Foundation
public import StrictJSON

/// Answers a host over newline-delimited JSON-RPC on two descriptors (stdin and stdout for `gatehouse
/// proxy`): one reader thread frames and parses lines, this actor runs ``DownstreamMachine`` and starts a
/// task per request, and every message goes out through ``send(_:)``, one whole line at a time, in order.
public actor DownstreamServer {
    /// Answers one request: a result, or a JSON-RPC error.
    public typealias RequestHandler = @Sendable (_ method: String, _ params: JSONValue?) async -> Result<JSONValue, RPCErrorObject>
    /// Receives one notification.
    public typealias NotificationHandler = @Sendable (_ method: String, _ params: JSONValue?) async -> Void

    private var machine = DownstreamMachine()
    private var tasks: [RequestID: Task<Void, Never>] = [:]
    private var waiting: [RequestID: CheckedContinuation<Result<JSONValue, RPCErrorObject>, Never>] = [:]
    private var ended = false
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
        for await frame in Self.frames(input, maximumFrameBytes: maximumFrameBytes) {
            let value = try? JSONParser(maximumDepth: 256, maximumBytes: maximumFrameBytes).parse(frame)
            perform(machine.receive(value), requests: requests, notifications: notifications)
        }
        ended = true
        for (_, waiter) in waiting { waiter.resume(returning: .failure(Self.hostGone)) }
        waiting.removeAll()
        while let running = tasks.values.first {
            await running.value
        }
    }

    static let hostGone = RPCErrorObject(code: -32001, message: "gatehouse: the host closed the connection", data: nil)

    /// Sends the host a request and waits for its answer (at most `timeout` seconds; then an error).
    public func request(_ method: String, params: JSONValue?, timeout: Double) async -> Result<JSONValue, RPCErrorObject> {
        guard !ended else { return .failure(Self.hostGone) }
        let (id, action) = machine.request(method, params: params)
        return await withCheckedContinuation { continuation in
            waiting[id] = continuation
            if case .send(let message) = action { send(message) }
            Task {
                try? await Task.sleep(for: .seconds(timeout))
                self.expire(id, after: timeout)
            }
        }
    }

    private func expire(_ id: RequestID, after timeout: Double) {
        guard let waiter = waiting.removeValue(forKey: id) else { return }
        machine.abandon(id)
        waiter.resume(returning: .failure(RPCErrorObject(code: -32001, message: "gatehouse: the host did not answer within \(Seconds.text(timeout)) s", data: nil)))
    }

    /// Writes one message (a notification to the host) as one line.
    public func send(_ message: JSONValue) {
        var bytes = JSONSerializer.bytes(message)
        bytes.append(0x0A)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(output, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }  // the host went away; the reader will see the end
            offset += written
        }
    }

    /// Sends a notification.
    public func notify(_ method: String, params: JSONValue? = nil) {
        var message: JSONObject = ["jsonrpc": "2.0", "method": .string(method)]
        if let params { message["params"] = params }
        send(.object(message))
    }

    private func perform(_ actions: [DownstreamMachine.Action], requests: @escaping RequestHandler, notifications: @escaping NotificationHandler) {
        for action in actions {
            switch action {
            case .send(let message): send(message)
            case .cancel(let id): tasks.removeValue(forKey: id)?.cancel()
            case .answered(let id, let outcome): waiting.removeValue(forKey: id)?.resume(returning: outcome)
            case .notify(let method, let params):
                Task { await notifications(method, params) }
            case .handle(let id, let method, let params):
                tasks[id] = Task {
                    let outcome = await requests(method, params)
                    self.finished(id, outcome)
                }
            }
        }
    }

    private func finished(_ id: RequestID, _ outcome: Result<JSONValue, RPCErrorObject>) {
        tasks[id] = nil
        for case .send(let message) in machine.finish(id, outcome) { send(message) }
    }

    /// The lines of `descriptor`, read on a thread of its own; ends at end of file or past the cap.
    private static func frames(_ descriptor: Int32, maximumFrameBytes: Int) -> AsyncStream<[UInt8]> {
        AsyncStream { continuation in
            let thread = Thread {
                var framer = LineFramer(maximumFrameBytes: maximumFrameBytes)
                var buffer = [UInt8](repeating: 0, count: 64 * 1024)
                while true {
                    let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                    if count < 0 && errno == EINTR { continue }
                    guard count > 0,
                        let frames = buffer.withUnsafeBytes({ framer.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) })
                    else { break }
                    for frame in frames where !frame.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                        continuation.yield(frame)
                    }
                }
                continuation.finish()
            }
            thread.name = "gatehouse.downstream"
            thread.start()
        }
    }
}
