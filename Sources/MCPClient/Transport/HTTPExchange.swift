import CurlHTTP
import Foundation
import StrictJSON

/// One POST (or GET) on an HTTP transport: resumes the sender when the head arrives (2xx) or when the
/// exchange ends (errors, so their body can be read), and turns the body — JSON or SSE — into messages.
final class HTTPExchange: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<SendReceipt, any Error>?
    private var status = 0
    private var headers: [(name: String, value: String)] = []
    private var body: [UInt8] = []
    private var isEventStream = false
    private var parser = SSEParser()
    private var sawResponse = false
    let requestID: RequestID?
    let deliver: @Sendable (TransportEvent) -> Void
    let maximumBytes: Int
    /// The transfer (under `lock`: the transfer thread's callbacks and `cancel` race with `start`).
    private var stream: CurlStream?
    private var cancelRequested = false
    /// Runs on the transfer thread when a 2xx head arrives, before the sender resumes and before any body
    /// message is delivered (the legacy session id must be known before the response is acted on).
    var onSuccessHead: (@Sendable ([(name: String, value: String)]) -> Void)?
    /// Runs when the exchange has ended, whatever the outcome.
    var onFinished: (@Sendable () -> Void)?

    init(requestID: RequestID?, maximumBytes: Int, deliver: @escaping @Sendable (TransportEvent) -> Void) {
        self.requestID = requestID
        self.maximumBytes = maximumBytes
        self.deliver = deliver
    }

    /// Starts the exchange and waits for its head (or its end, for errors).
    func start(_ request: HTTPRequest) async throws -> SendReceipt {
        try await withCheckedThrowingContinuation { continuation in
            lock.withLock { self.continuation = continuation }
            let started = CurlStream.start(
                request,
                onHead: { [self] status, headers in head(status, headers) },
                onData: { [self] bytes in data(bytes) },
                onEnd: { [self] error in end(error) }
            )
            let cancelled = lock.withLock { () -> Bool in
                stream = started
                return cancelRequested
            }
            if cancelled { started.cancel() }
        }
    }

    /// Stops the transfer, also when it is asked for before `start` has recorded it.
    func cancel() {
        let current = lock.withLock { () -> CurlStream? in
            cancelRequested = true
            return stream
        }
        current?.cancel()
    }

    private func resume(_ result: Result<SendReceipt, any Error>) {
        let waiting = lock.withLock { () -> CheckedContinuation<SendReceipt, any Error>? in
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume(with: result)
    }

    private func head(_ status: Int, _ headers: [(name: String, value: String)]) {
        lock.withLock {
            self.status = status
            self.headers = headers
            isEventStream = headers.first { $0.name == "content-type" }?.value.lowercased().hasPrefix("text/event-stream") ?? false
        }
        guard (200..<300).contains(status) else { return }
        onSuccessHead?(headers)
        let receipt = SendReceipt(status: status, headers: headers)
        if let requestID { deliver(.receipt(requestID, receipt)) }
        resume(.success(receipt))
    }

    private func data(_ bytes: [UInt8]) -> Bool {
        let (eventStream, success) = lock.withLock { (isEventStream, (200..<300).contains(status)) }
        if success && eventStream {
            guard let events = lock.withLock({ parser.append(bytes) }) else {
                deliverFailure(MCPClientError(.frameTooLarge, "an SSE event exceeded \(maximumBytes) bytes"))
                return false
            }
            for event in events where event.event == "message" && !event.data.isEmpty { emit(Array(event.data.utf8)) }
            return true
        }
        let limit = success ? maximumBytes : 64 * 1024
        return lock.withLock {
            guard body.count + bytes.count <= limit else { return false }
            body.append(contentsOf: bytes)
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
            lock.withLock { sawResponse = true }
        }
        deliver(.message(value))
    }

    private func end(_ error: HTTPError?) {
        defer { onFinished?() }
        let (status, body, eventStream) = lock.withLock { (self.status, self.body, isEventStream) }
        if let error, status == 0 || !(200..<300).contains(status) {
            let failure = ConnectionFailure.error(error)
            resume(.failure(failure))
            deliverFailure(failure)
            return
        }
        guard (200..<300).contains(status) else {
            let rpc = (try? JSONParser().parse(body)).flatMap(JSONRPCMessage.init).flatMap { message -> RPCErrorObject? in
                if case .errorResponse(_, let object) = message { return object }
                return nil
            }
            let excerpt = String(decoding: body.prefix(200), as: UTF8.self)
            let failure = MCPClientError(.httpStatus, "HTTP \(status): \(excerpt)", rpcError: rpc, httpStatus: status)
            resume(.failure(failure))
            return
        }
        if !eventStream, status != 202, !body.isEmpty { emit(body) }
        guard !(lock.withLock { sawResponse }) else { return }
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
