import Foundation
import MCPClient
import StrictJSON
import TrustCore

extension HostSession {
    /// Verifies a connected server, lists its tools, and decides what is loaded.
    func verifyAndLoad(_ entry: ServerEntry, session: MCPSession, trust: EffectiveTrust) async -> ServerStatus {
        let record = currentRecord(entry)
        let report = await verify(entry, session: session, trust: trust, firstSeen: record?.identity)
        let (loaded, note) = Self.decide(report: report, trust: trust)
        let listed: [ListedTool]
        do {
            listed = try await ToolListing.list(session, limits: toolLimits)
        } catch {
            let failure = error as? MCPClientError ?? MCPClientError(.invalidMessage, "\(error)")
            return ServerStatus(
                entry: entry, session: session, connectionError: failure, report: report, loaded: false, tools: [],
                removedTools: [], policyNote: "tools/list failed: \(failure.message)",
                skippedLines: await session.connection.skippedLines
            )
        }
        let (tools, removed) = inventory(listed, entry: entry, record: record, serverLoaded: loaded)
        recordSighting(entry, report: report, previous: record, tools: listed, serverLoaded: loaded)
        return ServerStatus(
            entry: entry, session: session, connectionError: nil, report: report, loaded: loaded, tools: tools,
            removedTools: removed, policyNote: note, skippedLines: await session.connection.skippedLines
        )
    }

    func verify(_ entry: ServerEntry, session: MCPSession, trust: EffectiveTrust, firstSeen: String?) async -> VerificationReport {
        guard trust.mode != .off else {
            return VerificationReport(
                verdict: .unchecked, reasons: [], warnings: [], checks: [], identity: nil, issuer: nil, tier: nil,
                operatorName: nil, expiresAt: nil, surface: nil, carriers: [], tokenDigest: nil, record: nil
            )
        }
        var carriers = IdentityExtraction.carriers(in: session.handshake)
        let binding: SurfaceBinding
        if let url = entry.url {
            binding = .endpoint(url)
            if trust.server.wellKnown, let document = await IdentityExtraction.wellKnown(for: url) {
                carriers.append(document)
            }
        } else {
            binding = trust.server.surface.map { .declaredSurface($0) } ?? .none
        }
        let request = VerificationRequest(
            carriers: carriers, binding: binding, expectedIdentity: trust.server.expectIdentity,
            firstSeenIdentity: firstSeen, now: clockNow
        )
        return await PassportVerifier(policy: trust.policy, materials: registrySource).verify(request)
    }

    /// SPEC §2.4: `enforce` loads verified servers (and, when `allowUnverified` says so, unverified or declared
    /// ones); `warn` and `off` load everything, with the status shown.
    static func decide(report: VerificationReport, trust: EffectiveTrust) -> (Bool, String) {
        switch trust.mode {
        case .off: return (true, "trust mode off: nothing was checked")
        case .warn:
            return report.verdict == .verified ? (true, "verified") : (true, "trust mode warn: loaded although \(report.verdict.rawValue)")
        case .enforce:
            switch report.verdict {
            case .verified: return (true, "verified")
            case .unverified where trust.server.allowUnverified, .declared where trust.server.allowUnverified:
                return (true, "allowUnverified: loaded although \(report.verdict.rawValue)")
            default:
                let reason = report.reasons.first.map { " (\($0.code.rawValue))" } ?? ""
                return (false, "quarantined: \(report.verdict.rawValue)\(reason)")
            }
        }
    }
}
