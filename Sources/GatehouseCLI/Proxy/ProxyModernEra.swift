import MCPClient
import StrictJSON

/// The 2026-07-28 revision downstream (SPEC §8 "both eras"): a host that sends `server/discover`, or
/// whose requests carry `_meta["io.modelcontextprotocol/protocolVersion"]`, gets that era's result shapes
/// — `resultType`, and the cache hints on listings (`ttlMs` 0, `cacheScope` `private`: a verdict may change
/// at any moment) — and `-32022` for a version Gatehouse does not speak.
enum ProxyModernEra {
    static let versionKey = "io.modelcontextprotocol/protocolVersion"
    static let listings: Set<String> = ["tools/list", "prompts/list", "resources/list", "resources/templates/list", "resources/read"]

    /// The revision a request asks for, when it is a 2026-07-28-era request.
    static func requestedVersion(_ params: JSONValue?) -> String? {
        params?["_meta"]?[versionKey]?.stringValue
    }

    /// `-32022` when the requested revision is not one Gatehouse serves.
    static func versionError(_ params: JSONValue?, method: String) -> RPCErrorObject? {
        guard method == "server/discover" || requestedVersion(params) != nil else { return nil }
        let requested = requestedVersion(params) ?? ""
        guard !MCPSession.modernVersions.contains(requested) else { return nil }
        return RPCErrorObject(
            code: -32022, message: "unsupported protocol version \(requested.prefix(40))",
            data: ["supported": .array(MCPSession.modernVersions.map(JSONValue.string)), "requested": .string(requested)]
        )
    }

    /// The result of a 2026-07-28-era request in that era's shape.
    static func finish(_ method: String, params: JSONValue?, _ outcome: Result<JSONValue, RPCErrorObject>) -> Result<JSONValue, RPCErrorObject> {
        guard method == "server/discover" || requestedVersion(params) != nil, case .success(.object(var result)) = outcome else { return outcome }
        if result["resultType"] == nil { result["resultType"] = "complete" }
        if listings.contains(method) || method == "server/discover" {
            result["ttlMs"] = 0
            result["cacheScope"] = "private"
        }
        return .success(.object(result))
    }

    /// `server/discover`'s result from what `initialize` would have answered.
    static func discoverResult(fromInitialize initialize: JSONValue) -> JSONValue {
        var result = JSONObject()
        result["supportedVersions"] = .array(MCPSession.modernVersions.map(JSONValue.string))
        result["capabilities"] = initialize["capabilities"] ?? [:]
        if let instructions = initialize["instructions"] { result["instructions"] = instructions }
        var meta = initialize["_meta"]?.objectValue ?? JSONObject()
        meta["io.modelcontextprotocol/serverInfo"] = initialize["serverInfo"] ?? ProxyHandshake.gatehouseInfo
        result["_meta"] = .object(meta)
        return .object(result)
    }
}
