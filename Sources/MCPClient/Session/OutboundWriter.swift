import StrictJSON

/// One thing for the connection's writer to do, in order with everything queued before it.
struct Outbound: Sendable {
    enum Kind: Sendable {
        /// Send a message.
        case message(JSONValue, SendOptions)
        /// Tell the transport a response is no longer wanted (HTTP closes that stream).
        case abandon(RequestID)
    }

    let kind: Kind
    /// The request this message is; a failed write fails it.
    let request: RequestID?
    /// A caller waiting for the write (``RPCConnection/notify(_:params:)``).
    var waiter: CheckedContinuation<Bool, any Error>?

    /// A message to send.
    init(_ message: JSONValue, options: SendOptions, request: RequestID? = nil) {
        kind = .message(message, options)
        self.request = request
    }

    /// Abandons `id`'s response.
    init(abandoning id: RequestID) {
        kind = .abandon(id)
        request = nil
    }
}

/// A transport whose `send` has two parts: handing the message to its carrier, which must happen in the
/// connection's order, and waiting for a receipt (an HTTP response head), which must not hold up the
/// messages after it.
protocol StartsSending: MessageTransport {
    /// Hands `message` to the carrier now and returns the wait for its receipt.
    func start(_ message: JSONValue, options: SendOptions) -> @Sendable () async throws -> SendReceipt
}

/// A transport that takes a message at once without blocking its caller, in the order it is called (stdio:
/// a non-blocking pipe that queues what it cannot take yet, ``PipeWriter``). The connection writes to it
/// under its own lock, so order is kept without a writer task, and a round trip has no hand-off on the
/// way out; `abandon` is a no-op on such a transport.
protocol SendsInline: MessageTransport {
    /// Writes (or queues) `message` now.
    func sendInline(_ message: JSONValue) throws(MCPClientError)
}

/// The connection's one writer: takes ``Outbound`` items in the order they were queued and performs
/// them one after another, so a request is on the wire before anything queued after it (its
/// `notifications/cancelled` included). On transports that ``StartsSending`` the wait for each receipt
/// runs as a child of the writer, so a slow HTTP response does not delay the next POST.
enum OutboundWriter {
    /// Writes until `items` finishes, then waits for the receipts still outstanding.
    static func run(
        _ items: AsyncStream<Outbound>, transport: any MessageTransport,
        failed: @escaping @Sendable (RequestID, any Error) -> Void
    ) async {
        let starting = transport as? any StartsSending
        await withDiscardingTaskGroup { group in
            for await item in items {
                switch item.kind {
                case .abandon(let id):
                    await transport.abandon(id)
                case .message(let message, let options):
                    if let starting {
                        let receipt = starting.start(message, options: options)
                        group.addTask { report(item, await outcome(of: receipt), failed: failed) }
                    } else {
                        report(item, await outcome { try await transport.send(message, options: options) }, failed: failed)
                    }
                }
            }
        }
    }

    private static func outcome(of send: @Sendable () async throws -> SendReceipt) async -> (any Error)? {
        do {
            _ = try await send()
            return nil
        } catch {
            return error
        }
    }

    private static func report(_ item: Outbound, _ error: (any Error)?, failed: @Sendable (RequestID, any Error) -> Void) {
        if let error, let id = item.request { failed(id, error) }
        guard let waiter = item.waiter else { return }
        if let error { waiter.resume(throwing: error) } else { waiter.resume(returning: true) }
    }
}
