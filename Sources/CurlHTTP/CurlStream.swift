internal import CCurl
import Foundation
import Locking

/// A streaming HTTP exchange through libcurl, run by the one ``CurlMulti`` thread: the head (status and
/// headers) and each body chunk are delivered as they arrive, and ``cancel()`` ends the transfer from any
/// thread (the multi thread removes it at once; the write and progress callbacks check the flag too).
public final class CurlStream: Sendable {
    /// Receives the head once.
    public typealias HeadHandler = @Sendable (_ status: Int, _ headers: [(name: String, value: String)]) -> Void
    /// Receives body chunks; returning false aborts the transfer.
    public typealias DataHandler = @Sendable ([UInt8]) -> Bool
    /// Receives the end: nil for a complete transfer, else why it stopped.
    public typealias EndHandler = @Sendable (HTTPError?) -> Void

    private struct State {
        var cancelled = false
        var ended = false
        var headDelivered = false
        var headers: [(name: String, value: String)] = []
        var status = 0
    }

    /// The cancel flag (set from any thread) and the head as the multi thread parses it.
    private let state = Locked(State())
    let request: HTTPRequest
    let onHead: HeadHandler
    let onData: DataHandler
    let onEnd: EndHandler

    private init(request: HTTPRequest, onHead: @escaping HeadHandler, onData: @escaping DataHandler, onEnd: @escaping EndHandler) {
        self.request = request
        self.onHead = onHead
        self.onData = onData
        self.onEnd = onEnd
    }

    /// Starts `request` (its `totalTimeout` of 0 means no limit; `maximumResponseBytes` is ignored: the
    /// data handler enforces its own limits).
    public static func start(
        _ request: HTTPRequest, onHead: @escaping HeadHandler, onData: @escaping DataHandler, onEnd: @escaping EndHandler
    ) -> CurlStream {
        let stream = CurlStream(request: request, onHead: onHead, onData: onData, onEnd: onEnd)
        CurlMulti.shared.add(stream)
        return stream
    }

    /// Aborts the transfer.
    public func cancel() {
        state.withLock { $0.cancelled = true }
        CurlMulti.shared.cancel(self)
    }

    var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// One transfer's libcurl resources, owned by the multi thread from `makeTransfer` to `release`.
    struct Transfer {
        let handle: UnsafeMutableRawPointer
        let headerList: UnsafeMutablePointer<curl_slist>?
        /// Kept here so the stream lives while libcurl holds a pointer to it.
        let stream: CurlStream

        func release() {
            ccurl_easy_cleanup(handle)
            ccurl_slist_free_all(headerList)
        }
    }

    /// A configured easy handle for this stream, or nil (the end handler has been called) when libcurl has none.
    func makeTransfer() -> Transfer? {
        guard let handle = ccurl_easy_init() else {
            end(HTTPError(.transport, "libcurl could not make a transfer"))
            return nil
        }
        var headerList: UnsafeMutablePointer<curl_slist>?
        for header in request.headers { headerList = ccurl_slist_append(headerList, "\(header.name): \(header.value)") }
        configure(handle, headers: headerList)
        return Transfer(handle: handle, headerList: headerList, stream: self)
    }

    /// Ends the stream with libcurl's result for it.
    func finish(_ code: CURLcode) {
        deliverHeadIfNeeded()
        if isCancelled { return end(HTTPError(.transport, "cancelled")) }
        guard code == CURLE_OK else { return end(Self.error(for: code, text: String(cString: ccurl_easy_strerror(code)))) }
        end(nil)
    }

    /// Calls the end handler, once.
    func end(_ error: HTTPError?) {
        let first = state.withLock { state in
            defer { state.ended = true }
            return !state.ended
        }
        if first { onEnd(error) }
    }

    /// The kind of a failed transfer, from libcurl's result code.
    static func error(for code: CURLcode, text: String) -> HTTPError {
        switch code {
        case CURLE_OPERATION_TIMEDOUT: HTTPError(.timeout, "timed out: \(text)")
        case CURLE_COULDNT_CONNECT: HTTPError(.refused, "could not connect: \(text)")
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: HTTPError(.unresolved, "could not resolve the host: \(text)")
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR,
            CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_USE_SSL_FAILED:
            HTTPError(.tls, "TLS failed: \(text)")
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            HTTPError(.closed, "the connection closed: \(text)")
        default: HTTPError(.transport, text)
        }
    }

    private func configure(_ handle: UnsafeMutableRawPointer, headers: UnsafeMutablePointer<curl_slist>?) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        _ = ccurl_setopt_string(handle, CURLOPT_URL, request.url)
        _ = ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        if request.method != "GET" {
            // libcurl resends a request that got no answer on a reused connection (it takes the connection for
            // one the server closed while idle), whatever its method. A POST is a JSON-RPC message, a tool call
            // perhaps, and RFC 9110 §9.2.2 says not to repeat it unasked: it gets a connection of its own.
            _ = ccurl_setopt_long(handle, CURLOPT_FRESH_CONNECT, 1)
            _ = ccurl_setopt_long(handle, CURLOPT_FORBID_REUSE, 1)
        }
        _ = ccurl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(request.connectTimeout * 1000)))
        if request.totalTimeout > 0 { _ = ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(request.totalTimeout * 1000)) }
        _ = ccurl_setopt_string(handle, CURLOPT_USERAGENT, "gatehouse/0.1")
        _ = ccurl_setopt_list(handle, CURLOPT_HTTPHEADER, headers)
        if request.method == "POST" {
            let body = request.body ?? []
            _ = ccurl_setopt_long(handle, CURLOPT_POST, 1)
            body.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { _ = ccurl_setopt_post_body(handle, $0.baseAddress, body.count) }
            }
        } else if request.method != "GET" {
            _ = ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
        }
        _ = ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        _ = ccurl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION) { pointer, size, count, context in
            guard let pointer, let context else { return 0 }
            let stream = Unmanaged<CurlStream>.fromOpaque(context).takeUnretainedValue()
            let length = size * count
            if stream.isCancelled { return 0 }
            stream.deliverHeadIfNeeded()
            let bytes = pointer.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
            return stream.onData(bytes) ? length : 0
        }
        _ = ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
        _ = ccurl_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION) { pointer, size, count, context in
            guard let pointer, let context else { return 0 }
            let stream = Unmanaged<CurlStream>.fromOpaque(context).takeUnretainedValue()
            let length = size * count
            let line = pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
                String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
            }
            stream.receivedHeaderLine(line)
            return length
        }
        _ = ccurl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
        _ = ccurl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context)
        _ = ccurl_setopt_progress_callback(handle) { context, _, _, _, _ in
            guard let context else { return 1 }
            return Unmanaged<CurlStream>.fromOpaque(context).takeUnretainedValue().isCancelled ? 1 : 0
        }
    }

    private func receivedHeaderLine(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") {
            let parts = trimmed.split(separator: " ")
            state.withLock { state in
                state.headers.removeAll()
                state.status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            }
            return
        }
        if trimmed.isEmpty {
            // The end of a head; a 1xx head is followed by another one.
            if state.withLock({ $0.status }) >= 200 { deliverHeadIfNeeded() }
            return
        }
        guard let colon = trimmed.firstIndex(of: ":") else { return }
        let header = (
            name: trimmed[..<colon].trimmingCharacters(in: .whitespaces).lowercased(),
            value: trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        )
        state.withLock { $0.headers.append(header) }
    }

    private func deliverHeadIfNeeded() {
        let head = state.withLock { state -> (Int, [(name: String, value: String)])? in
            guard !state.headDelivered, state.status > 0 else { return nil }
            state.headDelivered = true
            return (state.status, state.headers)
        }
        if let (status, headers) = head { onHead(status, headers) }
    }
}
