import CurlHTTP
import Foundation
import StrictJSON
import Locking

/// One POST (or GET) on an HTTP transport: resumes the sender when the head arrives (2xx) or when the
/// exchange ends (errors, so their body can be read), and turns the body — JSON or SSE — into messages.
final class HTTPExchange: Sendable {
    private struct State {
        /// The sender waiting for the head, or the outcome that came before it asked.
        var waiter: CheckedContinuation<SendReceipt, any Error>?
        var outcome: Result<SendReceipt, any Error>?
        var resumed = false
        var status = 0
        var headers: [(name: String, value: String)] = []
        var body: [UInt8] = []
        var isEventStream = false
        var parser = SSEParser()
        var sawResponse = false
        /// The transfer (its callbacks and `cancel` race with `begin`).
        var stream: CurlStream?
        var cancelRequested = false
    }

    private let state = Locked(State())
    let requestID: RequestID?
    let deliver: @Sendable (TransportEvent) -> Void
    let maximumBytes: Int
    /// Runs on the transfer thread when a 2xx head arrives, before the sender resumes and before any body
    /// message is delivered (the legacy session id must be known before the response is acted on).
    let onSuccessHead: (@Sendable ([(name: String, value: String)]) -> Void)?
    /// Runs when the exchange has ended, whatever the outcome.
    let onFinished: (@Sendable () -> Void)?

    init(
        requestID: RequestID?, maximumBytes: Int,
        onSuccessHead: (@Sendable ([(name: String, value: String)]) -> Void)? = nil,
        onFinished: (@Sendable () -> Void)? = nil,
        deliver: @escaping @Sendable (TransportEvent) -> Void
    ) {
        self.requestID = requestID
        self.maximumBytes = maximumBytes
        self.onSuccessHead = onSuccessHead
        self.onFinished = onFinished
        self.deliver = deliver
    }

    /// Starts the exchange and waits for its head (or its end, for errors).
    func start(_ request: HTTPRequest) async throws -> SendReceipt {
        begin(request)
        return try await receipt()
    }

    /// Starts the transfer now, without waiting for anything.
    func begin(_ request: HTTPRequest) {
        let started = CurlStream.start(
            request,
            onHead: { [self] status, headers in head(status, headers) },
            onData: { [self] bytes in data(bytes) },
            onEnd: { [self] error in end(error) }
        )
        let cancelled = state.withLock { state -> Bool in
            state.stream = started
            return state.cancelRequested
        }
        if cancelled { started.cancel() }
    }

    /// Waits for the head (2xx) or the end of the exchange (errors, so their body can be read).
    func receipt() async throws -> SendReceipt {
        try await withCheckedThrowingContinuation { waiter in
            let outcome = state.withLock { state -> Result<SendReceipt, any Error>? in
                if state.outcome == nil { state.waiter = waiter }
                return state.outcome
            }
            if let outcome { waiter.resume(with: outcome) }
        }
    }

    /// Stops the transfer, also when it is asked for before `begin` has recorded it.
    func cancel() {
        let current = state.withLock { state -> CurlStream? in
            state.cancelRequested = true
            return state.stream
        }
        current?.cancel()
    }

    /// The first outcome wins: it resumes the waiting sender, or is kept for the one still to ask.
    private func resume(_ result: Result<SendReceipt, any Error>) {
        let waiting = state.withLock { state -> CheckedContinuation<SendReceipt, any Error>? in
            guard !state.resumed else { return nil }
            state.resumed = true
            guard let waiter = state.waiter else {
                state.outcome = result
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiting?.resume(with: result)
    }

    private func head(_ status: Int, _ headers: [(name: String, value: String)]) {
        state.withLock { state in
            state.status = status
            state.headers = headers
            state.isEventStream = headers.first { $0.name == "content-type" }?.value.lowercased().hasPrefix("text/event-stream") ?? false
        }
        guard (200..<300).contains(status) else { return }
        onSuccessHead?(headers)
        let receipt = SendReceipt(status: status, headers: headers)
        if let requestID { deliver(.receipt(requestID, receipt)) }
        resume(.success(receipt))
    }

    private func data(_ bytes: [UInt8]) -> Bool {
        let (eventStream, success) = state.withLock { ($0.isEventStream, (200..<300).contains($0.status)) }
        if success && eventStream {
            guard let events = state.withLock({ $0.parser.append(bytes) }) else {
                deliverFailure(MCPClientError(.frameTooLarge, "an SSE event exceeded \(maximumBytes) bytes"))
                return false
            }
            for event in events where event.event == "message" && !event.data.isEmpty { emit(Array(event.data.utf8)) }
            return true
        }
        let limit = success ? maximumBytes : 64 * 1024
        return state.withLock { state in
            guard state.body.count + bytes.count <= limit else { return false }
            state.body.append(contentsOf: bytes)
            return true
        }
    }

    private func emit(_ bytes: [UInt8]) {
        let events = TransportEvent.decoding(
            bytes, parser: JSONParser(maximumDepth: 256, maximumBytes: maximumBytes), excerpt: String(decoding: bytes.prefix(200), as: UTF8.self)
        )
        guard case .message(let value) = events.first else {
            for event in events { deliver(event) }
            return
        }
        if let requestID, let id = value["id"].flatMap(RequestID.init), id == requestID,
            value["result"] != nil || value["error"] != nil
        {
            state.withLock { $0.sawResponse = true }
        }
        deliver(.message(value))
    }

    private func end(_ error: HTTPError?) {
        defer { onFinished?() }
        let (status, body, eventStream, headers) = state.withLock { ($0.status, $0.body, $0.isEventStream, $0.headers) }
        if let error, status == 0 || !(200..<300).contains(status) {
            let failure = ConnectionFailure.error(error)
            resume(.failure(failure))
            deliverFailure(failure)
            return
        }
        guard (200..<300).contains(status) else {
            resume(.failure(ConnectionFailure.httpFailure(status: status, headers: headers, body: body)))
            return
        }
        if !eventStream, status != 202, !body.isEmpty { emit(body) }
        guard !state.withLock({ $0.sawResponse }) else { return }
        if let error {
            deliverFailure(MCPClientError(.connectClosed, "the response stream broke: \(error.message)"))
        } else if eventStream {
            deliverFailure(MCPClientError(.connectClosed, "the response stream ended without a response"))
        } else {
            deliverFailure(MCPClientError(.invalidMessage, "HTTP \(status) carried no JSON-RPC response to the request"))
        }
    }

    private func deliverFailure(_ error: MCPClientError) {
        guard let requestID else { return }
        deliver(.requestFailed(requestID, error))
    }
}
