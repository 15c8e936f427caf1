import StrictJSON

extension RPCConnection {
    /// The reader: feeds every transport event to the engine until the transport closes — on the
    /// transport's own thread when it ``DeliversInline`` (stdio), else from ``MessageTransport/events``.
    /// Server requests are answered by child tasks of this one, so a slow handler holds up nothing else;
    /// they are cancelled when the transport closes (their answers could no longer be sent).
    nonisolated func read() async {
        await withDiscardingTaskGroup { group in
            if let inline = transport as? any DeliversInline {
                let (answers, queue) = AsyncStream.makeStream(of: Answer.self, bufferingPolicy: .unbounded)
                let delivering = inline.deliverInline { [self] event in
                    let (requests, closed) = receive(event)
                    for request in requests { queue.yield(request) }
                    if closed { queue.finish() }
                }
                if delivering {
                    for await answer in answers {
                        group.addTask { await self.answer(answer) }
                    }
                    group.cancelAll()
                    return
                }
            }
            for await event in transport.events {
                let (answers, closed) = receive(event)
                if closed {
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

    /// Feeds one transport event to the engine; returns the server requests to answer, and whether the
    /// event was the transport's end.
    private nonisolated func receive(_ event: TransportEvent) -> (answers: [Answer], closed: Bool) {
        switch event {
        case .message(let value):
            let now = ContinuousClock.now
            return (handle { $0.receive(value, at: now) }, false)
        case .skipped(let excerpt):
            return (handle { engine in
                engine.diagnostics.skipped(excerpt)
                return []
            }, false)
        case .receipt(let id, let receipt):
            return (handle { engine in
                engine.receipt(receipt, for: id)
                return []
            }, false)
        case .requestFailed(let id, let error):
            return (handle { $0.requestFailed(id, error) }, false)
        case .closed(let error):
            return (handle { $0.transportClosed(error) }, true)
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
