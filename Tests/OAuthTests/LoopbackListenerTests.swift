import Foundation
import Glibc
import Testing

@testable import OAuth

@Suite(.timeLimit(.minutes(1)))
struct LoopbackListenerTests {
    static let expectation = CallbackExpectation(
        state: "good-state", issuer: "https://auth.example", issuerParameterRequired: false)

    /// Sends `request` to 127.0.0.1:`port` over a real socket — from the local address `source` (network
    /// byte order) when given — and returns the whole answer.
    static func send(_ request: String, port: Int, source: in_addr_t? = nil) -> String {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = source
            let bound = withUnsafePointer(to: &local) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else { return "bind failed" }
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return "connect failed" }
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, 0) }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            answer += buffer[..<count]
        }
        return String(decoding: answer, as: UTF8.self)
    }

    static func port(_ listener: LoopbackListener) throws -> Int {
        let text = try #require(listener.redirectURI.split(separator: ":").last?.split(separator: "/").first)
        return try #require(Int(text))
    }

    /// A listener expecting ``expectation``, and its port.
    static func preparedListener() throws -> (LoopbackListener, Int) {
        let listener = try LoopbackListener()
        listener.expect(expectation)
        return (listener, try port(listener))
    }

    static func get(_ target: String, port: Int, source: in_addr_t? = nil) -> String {
        send("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n", port: port, source: source)
    }

    @Test("the redirect URI is http://127.0.0.1:<ephemeral port>/callback and the socket is bound to 127.0.0.1 only")
    func boundToLoopback() throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        #expect(listener.redirectURI.hasPrefix("http://127.0.0.1:") && listener.redirectURI.hasSuffix("/callback"))
        let port = try Self.port(listener)
        #expect(port > 0)
        // Read to the end: /proc reports a size of 0, and with many sockets open (the whole suite) the table
        // is longer than what a size-based read returns.
        let table = try #require(FileHandle(forReadingAtPath: "/proc/net/tcp"))
        defer { try? table.close() }
        let listening = String(decoding: try table.readToEnd() ?? Data(), as: UTF8.self)
        // Local address 0100007F:<port hex>, state 0A (LISTEN).
        #expect(listening.contains(String(format: "0100007F:%04X 00000000:0000 0A", port)))
        #expect(!listening.contains(String(format: "00000000:%04X 00000000:0000 0A", port)))
    }

    /// This machine's first IPv4 address that is not loopback (network byte order); else 127.0.0.2, which
    /// is not 127.0.0.1 either.
    static func otherSourceAddress() -> (address: in_addr_t, nonLoopback: Bool) {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { return (UInt32(0x7F00_0002).bigEndian, false) }
        defer { freeifaddrs(list) }
        var cursor = list
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let raw = entry.pointee.ifa_addr, raw.pointee.sa_family == sa_family_t(AF_INET) else { continue }
            let address = raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr }
            if UInt32(bigEndian: address) >> 24 != 127 { return (address, true) }
        }
        return (UInt32(0x7F00_0002).bigEndian, false)
    }

    @Test("a callback from another address than 127.0.0.1 (a non-loopback one when the machine has it) is closed unanswered; the real one still completes")
    func callbackFromAnotherAddress() async throws {
        let (listener, port) = try Self.preparedListener()
        defer { listener.close() }
        let (source, nonLoopback) = Self.otherSourceAddress()
        let answers = Task.detached {
            [
                Self.get("/callback?code=forged&state=good-state", port: port, source: source),
                Self.get("/callback?code=abc&state=good-state", port: port),
            ]
        }
        let parameters = try await listener.waitForCallback(timeout: 10)
        #expect(parameters.values == ["code": "abc", "state": "good-state"], "the forged code from \(nonLoopback ? "a non-loopback address" : "127.0.0.2") was not taken")
        let pages = await answers.value
        #expect(pages[0].isEmpty, "closed unanswered: \(pages[0].prefix(100))")
        #expect(pages[1].hasPrefix("HTTP/1.1 200"))
    }

    @Test("the right state returns the parameters and a success page; other paths get a 404 first")
    func rightState() async throws {
        let (listener, port) = try Self.preparedListener()
        defer { listener.close() }
        let answers = Task.detached {
            [Self.get("/favicon.ico", port: port), Self.get("/callback?code=abc&state=good-state", port: port)]
        }
        let parameters = try await listener.waitForCallback(timeout: 10)
        #expect(parameters.values == ["code": "abc", "state": "good-state"])
        let pages = await answers.value
        #expect(pages[0].hasPrefix("HTTP/1.1 404"))
        #expect(pages[1].hasPrefix("HTTP/1.1 200") && pages[1].contains("text/html"))
    }

    @Test("a wrong state is auth.failed saying state, with an error page")
    func wrongState() async throws {
        let (listener, port) = try Self.preparedListener()
        defer { listener.close() }
        let answer = Task.detached { Self.get("/callback?code=abc&state=forged", port: port) }
        do {
            _ = try await listener.waitForCallback(timeout: 10)
            Issue.record("a forged state was accepted")
        } catch {
            #expect(error.code == .failed)
            #expect(error.message.contains("state"))
            #expect(!error.message.contains("abc"))
        }
        #expect(await answer.value.hasPrefix("HTTP/1.1 400"))
    }

    @Test("an error response is auth.failed showing the error code and description")
    func errorResponse() async throws {
        let (listener, port) = try Self.preparedListener()
        defer { listener.close() }
        let answer = Task.detached {
            Self.get("/callback?state=good-state&error=access_denied&error_description=no+thanks", port: port)
        }
        await #expect {
            _ = try await listener.waitForCallback(timeout: 10)
        } throws: { error in
            let message = (error as? OAuthError)?.message ?? ""
            return message.contains("access_denied") && message.contains("no thanks")
        }
        _ = await answer.value
    }

    @Test("no callback within the timeout is auth.failed; a closed listener ends the wait")
    func timeout() async throws {
        let listener = try LoopbackListener()
        listener.expect(Self.expectation)
        let started = Date()
        await #expect(throws: OAuthError.self) { try await listener.waitForCallback(timeout: 0.5) }
        #expect(Date().timeIntervalSince(started) >= 0.5)
        listener.close()
        await #expect(throws: OAuthError.self) { try await listener.waitForCallback(timeout: 5) }
    }

    @Test("without a prepared login a callback is refused")
    func unprepared() async throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        let port = try Self.port(listener)
        let answer = Task.detached { Self.get("/callback?code=abc&state=x", port: port) }
        await #expect(throws: OAuthError.self) { try await listener.waitForCallback(timeout: 10) }
        _ = await answer.value
    }

    @Test("a pasted redirect URL gives the same parameters")
    func pasted() throws {
        let parameters = try #require(
            CallbackParameters(redirectURL: "  http://127.0.0.1:5555/callback?code=a%2Bb&state=s+t#frag\n"))
        #expect(parameters.values == ["code": "a+b", "state": "s t"])
        #expect(CallbackParameters(redirectURL: "http://127.0.0.1:5555/callback") == nil)
    }
}
