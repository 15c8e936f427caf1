import MCPClient
import StrictJSON
import Testing

/// The server side of JSON-RPC without I/O (what `gatehouse proxy` answers a host with).
struct DownstreamMachineTests {
    @Test("a request is handled and answered once, under its own id")
    func requestAndAnswer() {
        var machine = DownstreamMachine()
        #expect(machine.receive(["jsonrpc": "2.0", "id": 7, "method": "tools/list"]) == [.handle(id: .integer(7), method: "tools/list", params: nil)])
        #expect(machine.pending == [.integer(7)])
        let answer = machine.finish(.integer(7), .success(["tools": []]))
        #expect(answer == [.send(["jsonrpc": "2.0", "id": 7, "result": ["tools": []]])])
        #expect(machine.finish(.integer(7), .success([:])).isEmpty, "a second answer to one id is never sent")
    }

    @Test("an id already in flight is refused, so two answers never share an id")
    func duplicateID() {
        var machine = DownstreamMachine()
        _ = machine.receive(["jsonrpc": "2.0", "id": "a", "method": "tools/call"])
        let second = machine.receive(["jsonrpc": "2.0", "id": "a", "method": "tools/call"])
        guard case .send(let message)? = second.first else {
            Issue.record("\(second)")
            return
        }
        #expect(message["error"]?["code"] == -32600)
        #expect(message["id"] == "a")
        #expect(machine.pending == [.string("a")])
    }

    @Test("a cancelled request stops its handler and gets no response")
    func cancellation() {
        var machine = DownstreamMachine()
        _ = machine.receive(["jsonrpc": "2.0", "id": 3, "method": "tools/call"])
        #expect(machine.receive(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": 3]]) == [.cancel(.integer(3))])
        #expect(machine.finish(.integer(3), .failure(RPCErrorObject(code: -32800, message: "cancelled", data: nil))).isEmpty)
        let unknown = machine.receive(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": 99]])
        #expect(unknown == [.notify(method: "notifications/cancelled", params: ["requestId": 99])], "a cancel of nothing in flight is only a notification")
    }

    @Test("what is not JSON-RPC gets an error with a null id; a response from the host is ignored")
    func invalidInput() {
        var machine = DownstreamMachine()
        let notJSON = machine.receive(nil)
        #expect(notJSON == [.send(JSONRPCMessage.makeErrorResponse(id: nil, code: -32700, message: "parse error: not JSON"))])
        guard case .send(let message)? = machine.receive(["jsonrpc": "1.0", "id": 1, "method": "x"]).first else {
            Issue.record("no answer")
            return
        }
        #expect(message["error"]?["code"] == -32600)
        #expect(message["id"] == .null)
        #expect(machine.receive(["jsonrpc": "2.0", "id": 1, "result": [:]]).isEmpty)
    }

    @Test("errors keep their code, message and data")
    func errorAnswer() {
        var machine = DownstreamMachine()
        _ = machine.receive(["jsonrpc": "2.0", "id": 1, "method": "tools/call"])
        let refusal = RPCErrorObject(code: -32602, message: "gatehouse: no", data: ["gatehouse": ["code": "host.unknown_tool"]])
        guard case .send(let message)? = machine.finish(.integer(1), .failure(refusal)).first else {
            Issue.record("no answer")
            return
        }
        #expect(message["error"]?["data"]?["gatehouse"]?["code"] == "host.unknown_tool")
        #expect(message["error"]?["message"] == "gatehouse: no")
    }

    @Test("a request to the host gets its own id space, and only its answer is taken")
    func outboundRequest() {
        var machine = DownstreamMachine()
        let (id, action) = machine.request("elicitation/create", params: ["message": "name?"])
        #expect(id == .string("gatehouse-1"))
        #expect(action == .send(["jsonrpc": "2.0", "id": "gatehouse-1", "method": "elicitation/create", "params": ["message": "name?"]]))
        #expect(machine.receive(["jsonrpc": "2.0", "id": "someone-else", "result": [:]]).isEmpty)
        #expect(machine.receive(["jsonrpc": "2.0", "id": "gatehouse-1", "result": ["action": "accept"]]) == [.answered(id, .success(["action": "accept"]))])
        #expect(machine.receive(["jsonrpc": "2.0", "id": "gatehouse-1", "result": [:]]).isEmpty, "a second answer is ignored")
        let (second, _) = machine.request("roots/list", params: nil)
        machine.abandon(second)
        #expect(machine.receive(["jsonrpc": "2.0", "id": "gatehouse-2", "error": ["code": -1, "message": "late"]]).isEmpty)
    }

    @Test("subscriptions/listen: acknowledged with the types granted, list changes tagged per subscription, ended by a cancel")
    func subscriptions() {
        var machine = DownstreamMachine()
        let listen = machine.receive([
            "jsonrpc": "2.0", "id": 5, "method": "subscriptions/listen",
            "params": ["notifications": ["toolsListChanged": true, "promptsListChanged": true, "resourceSubscriptions": ["note://x"]]],
        ])
        #expect(listen == [.send([
            "jsonrpc": "2.0", "method": "notifications/subscriptions/acknowledged",
            "params": ["notifications": ["toolsListChanged": true], "_meta": ["io.modelcontextprotocol/subscriptionId": 5]],
        ])], "only what is honoured is granted; no handler runs and no response is sent")
        #expect(machine.pending == [.integer(5)])
        _ = machine.receive(["jsonrpc": "2.0", "id": "p", "method": "subscriptions/listen", "params": ["notifications": ["promptsListChanged": true]]])

        let change = machine.notification("notifications/tools/list_changed", params: nil)
        #expect(change == [.send([
            "jsonrpc": "2.0", "method": "notifications/tools/list_changed",
            "params": ["_meta": ["io.modelcontextprotocol/subscriptionId": 5]],
        ])], "only the subscription that asked for tool changes gets one, tagged with its id")
        #expect(machine.notification("notifications/message", params: ["level": "error"]) == [.send([
            "jsonrpc": "2.0", "method": "notifications/message", "params": ["level": "error"],
        ])], "other notifications are not subscription messages")

        #expect(machine.receive(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": 5]]).isEmpty)
        #expect(machine.openSubscriptions.keys.sorted { "\($0)" < "\($1)" } == [.string("p")])
        #expect(machine.notification("notifications/tools/list_changed", params: nil).isEmpty, "the prompts subscription did not ask for tools")
        _ = machine.receive(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": "p"]])
        #expect(machine.notification("notifications/tools/list_changed", params: nil) == [.send([
            "jsonrpc": "2.0", "method": "notifications/tools/list_changed",
        ])], "with no subscription open (a legacy host) the notification goes out as it is")
    }
}
