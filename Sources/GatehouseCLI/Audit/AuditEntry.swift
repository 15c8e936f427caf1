import GatehouseHost
import MCPClient
import StrictJSON

/// One server of an audit report, held as the JSON object SPEC §4.1 prints for it. A machine's own audit
/// builds it from a ``ServerStatus``; `audit merge` reads it back from a shard's report. Every format (table,
/// JSON, JUnit, SARIF) renders from this one value, so a merged report is the report one machine would have
/// written (SPEC §10) by construction, not by a second renderer kept in step.
struct AuditEntry: Sendable, Equatable {
    /// The server's object in `servers[]`.
    let object: JSONObject

    /// The object for `status`: SPEC §4.1's fields plus `line` (of the entry in its profile, for SARIF
    /// locations), `trust.note` (the load decision in words) and, against a baseline, `drift`.
    init(_ status: ServerStatus, drift: [String], line: Int?) {
        var object = JSONObject()
        object["name"] = .string(status.entry.name)
        object["source"] = .string(status.entry.source)
        object["line"] = line.map { .number(JSONNumber(Int64($0))) } ?? .null
        object["transport"] = .string(status.entry.transport.name)
        object["endpoint"] = .string(status.entry.endpoint)
        let handshake = status.handshake
        object["protocolVersion"] = handshake.map { .string($0.protocolVersion) } ?? .null
        object["era"] = handshake.map { .string($0.era.rawValue) } ?? .null
        if let info = handshake?.serverInfo {
            object["serverInfo"] = ["name": info["name"] ?? .null, "version": info["version"] ?? .null]
        } else {
            object["serverInfo"] = .null
        }
        var connection: JSONObject = [
            "status": .string(!status.started ? "skipped" : (status.connectionError == nil ? "connected" : "failed")),
            "skippedLines": .number(JSONNumber(Int64(status.skippedLines))),
        ]
        if let error = status.connectionError {
            connection["error"] = ["code": .string(error.code.rawValue), "message": .string(error.message)]
        }
        object["connection"] = .object(connection)
        var trust = TrustRendering.trustObject(status).objectValue ?? JSONObject()
        trust["note"] = .string(status.policyNote)
        object["trust"] = .object(trust)
        object["tools"] = .array(status.tools.sorted { $0.name < $1.name }.map { tool in
            ["name": .string(tool.name), "loaded": .bool(tool.loaded), "pin": .string(tool.pin), "pinState": .string(tool.pinState.rawValue)]
        })
        if !status.removedTools.isEmpty { object["removedTools"] = .array(status.removedTools.map(JSONValue.string)) }
        if !drift.isEmpty { object["drift"] = .array(drift.map(JSONValue.string)) }
        self.object = object
    }

    /// An entry read back from a report; nil unless it has the fields every renderer reads.
    init?(json: JSONValue) {
        guard let object = json.objectValue, object["name"]?.stringValue != nil, object["source"]?.stringValue != nil,
            object["connection"]?["status"]?.stringValue != nil, object["trust"]?["verdict"]?.stringValue != nil,
            object["trust"]?["loaded"]?.boolValue != nil, object["tools"]?.arrayValue != nil
        else { return nil }
        self.object = object
    }

    var name: String { object["name"]?.stringValue ?? "" }
    var source: String { object["source"]?.stringValue ?? "" }
    var line: Int? { object["line"]?.numberValue?.int64Value.map { Int($0) } }
    var trust: JSONValue { object["trust"] ?? .null }
    var verdict: String { trust["verdict"]?.stringValue ?? "" }
    var loaded: Bool { trust["loaded"]?.boolValue ?? false }
    var note: String { trust["note"]?.stringValue ?? "" }
    var surface: String { trust["surface"]?.stringValue ?? "" }
    /// The code of the deciding reason, when there is one.
    var reasonCode: String? { trust["reasons"]?.arrayValue?.first?["code"]?.stringValue }
    var checks: [JSONValue] { trust["checks"]?.arrayValue ?? [] }
    /// `connected`, `failed` or `skipped` (a `--discover`ed stdio server not started).
    var connectionStatus: String { object["connection"]?["status"]?.stringValue ?? "" }
    var started: Bool { connectionStatus != "skipped" }
    var connectionError: (code: String, message: String)? {
        guard let error = object["connection"]?["error"], let code = error["code"]?.stringValue else { return nil }
        return (code, error["message"]?.stringValue ?? "")
    }
    var tools: [(name: String, loaded: Bool, pinState: String)] {
        (object["tools"]?.arrayValue ?? []).map { tool in
            (tool["name"]?.stringValue ?? "", tool["loaded"]?.boolValue ?? false, tool["pinState"]?.stringValue ?? "")
        }
    }
    var drift: [String] { (object["drift"]?.arrayValue ?? []).compactMap(\.stringValue) }
}
