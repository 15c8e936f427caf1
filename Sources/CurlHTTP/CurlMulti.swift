internal import CCurl
import Foundation
import Locking

/// The one thread every HTTP exchange runs on: a libcurl multi handle, which keeps connections to a server
/// open for the next request to it, and sleeps in `curl_multi_poll` until a socket or one of libcurl's own
/// timeouts needs it, or another thread adds or cancels a transfer (`curl_multi_wakeup`).
///
/// Transfers' callbacks (head, data, end) run on this thread, so they must not block; every handler in
/// Gatehouse only parses and hands its bytes on. The thread and the multi handle are made on the first
/// HTTP request, so a run that makes none never loads libcurl.
final class CurlMulti: Sendable {
    /// The one multi handle of the process.
    static let shared = CurlMulti()
    /// The size of libcurl's connection cache (CURLMOPT_MAXCONNECTS): connections in use count towards it, and
    /// beyond it the oldest idle one is closed. Large enough that long-lived event streams to a fleet of servers
    /// leave room for requests' connections to be kept, small enough to bound what outlives the requests.
    static let keptConnections = 32
    /// The longest sleep with nothing to do (a wake-up or libcurl's own timeout ends it sooner).
    static let idleMilliseconds: Int32 = 60_000

    private enum Request {
        case add(CurlStream)
        case cancel(CurlStream)
    }

    private let requests = Locked<[Request]>([])
    /// The multi handle, or nil when libcurl could not be loaded. Only this object's thread uses it, except
    /// for `curl_multi_wakeup`, which libcurl documents as callable from any thread.
    nonisolated(unsafe) private let multi: UnsafeMutableRawPointer?
    private let failure: String

    private init() {
        if CurlHTTPClient.globalInit, let multi = ccurl_multi_init() {
            _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, Self.keptConnections)
            self.multi = multi
            failure = ""
        } else {
            multi = nil
            failure = ccurl_load_error().map { String(cString: $0) } ?? "curl_multi_init failed"
        }
        if multi != nil {
            let thread = Thread { [self] in
                _ = ccurl_name_thread("gatehouse.curl")
                run()
            }
            thread.start()
        }
    }

    /// Starts `stream`'s transfer on the multi thread.
    func add(_ stream: CurlStream) {
        guard let multi else {
            return stream.end(HTTPError(.transport, "libcurl could not be initialised: \(failure)"))
        }
        requests.withLock { $0.append(.add(stream)) }
        _ = ccurl_multi_wakeup(multi)
    }

    /// Ends `stream`'s transfer at once (its end handler gets the cancellation).
    func cancel(_ stream: CurlStream) {
        guard let multi else { return }
        requests.withLock { $0.append(.cancel(stream)) }
        _ = ccurl_multi_wakeup(multi)
    }

    /// The thread's loop: take requests, let libcurl move every transfer on, finish those that are done, sleep.
    private func run() {
        guard let multi else { return }
        var transfers: [Int: CurlStream.Transfer] = [:]
        while true {
            for request in requests.withLock({ queued in defer { queued = [] }; return queued }) {
                switch request {
                case .add(let stream):
                    guard let transfer = stream.makeTransfer() else { continue }
                    guard ccurl_multi_add_handle(multi, transfer.handle) == CURLM_OK else {
                        transfer.release()
                        stream.end(HTTPError(.transport, "libcurl refused the transfer"))
                        continue
                    }
                    transfers[Int(bitPattern: transfer.handle)] = transfer
                case .cancel(let stream):
                    guard let key = transfers.first(where: { $0.value.stream === stream })?.key,
                          let transfer = transfers.removeValue(forKey: key) else { continue }
                    finish(transfer, code: CURLE_ABORTED_BY_CALLBACK, in: multi)
                }
            }
            var running: Int32 = 0
            _ = ccurl_multi_perform(multi, &running)
            var handle: UnsafeMutableRawPointer?
            var code = CURLE_OK
            while ccurl_multi_next_done(multi, &handle, &code) == 1 {
                guard let handle, let transfer = transfers.removeValue(forKey: Int(bitPattern: handle)) else { continue }
                finish(transfer, code: code, in: multi)
            }
            _ = ccurl_multi_poll(multi, Self.idleMilliseconds)
        }
    }

    private func finish(_ transfer: CurlStream.Transfer, code: CURLcode, in multi: UnsafeMutableRawPointer) {
        _ = ccurl_multi_remove_handle(multi, transfer.handle)
        transfer.release()
        transfer.stream.finish(code)
    }
}
