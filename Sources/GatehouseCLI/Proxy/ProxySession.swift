import GatehouseHost
import MCPClient
import StrictJSON
import Locking
import TrustCore

/// The proxy's answers to the host (SPEC §8), read from the host's current status of the one server.
/// Not an actor: a call goes from the downstream reader's task straight to the host, one hop.
final class ProxySession: Sendable {
    let host: HostSession
    let server: String
    let downstream: DownstreamServer
    let onReject: ProxyCommand.RejectMode
    let declared: DeclaredCapabilities
    /// The names and pins of the tools the host was last shown, to tell it when they change.
    private let shown = Locked<[String: String]>([:])

    init(host: HostSession, server: String, downstream: DownstreamServer, onReject: ProxyCommand.RejectMode, declared: DeclaredCapabilities) {
        self.declared = declared
        self.host = host
        self.server = server
        self.downstream = downstream
        self.onReject = onReject
    }

    private var status: ServerStatus? {
        get async { await host.servers[server] }
    }

    func answer(_ method: String, _ params: JSONValue?) async -> Result<JSONValue, RPCErrorObject> {
        // The hot path: the host refuses what is not callable, and only then is the status read.
        if method == "tools/call", ProxyModernEra.versionError(params, method: method) == nil {
            let outcome = await call(params)
            guard case .failure = outcome, onReject == .fail, let status = await status, !status.loaded else { return outcome }
            return .failure(ProxyErrors.refusal(server: server, status: status))
        }
        guard let status = await status else { return .failure(ProxyErrors.refusal(server: server, status: nil)) }
        let loaded = status.loaded
        if !loaded, onReject == .fail { return .failure(ProxyErrors.refusal(server: server, status: status)) }
        if let unsupported = ProxyModernEra.versionError(params, method: method) { return .failure(unsupported) }
        switch method {
        case "server/discover":
            // No server-to-client requests in this era: questions are not passed on.
            return .success(ProxyModernEra.discoverResult(fromInitialize: ProxyHandshake.initializeResult(status, requested: nil)))
        case "initialize":
            declared.set(params?["capabilities"])
            return .success(ProxyHandshake.initializeResult(status, requested: params?["protocolVersion"]?.stringValue))
        case "ping", "logging/setLevel": return .success([:])
        case "tools/list":
            let tools = status.tools.filter(\.loaded)
            shown.withLock { $0 = ProxyHandshake.callable(status) }
            return .success(["tools": .array(tools.map(\.definition))])
        case "resources/list", "resources/templates/list", "resources/read", "prompts/list", "prompts/get", "completion/complete":
            guard loaded else { return .success(ProxyHandshake.emptyListing(method)) }
            return await content(method, params)
        default:
            return .failure(RPCErrorObject(code: -32601, message: "method not found: \(method)", data: nil))
        }
    }

    func notified(_ method: String, _ params: JSONValue?) async {
        guard method == "notifications/initialized", let status = await status, !status.loaded else { return }
        downstream.notify("notifications/message", params: [
            "level": "error", "logger": "gatehouse", "data": .string(ProxyHandshake.notLoadedText(status)),
        ])
    }

    /// The upstream's tools were listed again: tell the host when what it may call changed.
    func upstreamChanged() async {
        guard let status = await status else { return }
        let now = ProxyHandshake.callable(status)
        let changed = shown.withLock { shown -> Bool in
            defer { shown = now }
            return shown != now
        }
        if changed { downstream.notify("notifications/tools/list_changed") }
    }

    private func call(_ params: JSONValue?) async -> Result<JSONValue, RPCErrorObject> {
        guard let tool = params?["name"]?.stringValue else {
            return .failure(RPCErrorObject(code: -32602, message: "tools/call needs a name", data: nil))
        }
        return await ProxyCalls.forward(host: host, server: server, tool: tool, params: params, downstream: downstream)
    }

    private func content(_ method: String, _ params: JSONValue?) async -> Result<JSONValue, RPCErrorObject> {
        let request: HostSession.ContentRequest
        switch method {
        case "resources/list": request = .listResources
        case "resources/templates/list": request = .listResourceTemplates
        case "resources/read": request = .readResource(uri: params?["uri"]?.stringValue ?? "")
        case "prompts/list": request = .listPrompts
        case "completion/complete": request = .complete(params?.objectValue ?? JSONObject())
        default:
            request = .getPrompt(name: params?["name"]?.stringValue ?? "", arguments: ProxyHandshake.promptArguments(params))
        }
        do {
            return .success(try await host.content(request, server: server))
        } catch {
            return .failure(ProxyErrors.upstream(error))
        }
    }
}

/// A `tools/call` through the host, which refuses (``HostError``, mapped to `-32602`) a tool that is unknown
/// or quarantined before anything is sent upstream; progress forwarded to the host under its own token.
enum ProxyCalls {
    static func forward(
        host: HostSession, server: String, tool: String, params: JSONValue?, downstream: DownstreamServer
    ) async -> Result<JSONValue, RPCErrorObject> {
        let arguments = params?["arguments"]?.objectValue ?? JSONObject()
        var progress: (@Sendable (JSONValue) -> Void)?
        if let token = params?["_meta"]?["progressToken"] {
            progress = { @Sendable update in
                var forwarded = update.objectValue ?? JSONObject()
                forwarded["progressToken"] = token
                let message = JSONValue.object(forwarded)
                downstream.notify("notifications/progress", params: message)
            }
        }
        do {
            return .success(try await host.call(server: server, tool: tool, arguments: arguments, progress: progress))
        } catch {
            return .failure(ProxyErrors.upstream(error))
        }
    }
}
