@testable import MCPClient
import StrictJSON
import Testing

/// The client's JSON-RPC state machine, driven by hand: no transport, no clock (instants are passed in).
struct RPCEngineTests {
    let start = ContinuousClock.now

    func at(_ seconds: Double) -> ContinuousClock.Instant { start + .seconds(seconds) }

    func options(timeout: Double = 10, maximum: Double = 60) -> RequestOptions {
        RequestOptions(timeout: timeout, maximum: maximum)
    }

    /// Sends a request with a fresh id and returns the id and the actions.
    func send(_ engine: inout RPCEngine, _ options: RequestOptions, at instant: ContinuousClock.Instant) -> (RequestID, [RPCEngine.Action]) {
        let id = engine.allocateID(options.id)
        guard case .success(let actions) = engine.send("tools/call", params: nil, id: id, options: options, at: instant) else {
            Issue.record("the send was refused")
            return (id, [])
        }
        return (id, actions)
    }

    func response(_ id: RequestID, _ result: JSONValue = [:]) -> JSONValue {
        ["jsonrpc": "2.0", "id": id.json, "result": result]
    }

    @Test("ids are never reused, also after cancellations, timeouts and responses")
    func idsNeverReused() {
        var engine = RPCEngine()
        var seen = Set<RequestID>()
        for round in 0..<300 {
            let (id, _) = send(&engine, options(timeout: 1), at: at(Double(round)))
            #expect(seen.insert(id).inserted, "id \(id) was handed out twice")
            switch round % 3 {
            case 0: _ = engine.cancel(id, reason: "test")
            case 1: _ = engine.receive(response(id), at: at(Double(round)))
            default: _ = engine.tick(at: at(Double(round) + 2))
            }
        }
        #expect(engine.pending.isEmpty)
    }

    @Test("a response resolves the request with its id, and only that one")
    func responseResolvesItsRequest() throws {
        var engine = RPCEngine()
        let (first, _) = send(&engine, options(), at: at(0))
        let (second, _) = send(&engine, options(), at: at(0))
        let actions = engine.receive(response(second, ["n": 2]), at: at(1))
        guard case .resume(let id, .success(let (result, _)))? = actions.first, actions.count == 1 else {
            Issue.record("\(actions)")
            return
        }
        #expect(id == second)
        #expect(result == ["n": 2])
        #expect(Array(engine.pending.keys) == [first])
        let error: JSONValue = ["jsonrpc": "2.0", "id": first.json, "error": ["code": -32000, "message": "no"]]
        guard case .resume(first, .failure(let failure))? = engine.receive(error, at: at(1)).first else {
            Issue.record("the error response did not resolve its request")
            return
        }
        let rpc = try #require(failure as? MCPClientError)
        #expect(rpc.code == .rpcError)
        #expect(rpc.rpcError?.code == -32000)
    }

    @Test("a late response after a cancellation or a timeout is ignored and not counted as unknown")
    func lateResponsesAreAbandoned() {
        var engine = RPCEngine()
        let (cancelled, _) = send(&engine, options(), at: at(0))
        let (timedOut, _) = send(&engine, options(timeout: 5), at: at(0))
        let cancelActions = engine.cancel(cancelled, reason: "test")
        guard case .resume(cancelled, .failure(let error))? = cancelActions.first else {
            Issue.record("\(cancelActions)")
            return
        }
        #expect((error as? MCPClientError)?.code == .cancelled)
        let expired = engine.tick(at: at(5))
        #expect(expired.contains { if case .resume(timedOut, .failure) = $0 { true } else { false } })
        #expect(engine.isAbandoned(cancelled) && engine.isAbandoned(timedOut))
        #expect(engine.receive(response(cancelled), at: at(6)).isEmpty)
        #expect(engine.receive(response(timedOut), at: at(6)).isEmpty)
        #expect(engine.diagnostics.unknownResponses == 0)
        #expect(!engine.isAbandoned(cancelled), "an abandoned id is forgotten once its late response came")
        _ = engine.receive(response(.integer(999)), at: at(6))
        _ = engine.receive(response(cancelled), at: at(6))
        #expect(engine.diagnostics.unknownResponses == 2, "an id never sent, or answered twice, is unknown")
    }

    @Test("the abandoned ids are bounded: the oldest are forgotten past the limit")
    func abandonedIDsAreBounded() {
        var engine = RPCEngine(abandonedLimit: 4)
        let ids = (0..<6).map { _ in send(&engine, options(), at: at(0)).0 }
        for id in ids { _ = engine.cancel(id, reason: "test") }
        #expect(ids.prefix(2).allSatisfy { !engine.isAbandoned($0) })
        #expect(ids.suffix(4).allSatisfy { engine.isAbandoned($0) })
    }
}
