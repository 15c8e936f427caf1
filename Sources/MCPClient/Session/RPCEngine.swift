import StrictJSON

/// The client side of JSON-RPC as a state machine without I/O: ids never reused, the pending table,
/// ids given up on (so a late response is ignored, not counted as unknown), progress tokens,
/// per-request deadlines with a hard maximum, and the closed state.
///
/// Every method takes one event — a request to send, a message received, the timer at an instant, a
/// cancellation, the transport's end — and returns the ``Action``s its owner performs, in order. It
/// reads no clock (instants are passed in) and performs nothing itself; ``RPCConnection`` owns it.
struct RPCEngine {
    typealias Instant = ContinuousClock.Instant
    typealias Outcome = Result<(JSONValue, SendReceipt), any Error>

    /// What the owner does after an event, in the order given.
    enum Action {
        /// Write a message after every message written before it.
        case write(Outbound)
        /// Resume the caller waiting for request `id`.
        case resume(RequestID, Outcome)
        /// Call a request's progress handler with the notification's params.
        case progress(@Sendable (JSONValue) -> Void, JSONValue)
        /// Deliver a notification to the connection's stream.
        case deliver(ServerNotification)
        /// Answer a server request through the request handler (the engine answers `ping` itself).
        case answer(RequestID, method: String, params: JSONValue?)
        /// Wake the timer at this instant (replacing any earlier arming), or stop it (nil).
        case armTimer(Instant?)
        /// The transport closed: end the notification stream and the writer.
        case finish
    }

    /// One request in flight.
    struct Pending {
        var options: RequestOptions
        let started: Instant
        var lastActivity: Instant
        var receipt: SendReceipt = .none
        let progressToken: String?

        /// The earlier of "no activity within the timeout" and "not finished within the maximum".
        var deadline: Instant {
            min(lastActivity + .seconds(options.timeout), started + .seconds(options.maximum))
        }
    }

    /// How many abandoned ids are remembered; the oldest are forgotten beyond it.
    let abandonedLimit: Int
    private(set) var pending: [RequestID: Pending] = [:]
    private var abandoned: Set<RequestID> = []
    private var abandonedOrder: [RequestID] = []
    private var progressTokens: [String: RequestID] = [:]
    private var nextID: Int64 = 1
    /// Where the timer is armed, if it is.
    private(set) var timerTarget: Instant?
    /// The error the transport closed with, once it has.
    private(set) var closeError: MCPClientError?
    /// Whether cancellation and timeouts send `notifications/cancelled` (stdio and legacy HTTP).
    var sendsCancelNotifications = true

    /// Counts and recent lines for `log SERVER` and the audit report.
    var diagnostics = RPCDiagnostics()

    init(abandonedLimit: Int = 1024) {
        self.abandonedLimit = abandonedLimit
    }

    var isClosed: Bool { closeError != nil }

    /// Whether `id` was given up on and its late response is still expected.
    func isAbandoned(_ id: RequestID) -> Bool { abandoned.contains(id) }

    /// The id for a new request: the explicit one, or the next integer (never reused).
    mutating func allocateID(_ explicit: RequestID?) -> RequestID {
        if let explicit { return explicit }
        defer { nextID += 1 }
        return .integer(nextID)
    }

    /// Registers request `id` and returns its write (and the timer's arming when its deadline is the
    /// earliest); fails with the request's closed code once the transport has closed.
    mutating func send(
        _ method: String, params: JSONValue?, id: RequestID, options: RequestOptions, at now: Instant
    ) -> Result<[Action], MCPClientError> {
        if let closeError { return .failure(MCPClientError(options.closedCode, closeError.message)) }
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
            progressTokens[progressToken] = id
        }
        let entry = Pending(options: options, started: now, lastActivity: now, progressToken: token)
        pending[id] = entry
        let message = JSONRPCMessage.makeRequest(id: id, method: method, params: params)
        var actions: [Action] = [
            .write(Outbound(message, options: SendOptions(method: method, name: options.name, requestID: id), request: id))
        ]
        if let arming = arm(for: entry.deadline) { actions.append(arming) }
        return .success(actions)
    }

    /// The client gave up on `id`: it fails with `call.cancelled`, the server is told, a late response is ignored.
    mutating func cancel(_ id: RequestID, reason: String) -> [Action] {
        guard let entry = finish(id) else { return [] }
        return [.resume(id, .failure(MCPClientError(.cancelled, reason)))] + abandonment(id, entry: entry, reason: reason)
    }

    /// The timer fired at `now`: fails every overdue request with its timeout code and re-arms for the next deadline.
    mutating func tick(at now: Instant) -> [Action] {
        var actions: [Action] = []
        for (id, entry) in pending where entry.deadline <= now {
            guard let expired = finish(id) else { continue }
            let options = expired.options
            let limit = expired.lastActivity + .seconds(options.timeout) <= expired.started + .seconds(options.maximum)
                ? "no response within \(Seconds.text(options.timeout)) s"
                : "not finished within the maximum of \(Seconds.text(options.maximum)) s"
            actions.append(.resume(id, .failure(MCPClientError(options.timeoutCode, limit))))
            actions += abandonment(id, entry: expired, reason: "timed out")
        }
        timerTarget = pending.values.map(\.deadline).min()
        actions.append(.armTimer(timerTarget))
        return actions
    }

    /// The transport ended: every pending request fails at once with its closed code (a frame over the
    /// cap keeps `protocol.frame_too_large`), and nothing more is sent.
    mutating func transportClosed(_ error: MCPClientError) -> [Action] {
        guard closeError == nil else { return [] }
        closeError = error
        let entries = pending
        pending.removeAll()
        progressTokens.removeAll()
        timerTarget = nil
        var actions: [Action] = entries.map { id, entry in
            let code = error.code == .frameTooLarge ? error.code : entry.options.closedCode
            return .resume(id, .failure(MCPClientError(code, error.message)))
        }
        actions += [.armTimer(nil), .finish]
        return actions
    }

    /// The HTTP head of `id`'s response arrived.
    mutating func receipt(_ receipt: SendReceipt, for id: RequestID) {
        pending[id]?.receipt = receipt
    }

    /// `id`'s response can no longer arrive (its HTTP stream failed or ended without it).
    mutating func requestFailed(_ id: RequestID, _ error: MCPClientError) -> [Action] {
        guard let entry = finish(id) else { return [] }
        return [.resume(id, .failure(RPCConnection.failure(error, options: entry.options)))]
    }

    /// `id`'s message could not be written; it fails with the transport's error (not abandoned: the
    /// server never saw it).
    mutating func sendFailed(_ id: RequestID, _ error: any Error) -> [Action] {
        guard let entry = take(id) else { return [] }
        let mapped = (error as? MCPClientError).map { RPCConnection.failure($0, options: entry.options) } ?? error
        return [.resume(id, .failure(mapped))]
    }

    /// Makes sure the timer wakes no later than `deadline`.
    private mutating func arm(for deadline: Instant) -> Action? {
        if let target = timerTarget, target <= deadline { return nil }
        timerTarget = deadline
        return .armTimer(deadline)
    }

    /// Removes `id` from the table (and its progress token).
    mutating func take(_ id: RequestID) -> Pending? {
        guard let entry = pending.removeValue(forKey: id) else { return nil }
        if let token = entry.progressToken { progressTokens[token] = nil }
        return entry
    }

    /// Removes `id` from the table and remembers it as abandoned.
    mutating func finish(_ id: RequestID) -> Pending? {
        guard let entry = take(id) else { return nil }
        if abandoned.insert(id).inserted {
            abandonedOrder.append(id)
            if abandonedOrder.count > abandonedLimit { abandoned.remove(abandonedOrder.removeFirst()) }
        }
        return entry
    }

    /// The pending request a progress token belongs to; its timeout restarts at `now` (not its maximum).
    mutating func progressed(_ token: String, at now: Instant) -> Pending? {
        guard let id = progressTokens[token], pending[id] != nil else { return nil }
        pending[id]?.lastActivity = now
        return pending[id]
    }

    /// A response matched nothing pending: a late one to an abandoned id is forgotten, anything else counted.
    mutating func unmatched(_ id: RequestID) {
        if abandoned.remove(id) == nil {
            diagnostics.unknownResponses += 1
        } else {
            abandonedOrder.removeAll { $0 == id }
        }
    }

    /// What giving up on a request tells the transport and the server.
    private func abandonment(_ id: RequestID, entry: Pending, reason: String) -> [Action] {
        var actions: [Action] = [.write(Outbound(abandoning: id))]
        guard entry.options.cancellable, sendsCancelNotifications, closeError == nil else { return actions }
        let notice = JSONRPCMessage.makeNotification(
            method: "notifications/cancelled", params: ["requestId": id.json, "reason": .string(reason)]
        )
        actions.append(.write(Outbound(notice, options: SendOptions(method: "notifications/cancelled"))))
        return actions
    }
}
