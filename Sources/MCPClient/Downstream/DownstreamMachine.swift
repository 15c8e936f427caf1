public import StrictJSON

/// The server side of JSON-RPC (Gatehouse answering a host, as `gatehouse proxy` does), without I/O: it
/// is fed each inbound message and each finished answer, and says what to do. The owner
/// (``DownstreamServer``) reads, writes and runs the handlers.
///
/// Rules: a request gets exactly one response, unless the host cancelled it first
/// (`notifications/cancelled`: MCP says no response is sent then); a request whose id is already in flight
/// is refused (`-32600`) so two answers can never meet one id; a message that is not JSON-RPC gets
/// `-32600` with a null id; a response from the host (to a request Gatehouse never sends) is ignored.
public struct DownstreamMachine: Sendable {
    /// What the owner does next.
    public enum Action: Sendable, Equatable {
        /// Run the handler for a request; answer with ``DownstreamMachine/finish(_:_:)``.
        case handle(id: RequestID, method: String, params: JSONValue?)
        /// Pass a notification to the handler.
        case notify(method: String, params: JSONValue?)
        /// Stop the handler of a request the host cancelled (no response will be sent).
        case cancel(RequestID)
        /// Write this message.
        case send(JSONValue)
        /// The host answered a request Gatehouse sent it (``DownstreamMachine/request(_:params:)``).
        case answered(RequestID, Result<JSONValue, RPCErrorObject>)
    }

    private var inFlight: Set<RequestID> = []
    private var outbound: Set<RequestID> = []
    private var nextOutbound = 1
    /// Open `subscriptions/listen` requests (2026-07-28 hosts) and the notification methods each asked for
    /// and was granted.
    private var subscriptions: [RequestID: Set<String>] = [:]
    /// The `subscriptions/listen` types this server can honour, by the request's key.
    private let listenable: [String: String]

    /// The keys of `subscriptions/listen` and the notifications they stand for.
    public static let listenTypes: [String: String] = [
        "toolsListChanged": "notifications/tools/list_changed",
        "promptsListChanged": "notifications/prompts/list_changed",
        "resourcesListChanged": "notifications/resources/list_changed",
    ]

    /// A machine with nothing in flight, honouring the `subscriptions/listen` keys in `listenable`
    /// (by default only `toolsListChanged`, the one change the proxy announces).
    public init(listenable: Set<String> = ["toolsListChanged"]) {
        self.listenable = Self.listenTypes.filter { listenable.contains($0.key) }
    }

    /// The subscriptions open now, by the id of their `subscriptions/listen` request.
    public var openSubscriptions: [RequestID: Set<String>] { subscriptions }

    /// Requests being handled.
    public var pending: Set<RequestID> { inFlight }

    /// One inbound message (already parsed); `nil` for a line that was not JSON.
    public mutating func receive(_ value: JSONValue?) -> [Action] {
        guard let value else {
            return [.send(JSONRPCMessage.makeErrorResponse(id: nil, code: -32700, message: "parse error: not JSON"))]
        }
        switch JSONRPCMessage(value) {
        case .request(let id, let method, let params):
            guard !inFlight.contains(id) else {
                return [.send(JSONRPCMessage.makeErrorResponse(id: id, code: -32600, message: "request id \(id) is already in use"))]
            }
            inFlight.insert(id)
            if method == "subscriptions/listen" { return listen(id, params) }
            return [.handle(id: id, method: method, params: params)]
        case .notification(let method, let params):
            if method == "notifications/cancelled", let raw = params?["requestId"], let id = RequestID(raw), inFlight.remove(id) != nil {
                if subscriptions.removeValue(forKey: id) != nil { return [] }  // the host ended its subscription
                return [.cancel(id)]
            }
            return [.notify(method: method, params: params)]
        case .response(let id, let result):
            guard outbound.remove(id) != nil else { return [] }
            return [.answered(id, .success(result))]
        case .errorResponse(let id?, let error):
            guard outbound.remove(id) != nil else { return [] }
            return [.answered(id, .failure(error))]
        case .errorResponse(nil, _):
            return []
        case nil:
            return [.send(JSONRPCMessage.makeErrorResponse(id: nil, code: -32600, message: "not a JSON-RPC 2.0 message"))]
        }
    }

    /// `subscriptions/listen` (2026-07-28): acknowledged at once with the types granted; the request stays
    /// open, with no response, until the host cancels it or the input ends.
    private mutating func listen(_ id: RequestID, _ params: JSONValue?) -> [Action] {
        var granted: JSONObject = [:]
        var methods: Set<String> = []
        for (key, value) in params?["notifications"]?.objectValue ?? JSONObject() where value.boolValue == true {
            guard let method = listenable[key] else { continue }
            granted[key] = true
            methods.insert(method)
        }
        subscriptions[id] = methods
        let params: JSONObject = ["notifications": .object(granted), "_meta": [Self.subscriptionKey: id.json]]
        return [.send(["jsonrpc": "2.0", "method": "notifications/subscriptions/acknowledged", "params": .object(params)])]
    }

    /// Where a message on a subscription names it.
    public static let subscriptionKey = "io.modelcontextprotocol/subscriptionId"

    /// A notification to the host. A list change goes to each open subscription that asked for it,
    /// tagged with the subscription's id; with no subscription open (a legacy host), it goes out as it is.
    public func notification(_ method: String, params: JSONValue?) -> [Action] {
        let plain: JSONObject = ["jsonrpc": "2.0", "method": .string(method)]
        guard !subscriptions.isEmpty, Self.listenTypes.values.contains(method) else {
            var message = plain
            if let params { message["params"] = params }
            return [.send(.object(message))]
        }
        return subscriptions.sorted { "\($0.key)" < "\($1.key)" }.filter { $0.value.contains(method) }.map { id, _ in
            var tagged = params?.objectValue ?? JSONObject()
            var meta = tagged["_meta"]?.objectValue ?? JSONObject()
            meta[Self.subscriptionKey] = id.json
            tagged["_meta"] = .object(meta)
            var message = plain
            message["params"] = .object(tagged)
            return .send(.object(message))
        }
    }

    /// A request to the host (a server's question passed on); its answer comes back as `.answered`.
    /// Ids are `gatehouse-N`, so they never meet the host's own.
    public mutating func request(_ method: String, params: JSONValue?) -> (RequestID, Action) {
        let id = RequestID.string("gatehouse-\(nextOutbound)")
        nextOutbound += 1
        outbound.insert(id)
        var message: JSONObject = ["jsonrpc": "2.0", "id": id.json, "method": .string(method)]
        if let params { message["params"] = params }
        return (id, .send(.object(message)))
    }

    /// Gives up on a request to the host (its answer, if it comes, is then ignored).
    public mutating func abandon(_ id: RequestID) {
        outbound.remove(id)
    }

    /// A handler finished: the response to send, or nothing when the request was cancelled meanwhile.
    public mutating func finish(_ id: RequestID, _ outcome: Result<JSONValue, RPCErrorObject>) -> [Action] {
        guard inFlight.remove(id) != nil else { return [] }
        switch outcome {
        case .success(let result):
            return [.send(["jsonrpc": "2.0", "id": id.json, "result": result])]
        case .failure(let error):
            return [.send(JSONRPCMessage.makeErrorResponse(id: id, code: error.code, message: error.message, data: error.data))]
        }
    }
}
