internal import CCurl
import Foundation

/// HTTP(S) through libcurl. Each transfer runs `curl_easy_perform` on its own thread (never on the Swift
/// concurrency pool, which has one thread per core) and resumes the caller when it ends.
///
/// Hardened for untrusted servers: no redirects, only the http and https protocols, a connect timeout and
/// a total timeout, and a cap on the response body enforced while it streams in.
public enum CurlHTTPClient {
    /// curl_global_init must run once before any handle is made.
    static let globalInit: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK

    /// Performs `request` and returns the response, whatever its status.
    /// - Throws: ``HTTPError``.
    public static func perform(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard request.url.hasPrefix("http://") || request.url.hasPrefix("https://") else {
            throw HTTPError(.invalidURL, "only http:// and https:// URLs are fetched, not \(request.url.prefix(60))")
        }
        return try await withCheckedThrowingContinuation { continuation in
            let transfer = CurlTransfer(request: request)
            let thread = Thread {
                continuation.resume(with: transfer.run())
            }
            thread.name = "gatehouse.curl"
            thread.start()
        }
    }
}

/// The state of one transfer, shared with libcurl's callbacks through an unretained pointer. Only the
/// transfer's own thread touches it while `curl_easy_perform` runs.
final class CurlTransfer: @unchecked Sendable {
    let request: HTTPRequest
    var body: [UInt8] = []
    var headerLines: [(String, String)] = []
    var exceededLimit = false

    init(request: HTTPRequest) {
        self.request = request
    }

    func run() -> Result<HTTPResponse, any Error> {
        guard CurlHTTPClient.globalInit, let handle = curl_easy_init() else {
            return .failure(HTTPError(.transport, "libcurl could not be initialised"))
        }
        defer { curl_easy_cleanup(handle) }
        var headerList: UnsafeMutablePointer<curl_slist>?
        for header in request.headers {
            headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
        }
        defer { curl_slist_free_all(headerList) }
        let context = Unmanaged.passUnretained(self).toOpaque()
        configure(handle, headers: headerList, context: context)
        let code = curl_easy_perform(handle)
        var status = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        if exceededLimit {
            return .failure(HTTPError(.tooLarge, "the response is larger than \(request.maximumResponseBytes) bytes"))
        }
        guard code == CURLE_OK else {
            let text = String(cString: curl_easy_strerror(code))
            switch code {
            case CURLE_OPERATION_TIMEDOUT: return .failure(HTTPError(.timeout, "timed out: \(text)"))
            case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST:
                return .failure(HTTPError(.refused, "could not connect: \(text)"))
            case CURLE_FILESIZE_EXCEEDED:
                return .failure(HTTPError(.tooLarge, "the response is larger than \(request.maximumResponseBytes) bytes"))
            default: return .failure(HTTPError(.transport, text))
            }
        }
        return .success(HTTPResponse(status: status, headers: headerLines, body: body))
    }

    private func configure(_ handle: UnsafeMutableRawPointer, headers: UnsafeMutablePointer<curl_slist>?, context: UnsafeMutableRawPointer) {
        _ = ccurl_setopt_string(handle, CURLOPT_URL, request.url)
        _ = ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        _ = ccurl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(request.connectTimeout * 1000))
        _ = ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(request.totalTimeout * 1000))
        _ = ccurl_setopt_long(handle, CURLOPT_MAXFILESIZE, request.maximumResponseBytes)
        _ = ccurl_setopt_string(handle, CURLOPT_USERAGENT, "gatehouse/0.1")
        _ = ccurl_setopt_list(handle, CURLOPT_HTTPHEADER, headers)
        if request.method == "POST" {
            let body = request.body ?? []
            _ = ccurl_setopt_long(handle, CURLOPT_POST, 1)
            body.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { characters in
                    _ = ccurl_setopt_post_body(handle, characters.baseAddress, body.count)
                }
            }
        }
        _ = ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        _ = ccurl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION) { pointer, size, count, context in
            guard let pointer, let context else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
            let length = size * count
            guard transfer.body.count + length <= transfer.request.maximumResponseBytes else {
                transfer.exceededLimit = true
                return 0
            }
            pointer.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
                transfer.body.append(contentsOf: UnsafeBufferPointer(start: bytes, count: length))
            }
            return length
        }
        _ = ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
        _ = ccurl_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION) { pointer, size, count, context in
            guard let pointer, let context else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
            let length = size * count
            let line = pointer.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
                String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
            }
            transfer.receivedHeaderLine(line)
            return length
        }
    }

    /// A new status line (a redirect or `100 Continue` came first) starts a new header list.
    func receivedHeaderLine(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") {
            headerLines.removeAll()
            return
        }
        guard let colon = trimmed.firstIndex(of: ":") else { return }
        let name = trimmed[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        headerLines.append((name, value))
    }
}
