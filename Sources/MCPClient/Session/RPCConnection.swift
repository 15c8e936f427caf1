import Foundation
public import StrictJSON
import Synchronization

/// A notification from the server (progress, log messages, list changes, …).
public struct ServerNotification: Sendable {
    /// The method, e.g. `notifications/tools/list_changed`.
    public let method: String
    /// Its params.
    public let params: JSONValue?
}

/// How one request is bounded and reported.
public struct RequestOptions: Sendable {
    /// Seconds without a response (progress notifications restart it).
    public var timeout: Double
    /// Absolute seconds, whatever the progress.
    public var maximum: Double
    /// The code of a timeout (`call.timeout`, or `connect.timeout` in the handshake).
    public var timeoutCode: MCPClientError.Code = .callTimeout
    /// The code when the transport closes under the request (`call.server_exited`, or `connect.closed`).
    public var closedCode: MCPClientError.Code = .serverExited
    /// Called with each `notifications/progress` params for this request; setting it adds a progress token.
    public var progress: (@Sendable (JSONValue) -> Void)?
    /// An explicit id (the era probe uses a string id).
    public var id: RequestID?
    /// `Mcp-Name` for HTTP.
    public var name: String?
    /// Whether a timeout or cancellation sends `notifications/cancelled` (never for `initialize`).
    public var cancellable = true

    /// Creates options.
    public init(timeout: Double, maximum: Double) {
        self.timeout = timeout
        self.maximum = maximum
    }
}

/// The JSON-RPC engine over one transport: ids never reused, per-request timeouts with a hard maximum,
/// cancellation with late responses ignored, progress and notifications delivered, server requests
/// answered through a handler, and every pending request failed at once when the transport closes.
public actor RPCConnection {
    /// Answers a server-initiated request (legacy era): a result, or a JSON-RPC error.
    public typealias RequestHandler = @Sendable (String, JSONValue?) async -> Result<JSONValue, RPCErrorObject>

    struct Pending {
        let continuation: CheckedContinuation<(JSONValue, SendReceipt), any Error>
        let options: RequestOptions
        let started: ContinuousClock.Instant
        var lastActivity: ContinuousClock.Instant
        var receipt: SendReceipt = .none
        let progressToken: String?
    }

    let transport: any MessageTransport
    private var pending: [RequestID: Pending] = [:]
    /// Ids of requests given up on (cancelled, timed out), so a late response is ignored rather than
    /// counted as unknown; the oldest are forgotten beyond ``abandonedLimit``.
    private var abandoned: Set<RequestID> = []
    private var abandonedOrder: [RequestID] = []
    static let abandonedLimit = 1024
    /// One timer per connection, asleep until the earliest deadline of any pending request (a task per
    /// request cost more than the rest of a round trip to a fast server).
    private var timer: Task<Void, Never>?
    private var timerTarget: ContinuousClock.Instant?
    private var nextID: Int64 = 1
    private var closeError: MCPClientError?
    private var progressTokens: [String: RequestID] = [:]
    private var requestHandler: RequestHandler?
    private let sink: AsyncStream<ServerNotification>.Continuation
    /// Notifications from the server, in order; finishes when the transport closes.
    public nonisolated let notifications: AsyncStream<ServerNotification>
    /// Whether cancellation and timeouts send `notifications/cancelled` (stdio and legacy HTTP).
    var sendsCancelNotifications = true

    /// Responses whose id matched nothing pending (counted and ignored).
    public private(set) var unknownResponses = 0
    /// Inbound lines or messages that were not JSON-RPC.
    public private(set) var skippedLines = 0
    /// The most recent skipped lines (at most 50).
    public private(set) var recentSkipped: [String] = []
    /// The most recent `notifications/message` log entries, as `level [logger] data` (at most 50, each
    /// at most 1 000 characters), for `log SERVER`.
    public private(set) var recentLogMessages: [String] = []

    /// Opens the engine over `transport` and starts reading.
    public static func open(_ transport: any MessageTransport) -> RPCConnection {
        let connection = RPCConnection(transport: transport)
        Task { await connection.readLoop() }
        return connection
    }

    private init(transport: any MessageTransport) {
        self.transport = transport
        // Bounded: a one-shot command reads no notifications, and a flood must not grow without limit.
        (notifications, sink) = AsyncStream.makeStream(of: ServerNotification.self, bufferingPolicy: .bufferingNewest(4096))
    }

    /// Sets the handler for server requests (`elicitation/create`, `ping`, `roots/list`, …).
    public func setRequestHandler(_ handler: RequestHandler?) {
        requestHandler = handler
    }

    func setSendsCancelNotifications(_ value: Bool) {
        sendsCancelNotifications = value
    }

    /// The error the transport closed with, if it has.
    public var closedWith: MCPClientError? { closeError }

    /// Whether the transport has closed, readable without a hop onto the engine (the host asks before
    /// every call).
    public nonisolated var isClosed: Bool { closedFlag.withLock { $0 } }
    private nonisolated let closedFlag = Mutex(false)

    /// Sends a request and waits for its result.
    /// - Throws: ``MCPClientError``: `rpc.error` for a JSON-RPC error, or a timeout, cancellation or closed code.
    public func request(_ method: String, params: JSONValue?, options: RequestOptions) async throws -> (JSONValue, SendReceipt) {
        if let closeError { throw MCPClientError(options.closedCode, closeError.message) }
        let id = options.id ?? nextRequestID()
        var params = params
        var token: String?
        if options.progress != nil {
            let progressToken = "progress-\(id)"
            token = progressToken
            var object = params?.objectValue ?? JSONObject()
            var meta = object["_meta"]?.objectValue ?? JSONObject()
            meta["progressToken"] = .string(progressToken)
            object["_meta"] = .object(meta)
            params = .object(object)
        }
        let message = JSONRPCMessage.makeRequest(id: id, method: method, params: params)
        let sendOptions = SendOptions(method: method, name: options.name, requestID: id)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let now = ContinuousClock.now
                pending[id] = Pending(
                    continuation: continuation, options: options, started: now, lastActivity: now, progressToken: token
                )
                if let token { progressTokens[token] = id }
                Task { await self.transmit(message, options: sendOptions, id: id) }
                scheduleTimer(for: min(now + .seconds(options.timeout), now + .seconds(options.maximum)))
            }
        } onCancel: {
            Task { await self.cancel(id, reason: "cancelled by the client") }
        }
    }

    /// Sends a notification.
    public func notify(_ method: String, params: JSONValue?) async throws {
        _ = try await transport.send(JSONRPCMessage.makeNotification(method: method, params: params), options: SendOptions(method: method))
    }

    /// Cancels an in-flight request: it fails with `call.cancelled`, the server is told, a late response is ignored.
    public func cancel(_ id: RequestID, reason: String) async {
        guard let entry = finish(id) else { return }
        entry.continuation.resume(throwing: MCPClientError(.cancelled, reason))
        await tellServerCancelled(id, entry: entry, reason: reason)
    }

    private func nextRequestID() -> RequestID {
        defer { nextID += 1 }
        return .integer(nextID)
    }

    private func finish(_ id: RequestID) -> Pending? {
        guard let entry = pending.removeValue(forKey: id) else { return nil }
        if let token = entry.progressToken { progressTokens[token] = nil }
        if abandoned.insert(id).inserted {
            abandonedOrder.append(id)
            if abandonedOrder.count > Self.abandonedLimit { abandoned.remove(abandonedOrder.removeFirst()) }
        }
        return entry
    }

    private func tellServerCancelled(_ id: RequestID, entry: Pending, reason: String) async {
        await transport.abandon(id)
        guard entry.options.cancellable, sendsCancelNotifications, closeError == nil else { return }
        try? await notify("notifications/cancelled", params: ["requestId": id.json, "reason": .string(reason)])
    }

    private func transmit(_ message: JSONValue, options: SendOptions, id: RequestID) async {
        do {
            _ = try await transport.send(message, options: options)
        } catch {
            failUnsent(id, error)
        }
    }

    private func failUnsent(_ id: RequestID, _ error: any Error) {
        guard let entry = pending.removeValue(forKey: id) else { return }
        if let token = entry.progressToken { progressTokens[token] = nil }
        entry.continuation.resume(throwing: (error as? MCPClientError).map { Self.failure($0, options: entry.options) } ?? error)
    }

    /// The error a request fails with when its message could not be sent or its response can no longer
    /// arrive. Both paths meet the same transport failure (which one comes first depends on scheduling), so
    /// both map it here: `protocol.*` codes and the specific `connect.*` codes stay as they are; a plain
    /// `connect.closed` becomes the request's own closed code (`call.server_exited` for a call).
    static func failure(_ error: MCPClientError, options: RequestOptions) -> MCPClientError {
        guard error.code == .connectClosed, options.closedCode != .connectClosed else { return error }
        return MCPClientError(options.closedCode, error.message, rpcError: error.rpcError, httpStatus: error.httpStatus)
    }

    private func deadline(of entry: Pending) -> ContinuousClock.Instant {
        min(entry.lastActivity + .seconds(entry.options.timeout), entry.started + .seconds(entry.options.maximum))
    }

    /// Makes sure the timer wakes no later than `deadline`.
    private func scheduleTimer(for deadline: ContinuousClock.Instant) {
        if timer != nil, let target = timerTarget, target <= deadline { return }
        timer?.cancel()
        timerTarget = deadline
        timer = Task { await self.runTimer(until: deadline) }
    }

    /// Sleeps until the target, fails every overdue request, and sleeps again until the next deadline;
    /// ends when nothing is pending. A replaced (cancelled) timer leaves the state to its successor.
    private func runTimer(until first: ContinuousClock.Instant) async {
        var target = first
        while true {
            try? await Task.sleep(until: target, clock: .continuous)
            if Task.isCancelled { return }
            let now = ContinuousClock.now
            for (id, entry) in pending where deadline(of: entry) <= now {
                guard let expired = finish(id) else { continue }
                let limit = expired.lastActivity + .seconds(expired.options.timeout) <= expired.started + .seconds(expired.options.maximum)
                    ? "no response within \(Seconds.text(expired.options.timeout)) s"
                    : "not finished within the maximum of \(Seconds.text(expired.options.maximum)) s"
                expired.continuation.resume(throwing: MCPClientError(expired.options.timeoutCode, limit))
                Task { await self.tellServerCancelled(id, entry: expired, reason: "timed out") }
            }
            guard let next = pending.values.map(deadline(of:)).min() else {
                timer = nil
                timerTarget = nil
                return
            }
            target = next
            timerTarget = next
        }
    }

    private func readLoop() async {
        for await event in transport.events {
            switch event {
            case .message(let value): await receive(value)
            case .skipped(let excerpt): recordSkipped(excerpt)
            case .receipt(let id, let receipt):
                pending[id]?.receipt = receipt
            case .requestFailed(let id, let error):
                if let entry = finish(id) { entry.continuation.resume(throwing: Self.failure(error, options: entry.options)) }
            case .closed(let error):
                closed(error)
                return
            }
        }
        closed(MCPClientError(.connectClosed, "the transport ended"))
    }

    private func recordLogMessage(_ params: JSONValue?) {
        let level = params?["level"]?.stringValue ?? "info"
        let logger = params?["logger"]?.stringValue.map { " [\($0.prefix(100))]" } ?? ""
        let data = params?["data"].map { $0.stringValue ?? JSONSerializer.string($0) } ?? ""
        recentLogMessages.append(String("\(level.prefix(20))\(logger) \(data)".prefix(1000)))
        if recentLogMessages.count > 50 { recentLogMessages.removeFirst() }
    }

    private func recordSkipped(_ excerpt: String) {
        skippedLines += 1
        recentSkipped.append(excerpt)
        if recentSkipped.count > 50 { recentSkipped.removeFirst() }
    }

    private func closed(_ error: MCPClientError) {
        guard closeError == nil else { return }
        closeError = error
        closedFlag.withLock { $0 = true }
        let entries = pending
        pending.removeAll()
        progressTokens.removeAll()
        timer?.cancel()
        timer = nil
        timerTarget = nil
        for (_, entry) in entries {
            let code = error.code == .frameTooLarge ? error.code : entry.options.closedCode
            entry.continuation.resume(throwing: MCPClientError(code, error.message))
        }
        sink.finish()
    }

    private func receive(_ value: JSONValue) async {
        if case .array(let batch) = value {
            for element in batch { await receive(element) }
            return
        }
        guard let message = JSONRPCMessage(value) else {
            recordSkipped(String(JSONSerializer.string(value).prefix(200)))
            return
        }
        switch message {
        case .response(let id, let result):
            resolve(id, with: .success(result))
        case .errorResponse(let id, let error):
            guard let id else {
                unknownResponses += 1
                return
            }
            resolve(id, with: .failure(MCPClientError(.rpcError, "\(error.code): \(error.message)", rpcError: error)))
        case .notification(let method, let params):
            if method == "notifications/progress", let token = params?["progressToken"] {
                let key = token.stringValue ?? JSONSerializer.string(token)
                if let id = progressTokens[key], pending[id] != nil {
                    pending[id]?.lastActivity = .now
                    if let params { pending[id]?.options.progress?(params) }
                }
            }
            if method == "notifications/message" { recordLogMessage(params) }
            sink.yield(ServerNotification(method: method, params: params))
        case .request(let id, let method, let params):
            let handler = requestHandler
            Task { await self.answer(id, method: method, params: params, handler: handler) }
        }
    }

    private func resolve(_ id: RequestID, with outcome: Result<JSONValue, MCPClientError>) {
        guard let entry = pending.removeValue(forKey: id) else {
            if abandoned.remove(id) == nil { unknownResponses += 1 } else { abandonedOrder.removeAll { $0 == id } }
            return
        }
        if let token = entry.progressToken { progressTokens[token] = nil }
        switch outcome {
        case .success(let result): entry.continuation.resume(returning: (result, entry.receipt))
        case .failure(let error): entry.continuation.resume(throwing: error)
        }
    }

    private func answer(_ id: RequestID, method: String, params: JSONValue?, handler: RequestHandler?) async {
        let reply: JSONValue
        if method == "ping" {
            reply = JSONRPCMessage.makeResponse(id: id, result: [:])
        } else if let handler {
            switch await handler(method, params) {
            case .success(let result): reply = JSONRPCMessage.makeResponse(id: id, result: result)
            case .failure(let error):
                reply = JSONRPCMessage.makeErrorResponse(id: id, code: error.code, message: error.message, data: error.data)
            }
        } else {
            reply = JSONRPCMessage.makeErrorResponse(id: id, code: -32601, message: "method not found: \(method)")
        }
        _ = try? await transport.send(reply, options: SendOptions(method: method))
    }
}
