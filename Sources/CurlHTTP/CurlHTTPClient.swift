internal import CCurl
import Foundation
import Locking

/// One-shot HTTP(S) through libcurl: a ``CurlStream`` whose body is collected up to the request's
/// `maximumResponseBytes` (a larger body aborts the transfer as it streams in, never held whole).
///
/// Hardened for untrusted servers: no redirects, only the http and https protocols, a connect timeout and a
/// total timeout (a slow-loris server is cut off), and the body cap.
public enum CurlHTTPClient {
    /// curl_global_init must run once before any handle is made; this also loads libcurl (on first HTTP use).
    static let globalInit: Bool = ccurl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK

    /// How many idle connections the process keeps open for reuse (all servers together): the bound on
    /// sockets that outlive their requests.
    public static var keptConnections: Int { CurlMulti.keptConnections }

    /// Performs `request` and returns the response, whatever its status.
    /// - Throws: ``HTTPError``.
    public static func perform(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard request.url.hasPrefix("http://") || request.url.hasPrefix("https://") else {
            throw HTTPError(.invalidURL, "only http:// and https:// URLs are fetched, not \(request.url.prefix(60))")
        }
        let collector = ResponseCollector(limit: request.maximumResponseBytes)
        return try await withCheckedThrowingContinuation { continuation in
            _ = CurlStream.start(
                request,
                onHead: { status, headers in collector.head(status, headers) },
                onData: { bytes in collector.append(bytes) },
                onEnd: { error in continuation.resume(with: collector.result(error, limit: request.maximumResponseBytes)) }
            )
        }
    }
}

/// Collects one response for ``CurlHTTPClient``; touched only by the ``CurlMulti`` thread.
private final class ResponseCollector: Sendable {
    private struct State {
        var status = 0
        var headers: [(name: String, value: String)] = []
        var body: [UInt8] = []
        var exceeded = false
    }

    private let state = Locked(State())
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    func head(_ status: Int, _ headers: [(name: String, value: String)]) {
        state.withLock { state in
            state.status = status
            state.headers = headers
        }
    }

    func append(_ bytes: [UInt8]) -> Bool {
        state.withLock { state in
            guard state.body.count + bytes.count <= limit else {
                state.exceeded = true
                return false
            }
            state.body.append(contentsOf: bytes)
            return true
        }
    }

    func result(_ error: HTTPError?, limit: Int) -> Result<HTTPResponse, any Error> {
        state.withLock { state in
            if state.exceeded { return .failure(HTTPError(.tooLarge, "the response is larger than \(limit) bytes")) }
            if let error { return .failure(error) }
            return .success(HTTPResponse(status: state.status, headers: state.headers, body: state.body))
        }
    }
}
