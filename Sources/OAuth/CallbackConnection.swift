import Glibc

/// One accepted connection to the loopback listener: read the request head, answer, close.
struct CallbackConnection {
    /// The connected socket; closed by ``handle(expectation:)``.
    let descriptor: Int32

    /// The largest request head read.
    static let maximumHeadBytes = 16 * 1024

    /// Serves the request: nil when it was not the callback (a 404 or 405 was sent, the wait goes on), else the
    /// callback's parameters or why they were refused.
    func handle(expectation: CallbackExpectation?) -> Result<CallbackParameters, OAuthError>? {
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let head = readHead() else { return nil }
        let requestLine = head.split(separator: "\r\n", maxSplits: 1).first.map(String.init) ?? ""
        let parts = requestLine.split(separator: " ")
        guard parts.count == 3 else {
            respond(400, "Bad request", "This address only receives a Gatehouse login.")
            return nil
        }
        let target = parts[1]
        let path = target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        guard path == "/callback" else {
            respond(404, "Not found", "This address only receives a Gatehouse login.")
            return nil
        }
        guard parts[0] == "GET" else {
            respond(405, "Method not allowed", "The login response must be a GET.")
            return nil
        }
        let query = target.firstIndex(of: "?").map { String(target[target.index(after: $0)...]) } ?? ""
        let parameters = CallbackParameters(query: query)
        guard let expectation else {
            respond(500, "No login waiting", "Gatehouse is not waiting for this login.")
            return .failure(.failed("a login response arrived but no login was prepared on this listener"))
        }
        do {
            _ = try expectation.code(of: parameters)
        } catch {
            respond(400, "Login failed", "Gatehouse refused this login response; see the terminal for the reason.")
            return .failure(error)
        }
        respond(200, "Login complete", "Gatehouse received the authorization. You can close this tab.")
        return .success(parameters)
    }

    /// The bytes up to the blank line ending the head; nil on a timeout, a close or an oversized head.
    private func readHead() -> String? {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < Self.maximumHeadBytes {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return nil }
            bytes.append(contentsOf: buffer[..<count])
            if let text = String(validating: bytes, as: UTF8.self), text.contains("\r\n\r\n") { return text }
        }
        return nil
    }

    /// Sends a small HTML page with `status`.
    private func respond(_ status: Int, _ title: String, _ text: String) {
        let body =
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>\(title)</title></head>"
            + "<body><h1>\(title)</h1><p>\(text)</p></body></html>\n"
        let head =
            "HTTP/1.1 \(status) \(title)\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\n"
            + "Cache-Control: no-store\r\nConnection: close\r\n\r\n"
        let bytes = Array((head + body).utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes {
                send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            sent += count
        }
    }
}
