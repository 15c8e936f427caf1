import CurlHTTP
import Foundation
public import StrictJSON

/// The deprecated HTTP+SSE transport (2024-11-05): a GET stream whose first `endpoint` event names the URL
/// to POST messages to; every server message, responses included, arrives on the stream.
public final class LegacySSETransport: MessageTransport, @unchecked Sendable {
    /// Inbound events.
    public let events: AsyncStream<TransportEvent>
    private let continuation: AsyncStream<TransportEvent>.Continuation
    let headers: [String: String]
    private let lock = NSLock()
    private var endpoint: String?
    private var endpointWaiter: CheckedContinuation<String, any Error>?
    /// The GET stream (under `lock`: its callbacks and `close` race with `connect`).
    private var stream: CurlStream?
    private var cancelRequested = false
    private var parser = SSEParser()
    private var closed = false
    private var streamResponseHeaders: [(name: String, value: String)] = []

    /// The response headers of the GET stream (the handshake's HTTP response on this transport).
    public var streamHeaders: [(name: String, value: String)] { lock.withLock { streamResponseHeaders } }

    private init(headers: [String: String]) {
        self.headers = headers
        (events, continuation) = AsyncStream.makeStream(of: TransportEvent.self, bufferingPolicy: .unbounded)
    }

    /// Opens the GET stream and waits (at most `timeout` seconds) for the `endpoint` event.
    /// - Throws: ``MCPClientError`` `connect.*`.
    public static func connect(url: String, headers: [String: String], timeout: Double) async throws -> LegacySSETransport {
        let transport = LegacySSETransport(headers: headers)
        var requestHeaders: [(name: String, value: String)] = [("Accept", "text/event-stream")]
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { requestHeaders.append((name, value)) }
        let request = HTTPRequest(url: url, headers: requestHeaders, connectTimeout: timeout, totalTimeout: 0)
        let timer = Task {
            try? await Task.sleep(for: .seconds(timeout))
            transport.failEndpoint(MCPClientError(.connectTimeout, "no endpoint event within \(Seconds.text(timeout)) s"))
        }
        defer { timer.cancel() }
        let endpoint = try await withCheckedThrowingContinuation { waiter in
            transport.lock.withLock { transport.endpointWaiter = waiter }
            let started = CurlStream.start(
                request,
                onHead: { status, headers in
                    transport.lock.withLock { transport.streamResponseHeaders = headers }
                    if !(200..<300).contains(status) {
                        transport.failEndpoint(MCPClientError(.httpStatus, "HTTP \(status) on the SSE stream", httpStatus: status))
                    }
                },
                onData: { bytes in transport.received(bytes, base: url) },
                onEnd: { error in transport.ended(error) }
            )
            let cancelled = transport.lock.withLock { () -> Bool in
                transport.stream = started
                return transport.cancelRequested
            }
            if cancelled { started.cancel() }
        }
        transport.lock.withLock { transport.endpoint = endpoint }
        return transport
    }

    private func failEndpoint(_ error: MCPClientError) {
        let waiter = lock.withLock { () -> CheckedContinuation<String, any Error>? in
            defer { endpointWaiter = nil }
            return endpointWaiter
        }
        if waiter != nil { cancelStream() }
        waiter?.resume(throwing: error)
    }

    private func received(_ bytes: [UInt8], base: String) -> Bool {
        guard let events = lock.withLock({ parser.append(bytes) }) else {
            continuation.yield(.closed(MCPClientError(.frameTooLarge, "an SSE event exceeded the frame cap")))
            return false
        }
        for event in events {
            if event.event == "endpoint" {
                let resolved = URL(string: event.data, relativeTo: URL(string: base))?.absoluteString ?? event.data
                let waiter = lock.withLock { () -> CheckedContinuation<String, any Error>? in
                    defer { endpointWaiter = nil }
                    return endpointWaiter
                }
                waiter?.resume(returning: resolved)
            } else if event.event == "message" {
                let decoded = TransportEvent.decoding(
                    Array(event.data.utf8), parser: JSONParser(maximumDepth: 256), excerpt: String(event.data.prefix(200))
                )
                for item in decoded { continuation.yield(item) }
            }
        }
        return true
    }

    private func ended(_ error: HTTPError?) {
        // Before the endpoint event this is the handshake: a refused or unresolved stream is connect.refused,
        // as on every transport (ConnectionFailure); a stream that ended by itself is connect.closed.
        failEndpoint(
            error.map { ConnectionFailure.error($0, context: "the SSE stream failed before an endpoint event") }
                ?? MCPClientError(.connectClosed, "the SSE stream ended before an endpoint event")
        )
        let wasClosed = lock.withLock { () -> Bool in
            defer { closed = true }
            return closed
        }
        guard !wasClosed else { return }
        continuation.yield(.closed(MCPClientError(.connectClosed, "the SSE stream ended\(error.map { ": \($0.message)" } ?? "")")))
        continuation.finish()
    }

    public func send(_ message: JSONValue, options: SendOptions) async throws -> SendReceipt {
        guard let endpoint = lock.withLock({ closed ? nil : endpoint }) else {
            throw MCPClientError(.connectClosed, "the SSE transport is closed")
        }
        var requestHeaders: [(name: String, value: String)] = [("Content-Type", "application/json")]
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { requestHeaders.append((name, value)) }
        let request = HTTPRequest(
            method: "POST", url: endpoint, headers: requestHeaders, body: JSONSerializer.bytes(message),
            connectTimeout: 5, totalTimeout: 30, maximumResponseBytes: 64 * 1024
        )
        let response: HTTPResponse
        do {
            response = try await CurlHTTPClient.perform(request)
        } catch let error as HTTPError {
            throw ConnectionFailure.error(error, context: "posting to the message endpoint failed")
        }
        guard (200..<300).contains(response.status) else {
            throw MCPClientError(.httpStatus, "HTTP \(response.status) from the message endpoint", httpStatus: response.status)
        }
        return SendReceipt(status: response.status, headers: response.headers)
    }

    public func abandon(_ requestID: RequestID) async {}

    public func negotiated(version: String, modern: Bool) async {}

    public func close() async {
        cancelStream()
    }

    /// Stops the GET stream, also when asked before `connect` has recorded it.
    private func cancelStream() {
        let current = lock.withLock { () -> CurlStream? in
            cancelRequested = true
            return stream
        }
        current?.cancel()
    }
}
