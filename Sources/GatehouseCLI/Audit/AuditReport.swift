import GatehouseHost
import MCPClient
import StrictJSON
import TerminalText
import TrustCore

/// The audit report of SPEC §4.1, as JSON, JUnit XML and a table.
struct AuditReport {
    let statuses: [ServerStatus]
    let profiles: [String]
    let generatedAt: String
    /// Per server, what differs from the baseline (empty without one).
    let drift: [String: [String]]
    /// The shard audited (`--shard K/N`), recorded in the JSON report.
    var shard: AuditShard? = nil

    var sorted: [ServerStatus] { statuses.sorted { $0.entry.name < $1.entry.name } }

    func json() -> JSONValue {
        var summary: JSONObject = ["servers": .number(JSONNumber(Int64(statuses.count)))]
        for verdict in ["verified", "declared", "unverified", "rejected", "error", "unchecked"] {
            summary[verdict] = .number(JSONNumber(Int64(statuses.filter { $0.verdict.rawValue == verdict }.count)))
        }
        let tools = statuses.flatMap(\.tools)
        summary["toolsLoaded"] = .number(JSONNumber(Int64(tools.filter(\.loaded).count)))
        summary["toolsQuarantined"] = .number(JSONNumber(Int64(tools.filter { !$0.loaded }.count)))
        var object = JSONObject()
        object["gatehouse"] = .string(GatehouseRoot.version)
        object["generatedAt"] = .string(generatedAt)
        object["profiles"] = .array(profiles.map(JSONValue.string))
        if let shard { object["shard"] = shard.json }
        object["servers"] = .array(sorted.map(server))
        object["summary"] = .object(summary)
        return .object(object)
    }

    private func server(_ status: ServerStatus) -> JSONValue {
        var object = JSONObject()
        object["name"] = .string(status.entry.name)
        object["source"] = .string(status.entry.source)
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
        object["trust"] = TrustRendering.trustObject(status)
        object["tools"] = .array(status.tools.sorted { $0.name < $1.name }.map { tool in
            ["name": .string(tool.name), "loaded": .bool(tool.loaded), "pin": .string(tool.pin), "pinState": .string(tool.pinState.rawValue)]
        })
        if !status.removedTools.isEmpty { object["removedTools"] = .array(status.removedTools.map(JSONValue.string)) }
        if let changes = drift[status.entry.name], !changes.isEmpty { object["drift"] = .array(changes.map(JSONValue.string)) }
        return .object(object)
    }

    func table(color: Bool) -> TerminalText {
        sorted.map { status in
            let loaded = status.tools.filter(\.loaded).count
            var line = TrustRendering.badgeLine(status, color: color)
            line += "  surface \(field: status.surfaceName, limit: 200)"
            line += "  tools \(loaded) loaded / \(status.tools.count - loaded) quarantined"
            if status.connectionError == nil, !status.loaded { line += "  (\(status.policyNote))" }
            line += "  [\(status.entry.source)]"
            for change in drift[status.entry.name] ?? [] { line += "\n  drift: \(field: change, limit: 300)" }
            return line
        }.joined(separator: "\n")
    }

    /// JUnit XML: a test case per server (its verdict) and per check.
    func junit() -> String {
        var cases: [String] = []
        var failures = 0
        var errors = 0
        var skipped = 0
        for status in sorted {
            let suite = xml("server.\(status.entry.name)")
            if !status.started {
                skipped += 1
                cases.append("    <testcase classname=\"\(suite)\" name=\"trust\"><skipped message=\"\(xml(status.policyNote))\"/></testcase>")
                continue
            }
            if let error = status.connectionError {
                errors += 1
                cases.append("    <testcase classname=\"\(suite)\" name=\"connection\"><error type=\"\(xml(error.code.rawValue))\" message=\"\(xml(error.message))\"/></testcase>")
                continue
            }
            let keptOut = !status.loaded || !(drift[status.entry.name] ?? []).isEmpty
            if keptOut {
                failures += 1
                let code = status.reasons.first?.code.rawValue ?? (drift[status.entry.name]?.isEmpty == false ? CLIError.Code.baselineDrift.rawValue : status.verdict.rawValue)
                cases.append("    <testcase classname=\"\(suite)\" name=\"trust\"><failure type=\"\(xml(code))\" message=\"\(xml(status.policyNote))\"/></testcase>")
            } else {
                cases.append("    <testcase classname=\"\(suite)\" name=\"trust\"/>")
            }
            for check in (status.report?.checks ?? []) {
                let name = xml(check.name.rawValue)
                switch check.result {
                case .pass: cases.append("    <testcase classname=\"\(suite)\" name=\"\(name)\"/>")
                case .skip:
                    skipped += 1
                    cases.append("    <testcase classname=\"\(suite)\" name=\"\(name)\"><skipped message=\"\(xml(check.detail))\"/></testcase>")
                case .fail:
                    failures += 1
                    cases.append("    <testcase classname=\"\(suite)\" name=\"\(name)\"><failure type=\"\(xml(check.code?.rawValue ?? ""))\" message=\"\(xml(check.detail))\"/></testcase>")
                }
            }
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="gatehouse audit" tests="\(cases.count)" failures="\(failures)" errors="\(errors)">
              <testsuite name="gatehouse audit" tests="\(cases.count)" failures="\(failures)" errors="\(errors)" skipped="\(skipped)" timestamp="\(generatedAt)">
            \(cases.joined(separator: "\n"))
              </testsuite>
            </testsuites>
            """
    }

    private func xml(_ text: String) -> String {
        XMLText.escape(text)
    }
}
