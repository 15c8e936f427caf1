import Foundation
import MCPClient
import StrictJSON
import TrustCore

extension HostSession {
    /// The trust store's record of a server. A record an older version keyed by the expanded endpoint (secrets
    /// included) is moved to the current key first, so its pins survive and the secret leaves the file.
    func currentRecord(_ entry: ServerEntry) -> TrustRecord? {
        if let record = store.record(name: entry.name, endpoint: entry.endpoint) { return record }
        guard entry.legacyEndpoint != entry.endpoint,
            store.rekey(name: entry.name, from: entry.legacyEndpoint, to: entry.endpoint)
        else { return nil }
        return store.record(name: entry.name, endpoint: entry.endpoint)
    }

    /// Each tool's pin state against the record, and which pinned tools are gone.
    func inventory(_ listed: [ListedTool], entry: ServerEntry, record: TrustRecord?, decision: LoadDecision)
        -> ([ToolRecord], [String])
    {
        var tools: [ToolRecord] = []
        var seen = Set<String>()
        for tool in listed {
            guard seen.insert(tool.name).inserted else { continue }
            let state: PinState
            var diff: [String] = []
            if let record {
                if let pinned = record.pins[tool.name] {
                    state = pinned == tool.pin ? .pinned : .changed
                    if state == .changed { diff = Self.diff(record, tool) }
                } else {
                    state = .added
                }
            } else {
                state = .new
            }
            tools.append(
                ToolRecord(
                    name: tool.name, qualifiedName: entry.name + "." + tool.name, definition: tool.definition, pin: tool.pin,
                    pinState: state, decision: decision.forTool(state), diff: diff
                )
            )
        }
        let removed = record.map { Array($0.pins.keys).filter { !seen.contains($0) }.sorted() } ?? []
        return (tools, removed)
    }

    /// A server seen for the first time is recorded with all its tools pinned; its identity is pinned only
    /// when it verified (or was declared), so an impostor's first visit pins nothing. Definitions are kept
    /// (bounded, see ``TrustRecord``) only for a server whose tools are loaded: a quarantined server adds its
    /// pins and nothing else. A loaded server's pinned tools whose definition was not kept get it now.
    func recordSighting(
        _ entry: ServerEntry, assessment: ServerAssessment, previous: TrustRecord?, tools: [ListedTool], serverLoaded: Bool
    ) {
        let vouched = assessment.verdict == .verified || assessment.verdict == .declared
        let identity = assessment.report?.identity
        guard var record = previous else {
            var record = TrustRecord(
                name: entry.name, endpoint: entry.endpoint, identity: vouched ? identity : nil,
                firstSeen: RFC3339.string(fromSeconds: clockNow)
            )
            for tool in tools {
                if serverLoaded { record.pin(tool.name, tool.pin, definition: tool.definition) } else { record.pin(tool.name, tool.pin) }
            }
            store.upsert(record)
            return
        }
        var changed = false
        if record.identity == nil, vouched {
            record.identity = identity
            changed = true
        }
        if serverLoaded {
            for tool in tools where record.pins[tool.name] == tool.pin && record.definitions[tool.name] == nil {
                changed = record.keepDefinition(tool.name, canonical: JSONSerializer.string(tool.definition, style: .canonical))
                    || changed
            }
        }
        if changed { store.upsert(record) }
    }

    /// Member-by-member differences between the pinned and the current definition of a tool.
    static func diff(_ record: TrustRecord, _ tool: ListedTool) -> [String] {
        guard let old = record.definition(tool.name) else {
            return ["the pinned definition was not kept, only its pin: \(record.pins[tool.name] ?? "?") → \(tool.pin)"]
        }
        let before = old.objectValue ?? JSONObject()
        let after = tool.definition.objectValue ?? JSONObject()
        var lines: [String] = []
        for key in Set(before.keys).union(after.keys).sorted() {
            let was = before[key].map { JSONSerializer.string($0, style: .canonical) }
            let now = after[key].map { JSONSerializer.string($0, style: .canonical) }
            guard was != now else { continue }
            lines.append("\(key): \(was ?? "(absent)") → \(now ?? "(absent)")")
        }
        return lines
    }

    /// Accepts what `server` presents now (SPEC §2.7 `trust accept`): with no tool, a changed identity (when
    /// that is the only failure), every changed or added tool, and the removal of tools that are gone; with a
    /// tool, only that tool's new definition. Returns what was accepted, one line each.
    public func accept(server: String, tool: String?) -> [String] {
        guard let status = servers[server] else { return [] }
        let entry = status.entry
        var record = currentRecord(entry)
            ?? TrustRecord(name: entry.name, endpoint: entry.endpoint, identity: nil, firstSeen: RFC3339.string(fromSeconds: clockNow))
        var accepted: [String] = []
        if tool == nil, status.reasons.map(\.code) == [.identityChanged], let identity = status.report?.identity {
            accepted.append("identity \(record.identity ?? "(none)") → \(identity)")
            record.identity = identity
        }
        for candidate in status.tools where tool == nil || candidate.name == tool {
            guard candidate.pinState == .changed || candidate.pinState == .added else { continue }
            record.pin(candidate.name, candidate.pin, definition: candidate.definition)
            accepted.append("tool \(candidate.name) (\(candidate.pinState.rawValue)) pinned as \(candidate.pin)")
        }
        if tool == nil {
            for removed in status.removedTools {
                record.unpin(removed)
                accepted.append("tool \(removed) removed from the pins")
            }
        }
        if !accepted.isEmpty { store.upsert(record) }
        return accepted
    }
}
