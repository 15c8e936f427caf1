import CurlHTTP
import Foundation
public import StrictJSON
import Locking

/// The deprecated HTTP+SSE transport (2024-11-05): a GET stream whose first `endpoint` event names the URL
/// to POST messages to; every server message, responses included, arrives on the stream.
public final class LegacySSETransport: MessageTransport, DisposableTransport {
    /// Inbound events.
    public let events: AsyncStream<TransportEvent>
    private let continuation: AsyncStream<TransportEvent>.Continuation
    let headers: [String: String]
    private struct State {
        var endpoint: String?
        var endpointWaiter: CheckedContinuation<String, any Error>?
        /// The GET stream (its callbacks and `close` race with `connect`).
        var stream: CurlStream?
        var cancelRequested = false
        var parser = SSEParser()
        var closed = false
        var streamResponseHeaders: [(name: String, value: String)] = []
    }

    private let state = Locked(State())

    /// The response headers of the GET stream (the handshake's HTTP response on this transport).
    public var streamHeaders: [(name: String, value: String)] { state.withLock { $0.streamResponseHeaders } }

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
        // The timeout is a child task beside the wait, cancelled when the endpoint (or a failure) comes.
        let endpoint = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(for: .seconds(timeout))
                guard !Task.isCancelled else { return }
                transport.failEndpoint(MCPClientError(.connectTimeout, "no endpoint event within \(Seconds.text(timeout)) s"))
            }
            defer { group.cancelAll() }
            return try await transport.openStream(request, base: url)
        }
        transport.state.withLock { $0.endpoint = endpoint }
        return transport
    }

    /// Starts the GET stream and waits for its `endpoint` event (or its failure).
    private func openStream(_ request: HTTPRequest, base url: String) async throws -> String {
        try await withCheckedThrowingContinuation { waiter in
            state.withLock { $0.endpointWaiter = waiter }
            let started = CurlStream.start(
                request,
                onHead: { [self] status, headers in
                    state.withLock { $0.streamResponseHeaders = headers }
                    if !(200..<300).contains(status) {
                        failEndpoint(ConnectionFailure.httpFailure(status: status, headers: headers, body: Array("on the SSE stream".utf8)))
                    }
                },
                onData: { [self] bytes in received(bytes, base: url) },
                onEnd: { [self] error in ended(error) }
            )
            let cancelled = state.withLock { state -> Bool in
                state.stream = started
                return state.cancelRequested
            }
            if cancelled { started.cancel() }
        }
    }

    private func failEndpoint(_ error: MCPClientError) {
        let waiter = takeEndpointWaiter()
        if waiter != nil { cancelStream() }
        waiter?.resume(throwing: error)
    }

    /// Scheme, host and port (the default port spelled out), lower-cased.
    static func origin(of url: URL) -> String {
        let scheme = (url.scheme ?? "").lowercased()
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        return "\(scheme)://\((url.host ?? "").lowercased()):\(port)"
    }

    private func takeEndpointWaiter() -> CheckedContinuation<String, any Error>? {
        state.withLock { state in
            defer { state.endpointWaiter = nil }
            return state.endpointWaiter
        }
    }

    private func received(_ bytes: [UInt8], base: String) -> Bool {
        guard let events = state.withLock({ $0.parser.append(bytes) }) else {
            continuation.yield(.closed(MCPClientError(.frameTooLarge, "an SSE event exceeded the frame cap")))
            return false
        }
        for event in events {
            if event.event == "endpoint" {
                let resolved = URL(string: event.data, relativeTo: URL(string: base))?.absoluteURL
                // The POSTs carry the profile's headers and any OAuth token: only to the stream's own origin.
                guard let resolved, Self.origin(of: resolved) == URL(string: base).map(Self.origin) else {
                    failEndpoint(MCPClientError(
                        .handshakeFailed, "the endpoint event names another origin than the SSE stream's (\(event.data.prefix(120))): nothing is sent there"
                    ))
                    return false
                }
                takeEndpointWaiter()?.resume(returning: resolved.absoluteString)
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
        let wasClosed = state.withLock { state -> Bool in
            defer { state.closed = true }
            return state.closed
        }
        guard !wasClosed else { return }
        continuation.yield(.closed(MCPClientError(.connectClosed, "the SSE stream ended\(error.map { ": \($0.message)" } ?? "")")))
        continuation.finish()
    }

    public func send(_ message: JSONValue, options: SendOptions) async throws -> SendReceipt {
        guard let endpoint = state.withLock({ $0.closed ? nil : $0.endpoint }) else {
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
            throw ConnectionFailure.httpFailure(status: response.status, headers: response.headers, body: response.body)
        }
        return SendReceipt(status: response.status, headers: response.headers)
    }

    public func abandon(_ requestID: RequestID) async {}

    public func negotiated(version: String, modern: Bool) async {}

    public func close() async {
        cancelStream()
    }

    /// ``close()`` never waits: the stream's thread sees the cancellation and ends it.
    func dispose() {
        cancelStream()
    }

    /// Stops the GET stream, also when asked before `connect` has recorded it.
    private func cancelStream() {
        let current = state.withLock { state -> CurlStream? in
            state.cancelRequested = true
            return state.stream
        }
        current?.cancel()
    }
}
