@testable import MCPClient
import StrictJSON
import Testing

/// Deadlines, progress, cancellation notices and the transport's end, on the engine alone.
struct RPCEngineTimingTests {
    let start = ContinuousClock.now
    let base = RPCEngineTests()

    func at(_ seconds: Double) -> ContinuousClock.Instant { start + .seconds(seconds) }

    func timeouts(in actions: [RPCEngine.Action]) -> [(RequestID, MCPClientError)] {
        actions.compactMap { action in
            guard case .resume(let id, .failure(let error)) = action, let error = error as? MCPClientError else { return nil }
            return (id, error)
        }
    }

    func writes(in actions: [RPCEngine.Action]) -> [Outbound.Kind] {
        actions.compactMap { action in
            guard case .write(let item) = action else { return nil }
            return item.kind
        }
    }

    func progress(_ token: String) -> JSONValue {
        ["jsonrpc": "2.0", "method": "notifications/progress", "params": ["progressToken": .string(token), "progress": 1]]
    }

    @Test("progress restarts the timeout but not the maximum")
    func progressRestartsTimeoutOnly() {
        var engine = RPCEngine()
        var options = RequestOptions(timeout: 10, maximum: 25)
        options.progress = { _ in }
        let (id, sent) = base.send(&engine, options, at: at(0))
        guard case .write(let request)? = sent.first, case .message(let message, _) = request.kind else {
            Issue.record("\(sent)")
            return
        }
        let token = "progress-\(id)"
        #expect(message["params"]?["_meta"]?["progressToken"] == .string(token))
        #expect(sent.contains { if case .armTimer(at(10)) = $0 { true } else { false } })
        let delivered = engine.receive(progress(token), at: at(8))
        #expect(delivered.contains { if case .progress = $0 { true } else { false } })
        #expect(timeouts(in: engine.tick(at: at(17))).isEmpty, "progress at 8 s moved the deadline to 18 s")
        _ = engine.receive(progress(token), at: at(16))
        #expect(timeouts(in: engine.tick(at: at(24.9))).isEmpty)
        let expired = timeouts(in: engine.tick(at: at(25)))
        #expect(expired.map(\.0) == [id])
        #expect(expired.first?.1.code == .callTimeout)
        #expect(expired.first?.1.message == "not finished within the maximum of 25 s")
    }

    @Test("without progress the timeout fires first, with its own code and message")
    func timeoutFires() {
        var engine = RPCEngine()
        var options = RequestOptions(timeout: 2.5, maximum: 60)
        options.timeoutCode = .connectTimeout
        let (id, _) = base.send(&engine, options, at: at(0))
        #expect(timeouts(in: engine.tick(at: at(2.4))).isEmpty)
        let actions = engine.tick(at: at(2.5))
        let expired = timeouts(in: actions)
        #expect(expired.map(\.0) == [id])
        #expect(expired.first?.1.code == .connectTimeout)
        #expect(expired.first?.1.message == "no response within 2.5 s")
        #expect(actions.last.map { if case .armTimer(nil) = $0 { true } else { false } } == true, "nothing left to wait for")
    }

    @Test("the timer is armed for the earliest deadline only")
    func timerArming() {
        var engine = RPCEngine()
        let (_, first) = base.send(&engine, RequestOptions(timeout: 10, maximum: 60), at: at(0))
        let (_, later) = base.send(&engine, RequestOptions(timeout: 10, maximum: 60), at: at(1))
        let (_, earlier) = base.send(&engine, RequestOptions(timeout: 2, maximum: 60), at: at(1))
        #expect(first.contains { if case .armTimer(at(10)) = $0 { true } else { false } })
        #expect(!later.contains { if case .armTimer = $0 { true } else { false } })
        #expect(earlier.contains { if case .armTimer(at(3)) = $0 { true } else { false } })
        #expect(engine.timerTarget == at(3))
        let woken = engine.tick(at: at(3))
        #expect(woken.last.map { if case .armTimer(at(10)) = $0 { true } else { false } } == true)
    }

    @Test("a cancellation abandons the response and writes notifications/cancelled, unless the request may not be cancelled")
    func cancellationNotices() {
        var engine = RPCEngine()
        let (id, _) = base.send(&engine, RequestOptions(timeout: 10, maximum: 60), at: at(0))
        let kinds = writes(in: engine.cancel(id, reason: "stop"))
        guard kinds.count == 2, case .abandon(id) = kinds[0], case .message(let notice, _) = kinds[1] else {
            Issue.record("\(kinds)")
            return
        }
        #expect(notice["method"] == "notifications/cancelled")
        #expect(notice["params"]?["requestId"] == id.json)
        #expect(notice["params"]?["reason"] == "stop")
        var handshake = RequestOptions(timeout: 10, maximum: 60)
        handshake.cancellable = false
        let (initialize, _) = base.send(&engine, handshake, at: at(0))
        #expect(writes(in: engine.cancel(initialize, reason: "stop")).count == 1, "initialize is never cancelled")
        engine.sendsCancelNotifications = false
        let (stateless, _) = base.send(&engine, RequestOptions(timeout: 10, maximum: 60), at: at(0))
        #expect(writes(in: engine.cancel(stateless, reason: "stop")).count == 1)
        #expect(engine.cancel(stateless, reason: "again").isEmpty, "a request is given up once")
    }

    @Test("the transport's end fails every pending request with its closed code, and refuses new ones")
    func closeFailsEverything() {
        var engine = RPCEngine()
        var handshake = RequestOptions(timeout: 10, maximum: 60)
        handshake.closedCode = .connectClosed
        let (call, _) = base.send(&engine, RequestOptions(timeout: 10, maximum: 60), at: at(0))
        let (initialize, _) = base.send(&engine, handshake, at: at(0))
        let actions = engine.transportClosed(MCPClientError(.connectClosed, "the server exited with status 3"))
        let failed = Dictionary(uniqueKeysWithValues: timeouts(in: actions).map { ($0.0, $0.1.code) })
        #expect(failed == [call: .serverExited, initialize: .connectClosed])
        #expect(engine.pending.isEmpty && engine.isClosed)
        #expect(actions.suffix(2).map { if case .finish = $0 { "finish" } else if case .armTimer(nil) = $0 { "disarm" } else { "other" } } == ["disarm", "finish"])
        #expect(engine.transportClosed(MCPClientError(.connectClosed, "again")).isEmpty)
        guard case .failure(let refused) = engine.send("tools/list", params: nil, id: .integer(99), options: RequestOptions(timeout: 1, maximum: 1), at: at(1)) else {
            Issue.record("a request after the end was accepted")
            return
        }
        #expect(refused.code == .serverExited)
        #expect(refused.message == "the server exited with status 3")
    }

    @Test("a frame over the cap keeps protocol.frame_too_large for every pending request")
    func frameTooLargeKeepsItsCode() {
        var engine = RPCEngine()
        let (call, _) = base.send(&engine, RequestOptions(timeout: 10, maximum: 60), at: at(0))
        let actions = engine.transportClosed(MCPClientError(.frameTooLarge, "too long"))
        #expect(timeouts(in: actions).map(\.1.code) == [.frameTooLarge])
        #expect(timeouts(in: actions).map(\.0) == [call])
    }
}
