import StrictJSON

extension RPCConnection {
    /// The reader: feeds every transport event to the engine until the transport closes. Server requests
    /// are answered by child tasks, so a slow handler holds up nothing else; they are cancelled when the
    /// transport closes (their answers could no longer be sent).
    nonisolated func read() async {
        await withDiscardingTaskGroup { group in
            for await event in transport.events {
                let answers: [Answer]
                switch event {
                case .message(let value):
                    let now = ContinuousClock.now
                    answers = handle { $0.receive(value, at: now) }
                case .skipped(let excerpt):
                    answers = handle { engine in
                        engine.diagnostics.skipped(excerpt)
                        return []
                    }
                case .receipt(let id, let receipt):
                    answers = handle { engine in
                        engine.receipt(receipt, for: id)
                        return []
                    }
                case .requestFailed(let id, let error):
                    answers = handle { $0.requestFailed(id, error) }
                case .closed(let error):
                    handle { $0.transportClosed(error) }
                    group.cancelAll()
                    return
                }
                for answer in answers {
                    group.addTask { await self.answer(answer) }
                }
            }
            handle { $0.transportClosed(MCPClientError(.connectClosed, "the transport ended")) }
            group.cancelAll()
        }
    }

    /// Answers one server request through the handler set when it arrived (none: method not found).
    private nonisolated func answer(_ request: Answer) async {
        let reply: JSONValue
        if let handler = request.handler {
            switch await handler(request.method, request.params) {
            case .success(let result): reply = JSONRPCMessage.makeResponse(id: request.id, result: result)
            case .failure(let error):
                reply = JSONRPCMessage.makeErrorResponse(id: request.id, code: error.code, message: error.message, data: error.data)
            }
        } else {
            reply = JSONRPCMessage.makeErrorResponse(id: request.id, code: -32601, message: "method not found: \(request.method)")
        }
        outbound.yield(Outbound(reply, options: SendOptions(method: request.method)))
    }
}
