import GatehouseHost
import StrictJSON
import TerminalText
import TrustCore

/// The audit report of SPEC §4.1 and §10: a machine's own audit, or shard reports merged. Rendered as a
/// table, JSON, JUnit XML or SARIF, all from the same ``AuditEntry`` values.
struct AuditReport {
    /// The servers, in name order.
    let entries: [AuditEntry]
    let profiles: [String]
    let generatedAt: String
    /// The shard audited (`--shard K/N`); nil for a whole fleet (and a merged report).
    var shard: AuditShard? = nil
    /// Invalid profiles or entries (their servers are not in `entries`), which make the exit status 2.
    var problems: [String] = []

    init(entries: [AuditEntry], profiles: [String], generatedAt: String, shard: AuditShard? = nil, problems: [String] = []) {
        self.entries = entries.sorted { $0.name < $1.name }
        self.profiles = profiles
        self.generatedAt = generatedAt
        self.shard = shard
        self.problems = problems
    }

    /// A machine's own audit of `statuses`, with baseline `drift` per server.
    init(
        statuses: [ServerStatus], profiles: [String], generatedAt: String, drift: [String: [String]], shard: AuditShard?,
        problems: [String]
    ) {
        var lines = ProfileLines()
        let entries = statuses.map { status in
            AuditEntry(status, drift: drift[status.entry.name] ?? [], line: lines.line(of: status.entry.name, in: status.entry.source))
        }
        self.init(entries: entries, profiles: profiles, generatedAt: generatedAt, shard: shard, problems: problems)
    }

    func json() -> JSONValue {
        var summary: JSONObject = ["servers": .number(JSONNumber(Int64(entries.count)))]
        for verdict in ServerVerdict.allCases {
            summary[verdict.rawValue] = .number(JSONNumber(Int64(entries.filter { $0.verdict == verdict.rawValue }.count)))
        }
        let tools = entries.flatMap(\.tools)
        summary["toolsLoaded"] = .number(JSONNumber(Int64(tools.filter(\.loaded).count)))
        summary["toolsQuarantined"] = .number(JSONNumber(Int64(tools.filter { !$0.loaded }.count)))
        var object = JSONObject()
        object["gatehouse"] = .string(GatehouseRoot.version)
        object["generatedAt"] = .string(generatedAt)
        object["profiles"] = .array(profiles.map(JSONValue.string))
        if let shard { object["shard"] = shard.json }
        if !problems.isEmpty { object["problems"] = .array(problems.map(JSONValue.string)) }
        object["servers"] = .array(entries.map { .object($0.object) })
        object["summary"] = .object(summary)
        return .object(object)
    }

    func table(color: Bool) -> TerminalText {
        entries.map { entry in
            let loaded = entry.tools.filter(\.loaded).count
            var line = badgeLine(entry, color: color)
            line += "  surface \(field: entry.surface, limit: 200)"
            line += "  tools \(loaded) loaded / \(entry.tools.count - loaded) quarantined"
            if entry.connectionError == nil, !entry.loaded { line += "  (\(entry.note))" }
            line += "  [\(entry.source)]"
            for change in entry.drift { line += "\n  drift: \(field: change, limit: 300)" }
            return line
        }.joined(separator: "\n")
    }

    /// The badge line of SPEC §5 from the entry's fields: the text ``TrustRendering/badgeLine(_:color:)``
    /// writes for the live status.
    private func badgeLine(_ entry: AuditEntry, color: Bool) -> TerminalText {
        TrustRendering.badgeLine(
            name: entry.name, verdict: ServerVerdict(rawValue: entry.verdict) ?? .error, code: entry.reasonCode,
            identityFields: ReportRendering.identityFields(
                identity: entry.trust["identity"]?.stringValue, tier: entry.trust["tier"]?.stringValue,
                operatorName: entry.trust["operator"]?.stringValue
            ),
            unbound: entry.surface == VerificationReport.unboundSurface, connectionError: entry.connectionError, color: color
        )
    }

    /// SPEC §4 for audit: 2 for invalid entries; else 1 for a trust reason (a server kept out, or drift
    /// against the baseline); else 3 for a failed connection; else 0.
    var exitStatus: Int32 {
        if !problems.isEmpty { return ExitStatus.usage }
        if entries.contains(where: { !$0.drift.isEmpty || ($0.connectionStatus == "connected" && !$0.loaded) }) {
            return ExitStatus.trustFailure
        }
        if entries.contains(where: { $0.connectionStatus == "failed" }) { return ExitStatus.connection }
        return ExitStatus.success
    }
}
