import Locking

/// What the connection reports, and the handler it answers server requests with.
extension RPCConnection {
    /// Sets the handler for server requests (`elicitation/create`, `ping`, `roots/list`, …).
    public func setRequestHandler(_ handler: RequestHandler?) {
        state.withLock { $0.handler = handler }
    }

    func setSendsCancelNotifications(_ value: Bool) {
        state.withLock { $0.engine.sendsCancelNotifications = value }
    }

    /// The error the transport closed with, if it has.
    public var closedWith: MCPClientError? { state.withLock { $0.engine.closeError } }

    /// Whether the transport has closed, readable without a hop onto the engine (the host asks before
    /// every call).
    public nonisolated var isClosed: Bool { state.withLock { $0.engine.isClosed } }

    /// Responses whose id matched nothing pending (counted and ignored).
    public var unknownResponses: Int { state.withLock { $0.engine.diagnostics.unknownResponses } }
    /// Inbound lines or messages that were not JSON-RPC.
    public var skippedLines: Int { state.withLock { $0.engine.diagnostics.skippedLines } }
    /// The most recent skipped lines (at most 50).
    public var recentSkipped: [String] { state.withLock { $0.engine.diagnostics.recentSkipped } }
    /// The most recent `notifications/message` log entries, as `level [logger] data` (at most 50, each
    /// at most 1 000 characters), for `log SERVER`.
    public var recentLogMessages: [String] { state.withLock { $0.engine.diagnostics.recentLogMessages } }
}
