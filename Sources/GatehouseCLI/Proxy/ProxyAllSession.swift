import Foundation
import GatehouseHost
import MCPClient
import StrictJSON
import TerminalText
import TrustCore

/// `gatehouse proxy --all` (SPEC §8): one proxy for every server of the profiles. Each loaded tool is
/// exposed as `SERVER` + separator + `TOOL`; two exposed names that are still equal are both withheld (a
/// warning on stderr); servers that are not loaded contribute nothing; `_meta["x-gatehouse"].servers`
/// lists every server's verdict. Resources, templates, prompts and completions: ``ProxyAllContent``.
actor ProxyAllSession {
    let host: HostSession
    let separator: String
    let downstream: DownstreamServer
    let declared: DeclaredCapabilities
    private var shown: [String: String] = [:]
    private var warned: Set<String> = []
    private let content: ProxyAllContent

    init(host: HostSession, separator: String, downstream: DownstreamServer, declared: DeclaredCapabilities) {
        self.declared = declared
        self.host = host
        self.separator = separator
        self.downstream = downstream
        content = ProxyAllContent(host: host, separator: separator)
    }

    /// The exposed name → (server, tool), over the loaded servers in profile order.
    private func exposed() async -> [String: (server: String, tool: ToolRecord)] {
        var byName: [String: [(server: String, tool: ToolRecord)]] = [:]
        for entry in await host.profile.servers {
            guard let status = await host.servers[entry.name], status.loaded else { continue }
            for tool in status.tools where tool.loaded { byName[entry.name + separator + tool.name, default: []].append((entry.name, tool)) }
        }
        var result: [String: (server: String, tool: ToolRecord)] = [:]
        for (name, owners) in byName {
            if owners.count == 1, let only = owners.first {
                result[name] = only
            } else if !warned.contains(name) {
                warned.insert(name)
                Console.error("warning: \(name) is exposed by \(owners.map(\.server).joined(separator: " and ")); both are withheld")
            }
        }
        return result
    }

    func answer(_ method: String, _ params: JSONValue?) async -> Result<JSONValue, RPCErrorObject> {
        if let unsupported = ProxyModernEra.versionError(params, method: method) { return .failure(unsupported) }
        if method == "server/discover", case .success(let initialize) = await answer("initialize", nil) {
            return .success(ProxyModernEra.discoverResult(fromInitialize: initialize))
        }
        switch method {
        case "initialize":
            declared.set(params?["capabilities"])
            var servers: [JSONValue] = []
            for entry in await host.profile.servers {
                guard let status = await host.servers[entry.name] else { continue }
                guard case .object(var object) = ProxyHandshake.verdictObject(status) else { continue }
                object["server"] = .string(entry.name)
                object["loaded"] = .bool(status.loaded)
                servers.append(.object(object))
            }
            return .success([
                "protocolVersion": .string(ProxyHandshake.negotiatedVersion(params?["protocolVersion"]?.stringValue)), "serverInfo": ProxyHandshake.gatehouseInfo,
                "capabilities": .object(await capabilities()), "_meta": ["x-gatehouse": ["servers": .array(servers)]],
            ])
        case "resources/list": return .success(await content.list(.resources))
        case "resources/templates/list": return .success(await content.list(.templates))
        case "prompts/list": return .success(await content.list(.prompts))
        case "resources/read", "prompts/get", "completion/complete": return await content.answer(method, params)
        case "ping", "logging/setLevel": return .success([:])
        case "tools/list":
            let tools = await exposed()
            shown = tools.mapValues(\.tool.pin)
            let definitions = tools.sorted { $0.key < $1.key }.map { name, owner -> JSONValue in
                var definition = owner.tool.definition.objectValue ?? JSONObject()
                definition["name"] = .string(name)
                return .object(definition)
            }
            return .success(["tools": .array(definitions)])
        case "tools/call":
            guard let name = params?["name"]?.stringValue else {
                return .failure(RPCErrorObject(code: -32602, message: "tools/call needs a name", data: nil))
            }
            guard let owner = await exposed()[name] else {
                return .failure(ProxyErrors.toolRefusal(code: HostError.Code.unknownTool.rawValue, "no exposed tool \(name)"))
            }
            return await ProxyCalls.forward(host: host, server: owner.server, tool: owner.tool.name, params: params, downstream: downstream)
        default:
            return .failure(RPCErrorObject(code: -32601, message: "method not found: \(method)", data: nil))
        }
    }

    /// Tools always; resources, prompts and completions when a loaded server declares them.
    private func capabilities() async -> JSONObject {
        var capabilities: JSONObject = ["tools": ["listChanged": true]]
        for name in ["resources", "prompts", "completions"] where !(await content.servers(declaring: name)).isEmpty {
            capabilities[name] = [:]
        }
        return capabilities
    }

    /// Some server's tools were listed again: tell the host when the exposed tools changed.
    func upstreamChanged() async {
        let now = await exposed().mapValues(\.tool.pin)
        guard now != shown else { return }
        shown = now
        downstream.notify("notifications/tools/list_changed")
    }
}
