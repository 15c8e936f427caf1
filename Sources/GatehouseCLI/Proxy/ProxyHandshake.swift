import GatehouseHost
import MCPClient
import StrictJSON
import TerminalText
import TrustCore

/// The handshake the proxy answers the host with, and its empty answers for a server that is not loaded.
enum ProxyHandshake {
    /// The `initialize` result: the host's protocol version when it is one Gatehouse speaks (else the
    /// newest), the upstream's `serverInfo`, `instructions` and capabilities when its tools are loaded, and
    /// `_meta["x-gatehouse"]` with the verdict.
    static func initializeResult(_ status: ServerStatus, requested: String?) -> JSONValue {
        let version = negotiatedVersion(requested)
        var capabilities: JSONObject = ["tools": ["listChanged": true]]
        var result: JSONObject = ["protocolVersion": .string(version)]
        if status.loaded, let handshake = status.handshake {
            for name in ["resources", "prompts", "logging", "completions"] where handshake.capabilities?[name] != nil {
                capabilities[name] = [:]
            }
            result["serverInfo"] = handshake.serverInfo ?? gatehouseInfo
            if let instructions = handshake.result["instructions"]?.stringValue { result["instructions"] = .string(instructions) }
        } else {
            result["serverInfo"] = gatehouseInfo
            result["instructions"] = .string(notLoadedText(status))
        }
        result["capabilities"] = .object(capabilities)
        result["_meta"] = ["x-gatehouse": verdictObject(status)]
        return .object(result)
    }

    static let gatehouseInfo: JSONValue = ["name": "gatehouse-proxy", "version": .string(GatehouseRoot.version)]

    /// The host's legacy revision when Gatehouse speaks it, else the newest.
    static func negotiatedVersion(_ requested: String?) -> String {
        requested.flatMap { MCPSession.legacyVersions.contains($0) ? $0 : nil } ?? MCPSession.legacyVersions[0]
    }

    /// What the host may call of `status`, by name → pin (to tell when it changes).
    static func callable(_ status: ServerStatus) -> [String: String] {
        Dictionary(status.tools.filter(\.loaded).map { ($0.name, $0.pin) }, uniquingKeysWith: { first, _ in first })
    }

    /// `{"verdict", "identity", "tier", "operator", "registry", "reasons"}`.
    static func verdictObject(_ status: ServerStatus) -> JSONValue {
        let report = status.report
        let optional: (String?) -> JSONValue = { $0.map(JSONValue.string) ?? .null }
        return [
            "verdict": .string(status.verdict.rawValue), "identity": optional(report?.identity), "tier": optional(report?.tier),
            "operator": optional(report?.operatorName), "registry": optional(report?.issuer),
            "reasons": .array(status.reasons.map(ReportRendering.reason)),
        ]
    }

    /// Why the host sees nothing: the badge, the first reason code, the policy's words.
    static func notLoadedText(_ status: ServerStatus) -> String {
        let badge = ReportRendering.badge(status, color: false).string
        let codes = (status.reasons.first.map { [$0.code.rawValue] } ?? []) + (status.connectionError.map { [$0.code.rawValue] } ?? [])
        let code = codes.isEmpty ? "" : " [\(Array(Set(codes)).sorted().joined(separator: ", "))]"
        return "gatehouse: \(status.entry.name) is not loaded: \(badge)\(code); \(status.policyNote)"
    }

    /// An empty listing for `method` (the `--on-reject empty` answers).
    /// A `prompts/get` request's `arguments` as the host API takes them: strings as they are, anything else
    /// as its JSON text.
    static func promptArguments(_ params: JSONValue?) -> [String: String] {
        var arguments: [String: String] = [:]
        for (key, value) in params?["arguments"]?.objectValue ?? JSONObject() { arguments[key] = value.stringValue ?? JSONSerializer.string(value) }
        return arguments
    }

    static func emptyListing(_ method: String) -> JSONValue {
        switch method {
        case "resources/list": ["resources": []]
        case "resources/templates/list": ["resourceTemplates": []]
        case "prompts/list": ["prompts": []]
        case "completion/complete": ["completion": ["values": []]]
        default: ["contents": []]
        }
    }
}

/// The JSON-RPC errors the proxy answers with.
enum ProxyErrors {
    /// Every request to a server that is not loaded, under `--on-reject fail`: `-32001`, a message that
    /// starts `gatehouse: SERVER` with the badge and first reason code, and `data.gatehouse`.
    static func refusal(server: String, status: ServerStatus?) -> RPCErrorObject {
        guard let status else {
            return RPCErrorObject(code: -32001, message: "gatehouse: \(server): not connected", data: ["gatehouse": ["server": .string(server)]])
        }
        var details: JSONObject = [
            "verdict": .string(status.verdict.rawValue), "reasons": .array(status.reasons.map(ReportRendering.reason)),
            "server": .string(server),
        ]
        if let failure = status.connectionError { details["code"] = .string(failure.code.rawValue) }
        return RPCErrorObject(code: -32001, message: ProxyHandshake.notLoadedText(status), data: ["gatehouse": .object(details)])
    }

    /// A call of a tool that is not listed: `-32602` with `data.gatehouse.code`.
    static func toolRefusal(code: String, _ message: String) -> RPCErrorObject {
        RPCErrorObject(code: -32602, message: "gatehouse: \(message)", data: ["gatehouse": ["code": .string(code)]])
    }

    /// An upstream failure: the server's own JSON-RPC error as it is, else `-32603` with the stable code.
    static func upstream(_ error: any Error) -> RPCErrorObject {
        if let failure = error as? MCPClientError {
            if let rpc = failure.rpcError { return rpc }
            return RPCErrorObject(code: -32603, message: "gatehouse: \(failure.message)", data: ["gatehouse": ["code": .string(failure.code.rawValue)]])
        }
        if let refusal = error as? HostError {
            return toolRefusal(code: refusal.refusal.rawValue, refusal.message)
        }
        return RPCErrorObject(code: -32603, message: "gatehouse: \(error)", data: nil)
    }
}
