import Foundation
import StrictJSON

/// One shard's JSON report as `audit merge` reads it, and the checks that make a merge the report one
/// machine would have written: one Gatehouse version, one fleet, every shard of K/N exactly once, every
/// server in the shard its name belongs to.
struct ShardReport {
    let path: String
    let version: String
    let shard: AuditShard?
    let profiles: [JSONValue]
    let problems: [String]
    let generatedAt: String
    let entries: [AuditEntry]

    /// Reads and checks one report; anything that is not a Gatehouse audit report is a usage error naming the file.
    static func read(_ path: String) throws -> ShardReport {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError.usage("cannot read the report \(path)") }
        let document: JSONValue
        do {
            document = try JSONParser(maximumDepth: 256, maximumBytes: 1 << 30).parse(Array(data))
        } catch {
            throw CLIError.usage("\(path) is not JSON: \(error)")
        }
        guard let version = document["gatehouse"]?.stringValue, let servers = document["servers"]?.arrayValue,
            let profiles = document["profiles"]?.arrayValue, let generatedAt = document["generatedAt"]?.stringValue
        else { throw CLIError.usage("\(path) is not a report of gatehouse audit --format json") }
        var shard: AuditShard?
        if let object = document["shard"] {
            guard let index = object["index"]?.numberValue?.int64Value, let count = object["count"]?.numberValue?.int64Value,
                let parsed = AuditShard(argument: "\(index)/\(count)")
            else { throw CLIError.usage("\(path): \"shard\" is not {index, count} with 1 ≤ index ≤ count") }
            shard = parsed
        }
        var entries: [AuditEntry] = []
        for (index, server) in servers.enumerated() {
            guard let entry = AuditEntry(json: server) else { throw CLIError.usage("\(path): servers[\(index)] is not a server of an audit report") }
            entries.append(entry)
        }
        let problems = (document["problems"]?.arrayValue ?? []).compactMap(\.stringValue)
        return ShardReport(path: path, version: version, shard: shard, profiles: profiles, problems: problems, generatedAt: generatedAt, entries: entries)
    }

    /// The merged report, or a usage error naming the files at fault.
    static func merge(_ reports: [ShardReport]) throws -> AuditReport {
        guard let first = reports.first else { throw CLIError.usage("no reports to merge") }
        let foreign = reports.filter { $0.version != GatehouseRoot.version }
        if !foreign.isEmpty {
            let names = foreign.map { "\($0.path) (Gatehouse \($0.version))" }.joined(separator: ", ")
            throw CLIError.usage("reports from another Gatehouse version than \(GatehouseRoot.version): \(names)")
        }
        if let other = reports.first(where: { $0.profiles != first.profiles }) {
            throw CLIError.usage("\(first.path) and \(other.path) audited different profiles")
        }
        try checkShards(reports)
        var owner: [String: String] = [:]
        for report in reports {
            for entry in report.entries {
                if let shard = report.shard, !shard.contains(entry.name) {
                    throw CLIError.usage("\(report.path) holds \(entry.name), which is not in shard \(shard.index)/\(shard.count)")
                }
                if let other = owner[entry.name] {
                    throw CLIError.usage("overlapping reports: \(other) and \(report.path) both hold \(entry.name)")
                }
                owner[entry.name] = report.path
            }
        }
        var problems: [String] = []
        for problem in reports.flatMap(\.problems) where !problems.contains(problem) { problems.append(problem) }
        return AuditReport(
            entries: reports.flatMap(\.entries), profiles: first.profiles.compactMap(\.stringValue),
            generatedAt: reports.map(\.generatedAt).max() ?? first.generatedAt, problems: problems
        )
    }

    /// Every shard of one K/N exactly once (a single report of a whole fleet merges alone).
    private static func checkShards(_ reports: [ShardReport]) throws {
        let whole = reports.filter { $0.shard == nil }
        if !whole.isEmpty {
            guard reports.count == 1 else {
                let names = whole.map(\.path).joined(separator: ", ")
                throw CLIError.usage("overlapping reports: \(names) covers the whole fleet (no --shard) and cannot be merged with others")
            }
            return
        }
        let count = reports[0].shard?.count ?? 1
        if let other = reports.first(where: { $0.shard?.count != count }) {
            throw CLIError.usage("\(reports[0].path) is a shard of \(count) and \(other.path) a shard of \(other.shard?.count ?? 1)")
        }
        var byIndex: [Int: String] = [:]
        for report in reports {
            guard let index = report.shard?.index else { continue }
            if let other = byIndex[index] {
                throw CLIError.usage("overlapping shards: \(other) and \(report.path) are both shard \(index)/\(count)")
            }
            byIndex[index] = report.path
        }
        let missing = (1...count).filter { byIndex[$0] == nil }
        if !missing.isEmpty {
            let given = reports.map { "\($0.path) (\($0.shard?.index ?? 0)/\(count))" }.joined(separator: ", ")
            let names = missing.map { "\($0)/\(count)" }.joined(separator: ", ")
            throw CLIError.usage("missing shard \(names); given: \(given)")
        }
    }
}
