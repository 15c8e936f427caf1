import GatehouseHost
import MCPClient
import StrictJSON
import TerminalText
import TrustCore

/// `--verbose` (SPEC §4): one stderr line per server as its connection is assessed — how it was reached, the
/// protocol agreed, the identity evidence and its verdict, and what was loaded. Passports appear only as their
/// SHA-256 digest prefix, never whole.
enum VerboseConnections {
    /// Writes the lines of `status` to stderr (the host's connection observer under `--verbose`).
    @Sendable static func report(_ status: ServerStatus) {
        for line in lines(for: status) { Console.error(line) }
    }

    /// The lines that describe `status`.
    static func lines(for status: ServerStatus) -> [TerminalText] {
        let name = status.entry.name
        var lines: [TerminalText] = []
        if let handshake = status.handshake {
            let info = handshake.serverInfo
            let server = [info?["name"]?.stringValue, info?["version"]?.stringValue].compactMap { $0 }.joined(separator: " ")
            lines.append(
                "verbose: \(field: name, limit: 60): \(field: handshake.transport, limit: 40), \(handshake.era.rawValue) era, protocol \(field: handshake.protocolVersion, limit: 40), server \(field: server.isEmpty ? "(unnamed)" : server, limit: 80)"
            )
        }
        if let failure = status.connectionError {
            lines.append("verbose: \(field: name, limit: 60): connection failed, \(failure.code.rawValue): \(field: failure.message, limit: 200)")
        }
        if let report = status.report, report.identity == nil, report.carriers.isEmpty {
            lines.append("verbose: \(field: name, limit: 60): no identity evidence in any carrier")
        } else if let report = status.report {
            let carriers = report.carriers.isEmpty ? "none" : report.carriers.joined(separator: ", ")
            let digest = report.tokenDigest.map { " passport sha256:\($0.prefix(12))" } ?? ""
            lines.append(
                "verbose: \(field: name, limit: 60): identity \(field: report.identity ?? "(none)", limit: 80) from \(field: report.issuer ?? "(no issuer)", limit: 80), carriers \(field: carriers, limit: 120),\(field: digest, limit: 40) surface \(field: report.surfaceName, limit: 80)"
            )
        }
        let reasons = status.reasons.map(\.code.rawValue).joined(separator: ", ")
        let loaded = status.tools.filter(\.loaded).count
        lines.append(
            "verbose: \(field: name, limit: 60): verdict \(status.verdict.rawValue)\(field: reasons.isEmpty ? "" : " (\(reasons))", limit: 200), \(loaded) of \(status.tools.count) tools loaded; \(field: status.policyNote, limit: 200)"
        )
        return lines
    }
}
