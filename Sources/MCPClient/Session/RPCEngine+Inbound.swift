import StrictJSON

extension RPCEngine {
    /// A message arrived at `now` (a batch is taken element by element): a response resolves its request,
    /// a notification is delivered (progress restarts its request's timeout, not the maximum), a server
    /// request is answered; anything that is not JSON-RPC is counted as skipped.
    mutating func receive(_ value: JSONValue, at now: Instant) -> [Action] {
        if case .array(let batch) = value {
            return batch.flatMap { receive($0, at: now) }
        }
        guard let message = JSONRPCMessage(value) else {
            diagnostics.skipped(String(JSONSerializer.string(value).prefix(200)))
            return []
        }
        switch message {
        case .response(let id, let result):
            return resolve(id, with: .success(result))
        case .errorResponse(let id, let error):
            guard let id else {
                diagnostics.unknownResponses += 1
                return []
            }
            return resolve(id, with: .failure(MCPClientError(.rpcError, "\(error.code): \(error.message)", rpcError: error)))
        case .notification(let method, let params):
            var actions: [Action] = []
            if method == "notifications/progress", let token = params?["progressToken"] {
                let key = token.stringValue ?? JSONSerializer.string(token)
                if let entry = progressed(key, at: now), let params, let handler = entry.options.progress {
                    actions.append(.progress(handler, params))
                }
            }
            if method == "notifications/message" { diagnostics.logged(params) }
            actions.append(.deliver(ServerNotification(method: method, params: params)))
            return actions
        case .request(let id, let method, let params):
            guard method == "ping" else { return [.answer(id, method: method, params: params)] }
            let reply = JSONRPCMessage.makeResponse(id: id, result: [:])
            return [.write(Outbound(reply, options: SendOptions(method: method)))]
        }
    }

    private mutating func resolve(_ id: RequestID, with outcome: Result<JSONValue, MCPClientError>) -> [Action] {
        guard let entry = take(id) else {
            unmatched(id)
            return []
        }
        switch outcome {
        case .success(let result): return [.resume(id, .success((result, entry.receipt)))]
        case .failure(let error): return [.resume(id, .failure(error))]
        }
    }
}

/// What the engine counts and keeps for `log SERVER` and the audit report.
struct RPCDiagnostics {
    /// Responses whose id matched nothing pending or abandoned.
    var unknownResponses = 0
    /// Inbound lines or messages that were not JSON-RPC.
    var skippedLines = 0
    /// The most recent skipped lines (at most 50).
    var recentSkipped: [String] = []
    /// The most recent `notifications/message` entries, as `level [logger] data` (at most 50, each at most
    /// 1 000 characters).
    var recentLogMessages: [String] = []

    /// A line or event that was not JSON-RPC.
    mutating func skipped(_ excerpt: String) {
        skippedLines += 1
        recentSkipped.append(excerpt)
        if recentSkipped.count > 50 { recentSkipped.removeFirst() }
    }

    /// A `notifications/message` log entry.
    mutating func logged(_ params: JSONValue?) {
        let level = params?["level"]?.stringValue ?? "info"
        let logger = params?["logger"]?.stringValue.map { " [\($0.prefix(100))]" } ?? ""
        let data = params?["data"].map { $0.stringValue ?? JSONSerializer.string($0) } ?? ""
        recentLogMessages.append(String("\(level.prefix(20))\(logger) \(data)".prefix(1000)))
        if recentLogMessages.count > 50 { recentLogMessages.removeFirst() }
    }
}
