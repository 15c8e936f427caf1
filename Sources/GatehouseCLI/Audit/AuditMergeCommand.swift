import ArgumentParser
import Foundation
import StrictJSON
import TerminalText

/// `gatehouse audit merge REPORT.json…` (SPEC §10): joins the JSON reports of `audit --shard K/N` into the
/// report one machine would have written, in any format, with the exit status of SPEC §4's rule.
struct AuditMergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Join the JSON reports of audit --shard K/N into one report."
    )

    @Argument(help: "The shard reports (audit --shard K/N --format json), one per shard.")
    var reports: [String] = []

    @OptionGroup var outputOptions: AuditOutputOptions

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if reports.isEmpty { throw ValidationError("give the shard reports to merge") }
    }

    func run() async throws {
        let shards = try reports.map(ShardReport.read)
        let report = try ShardReport.merge(shards)
        try outputOptions.write(report, color: common.useColor)
        if report.exitStatus != 0 { throw CommandExit(status: report.exitStatus) }
    }
}

/// `--format` and `--output` of `audit` and `audit merge` (one group, so the parent command and the
/// subcommand read the same values), and writing the report with them.
struct AuditOutputOptions: ParsableArguments {
    @Option(help: "table, json, junit or sarif.")
    var format: AuditFormat = .table

    @Option(help: "Write the report to this file instead of standard output.")
    var output: String?

    /// Writes `report`; colour only for a table on standard output when `color` allows it.
    func write(_ report: AuditReport, color: Bool) throws {
        let color = color && output == nil
        let text: String
        switch format {
        case .table: text = report.table(color: color).string
        case .json: text = JSONSerializer.string(report.json(), style: .pretty)
        case .junit: text = report.junit()
        case .sarif: text = JSONSerializer.string(report.sarif(), style: .pretty)
        }
        if let output {
            do {
                try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw CLIError.usage("cannot write \(output): \(error.localizedDescription)")
            }
        } else {
            Console.document(text)  // the table is TerminalText already; JSON, JUnit and SARIF are serialized
        }
    }
}
