import CurlHTTP
import Foundation
import Locking
import StrictJSON
import TestSupport
import Testing

/// Every HTTP exchange on one libcurl multi handle and one thread: connections are reused, transfers run
/// side by side on that thread, and a cancel ends a transfer that is waiting for a silent server.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct CurlMultiTests {
    static let slack = Duration.seconds(3 + 5 * TestTiming.slack)

    static func probe() async throws -> (ServerProcess, String) {
        let (server, ports) = try await ServerProcess.startReportingPorts(
            try Repository.python(), [TestServers.script("connection_probe_server.py")]
        )
        guard let port = ports["http"] else { throw SupportError("the probe server reported no port") }
        return (server, "http://127.0.0.1:\(port)")
    }

    /// The client port of the connection a request came on, as the server saw it.
    static func clientPort(_ base: String, path: String = "/", method: String = "GET") async throws -> Int64 {
        let body: [UInt8]? = method == "POST" ? Array("{}".utf8) : nil
        let response = try await CurlHTTPClient.perform(HTTPRequest(method: method, url: base + path, body: body))
        #expect(response.status == 200)
        return try JSONParser().parse(response.body)["port"]?.numberValue?.int64Value ?? -1
    }

    /// The threads of this process named `gatehouse.curl`.
    static func curlThreads() -> Set<String> {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return Set(tasks.filter { task in
            let name = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)
            return name?.trimmingCharacters(in: .whitespacesAndNewlines) == "gatehouse.curl"
        })
    }

    /// The union of ``curlThreads()`` sampled `times` times, 30 ms apart, while transfers run.
    static func sampleCurlThreads(times: Int) async -> Set<String> {
        var seen = Set<String>()
        for _ in 0..<times {
            seen.formUnion(curlThreads())
            try? await Task.sleep(for: .milliseconds(30))
        }
        return seen
    }

    @Test("ten requests one after another to one server go over one connection")
    func reuse() async throws {
        let (server, base) = try await Self.probe()
        defer { server.stop() }
        var ports: [Int64] = []
        for _ in 0..<10 { ports.append(try await Self.clientPort(base)) }
        // One, unless the whole suite's transfers beside this test filled the shared connection cache and an
        // idle connection of ours was the oldest (four were seen with a cache of 8).
        #expect(Set(ports).count <= 2, "client ports seen by the server: \(ports)")
    }

    @Test("a POST never rides a kept connection, nor leaves one behind: libcurl would resend it on a dead one")
    func postGetsItsOwnConnection() async throws {
        let (server, base) = try await Self.probe()
        defer { server.stop() }
        let kept = try await Self.clientPort(base)
        let posts = [try await Self.clientPort(base, method: "POST"), try await Self.clientPort(base, method: "POST")]
        #expect(!posts.contains(kept) && posts[0] != posts[1], "GET on \(kept), POSTs on \(posts)")
        #expect(try await Self.clientPort(base) == kept, "the GET's connection is still kept for GETs")
    }

    @Test("twenty slow requests at once run side by side, on the one curl thread")
    func concurrentOnOneThread() async throws {
        let (server, base) = try await Self.probe()
        defer { server.stop() }
        _ = try await Self.clientPort(base)  // the thread exists from the first request on
        let threads = Self.curlThreads()
        #expect(threads.count == 1, "one curl thread: \(threads)")
        let started = ContinuousClock.now
        async let sampled = Self.sampleCurlThreads(times: 10)
        let ports = try await withThrowingTaskGroup(of: Int64.self) { group in
            for _ in 0..<20 { group.addTask { try await Self.clientPort(base, path: "/?ms=400") } }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        let seen = await sampled
        let took = ContinuousClock.now - started
        #expect(Set(ports).count == 20, "twenty connections at once")
        #expect(took < .seconds(0.4 * 20 / 2) + Self.slack, "side by side, not one after another: \(took)")
        #expect(seen == threads, "no thread but the one curl thread: \(seen)")
    }

    @Test("a cancelled transfer to a server that never answers ends at once, with the cancellation")
    func cancelEndsAtOnce() async throws {
        let (server, base) = try await Self.probe()
        defer { server.stop() }
        let ended = Locked<CheckedContinuation<HTTPError?, Never>?>(nil)
        let started = ContinuousClock.now
        let error = await withCheckedContinuation { (continuation: CheckedContinuation<HTTPError?, Never>) in
            ended.withLock { $0 = continuation }
            let stream = CurlStream.start(
                HTTPRequest(url: base + "/hang", totalTimeout: 60), onHead: { _, _ in }, onData: { _ in true },
                onEnd: { error in ended.withLock { $0?.resume(returning: error); $0 = nil } }
            )
            Task {
                try? await Task.sleep(for: .milliseconds(200))  // lets the request reach the server first
                stream.cancel()
            }
        }
        #expect(error?.kind == .transport && error?.message == "cancelled", "\(String(describing: error))")
        #expect(ContinuousClock.now - started < .seconds(1) + Self.slack, "the 60 s timeout did not decide it")
    }
}
