import ArgumentParser
import Foundation
import GatehouseHost
import MCPClient
import StrictJSON
import TerminalText
import TrustCore

/// `gatehouse audit` (SPEC §1, §4, §4.1): connect and verify every server of the profiles, inventory tools,
/// compare with a baseline, and report as a table, JSON or JUnit with a meaningful exit code.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Audit the trust of every server in the profiles.",
        subcommands: [AuditMergeCommand.self]
    )

    @OptionGroup var profileOptions: ProfileOptions

    @Option(help: "Compare identities and tool pins with this trust-store-format file, read-only.")
    var baseline: String?

    @Option(name: .customLong("write-baseline"), help: "Write what was observed to this file.")
    var writeBaseline: String?

    @OptionGroup var outputOptions: AuditOutputOptions

    @Option(help: "At most this many servers connect at once (default: 16 per core, at least 16, at most 128).")
    var parallel: Int?

    /// Connections mostly wait (on handshakes, registries), so many run per core; the cap keeps file
    /// descriptors and start-up bursts bounded.
    static var defaultParallel: Int { min(128, max(16, 16 * ProcessInfo.processInfo.activeProcessorCount)) }

    @Flag(help: "Audit the MCP servers configured for other hosts (Claude Code, Cursor, VS Code, Windsurf, Gemini CLI, Claude Desktop).")
    var discover = false

    @Flag(help: "With --discover: start the stdio servers found (otherwise each is asked about, or skipped).")
    var spawn = false

    @Option(help: "Audit only shard K of N (K/N, 1 ≤ K ≤ N): the split by each server name's SHA-256 of SPEC §10.")
    var shard: AuditShard?

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if baseline != nil && writeBaseline != nil { throw ValidationError("give --baseline or --write-baseline, not both") }
        if let parallel, parallel < 1 { throw ValidationError("--parallel must be at least 1") }
        if spawn && !discover { throw ValidationError("--spawn goes with --discover") }
    }

    func run() async throws {
        var profile = try loadProfile()
        if let shard { profile.servers = profile.servers.filter { shard.contains($0.name) } }
        let store: TrustStore
        if let baseline {
            do {
                store = try TrustStore.load(baseline)
            } catch {
                throw CLIError(code: .baselineInvalid, message: error.message, exitCode: ExitStatus.usage)
            }
            guard FileManager.default.fileExists(atPath: baseline) else {
                throw CLIError.usage("the baseline \(baseline) does not exist (create one with --write-baseline)")
            }
        } else if let writeBaseline {
            store = TrustStore(emptyAt: writeBaseline)
        } else {
            store = try HostFactory.loadStore(common)
        }
        let host = HostFactory.make(profile, store: store, verbose: common.verbose)
        await host.setFollowListChanges(false)
        await host.setClosesAfterAssessment(true)
        let (startable, skipped) = partition(profile)
        let progress = AuditProgress(total: startable.count)
        let connected = await host.connect(startable.map(\.name), parallel: parallel ?? Self.defaultParallel) { progress.finished($0) }
        progress.end()
        let statuses = connected + skipped
        if baseline == nil { await HostFactory.save(host) }
        await host.close()
        let drift = baseline == nil ? [:] : Self.drift(statuses)
        let report = AuditReport(
            statuses: statuses, profiles: profile.files, generatedAt: RFC3339.string(fromSeconds: Int64(Date().timeIntervalSince1970)),
            drift: drift, shard: shard, problems: profile.problems.map(\.description)
        )
        try outputOptions.write(report, color: common.useColor)
        if report.exitStatus != 0 { throw CommandExit(status: report.exitStatus) }
    }

    /// `--profile`s, plus (or, without any profile, only) what `--discover` finds.
    private func loadProfile() throws -> Profile {
        guard discover else { return try profileOptions.load() }
        var profile = profileOptions.profiles.isEmpty ? Profile() : try profileOptions.load()
        let environment = ProcessInfo.processInfo.environment
        let home = environment["HOME"] ?? NSHomeDirectory()
        let found = Discovery.load(
            Discovery.locations(home: home, project: FileManager.default.currentDirectoryPath, configHome: environment["XDG_CONFIG_HOME"])
        )
        for problem in found.problems { Console.error("warning[\(CLIError.Code.profileInvalid)]: \(problem.description) (skipped)") }
        profile.files += found.files
        profile.problems += found.problems
        for entry in found.servers where profile.server(named: entry.name) == nil { profile.servers.append(entry) }
        if profile.registries.isEmpty { profile.registries = found.registries }
        return profile
    }

    /// Discovered stdio servers start only with `--spawn` or the user's yes (the exact command and the
    /// environment with values redacted are shown); the rest are reported as not started.
    private func partition(_ profile: Profile) -> ([ServerEntry], [ServerStatus]) {
        var startable: [ServerEntry] = []
        var skipped: [ServerStatus] = []
        let explicit = Set(profileOptions.profiles)
        let interactive = isatty(STDIN_FILENO) == 1
        for entry in profile.servers {
            guard discover, !spawn, !explicit.contains(entry.source), case .stdio(let launch) = entry.transport else {
                startable.append(entry)
                continue
            }
            if interactive {
                let environment = launch.environment.keys.sorted().map { "\($0)=<redacted>" }.joined(separator: " ")
                Console.out("start \(entry.name) from \(entry.source)?\n  \(([launch.command] + launch.arguments).joined(separator: " "))"
                    + (environment.isEmpty ? "" : "\n  env: \(environment)"))
                FileHandle.standardOutput.write(Data("[y/N] ".utf8))
                if Swift.readLine()?.lowercased().hasPrefix("y") == true {
                    startable.append(entry)
                    continue
                }
            }
            skipped.append(.notStarted(entry, because: "not started: a stdio server found by --discover starts only with --spawn"))
        }
        return (startable, skipped)
    }

    /// Baseline drift per server: a changed identity, changed, added and removed tools.
    static func drift(_ statuses: [ServerStatus]) -> [String: [String]] {
        var drift: [String: [String]] = [:]
        for status in statuses {
            var changes: [String] = []
            if status.reasons.first?.code == .identityChanged { changes.append("identity changed: \(status.reasons[0].message)") }
            for tool in status.tools.sorted(by: { $0.name < $1.name }) where tool.pinState == .changed || tool.pinState == .added {
                changes.append("tool \(tool.name) \(tool.pinState.rawValue)")
            }
            for removed in status.removedTools { changes.append("tool \(removed) removed") }
            if !changes.isEmpty { drift[status.entry.name] = changes }
        }
        return drift
    }
}

/// Audit output formats.
enum AuditFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table
    case json
    case junit
    case sarif
}
