import Foundation
import MCPClient
import StrictJSON
import TrustCore

extension HostSession {
    /// Verifies a connected server, lists its tools, and decides what is loaded (a quarantine the person
    /// lifted for this session stays lifted).
    func verifyAndLoad(_ entry: ServerEntry, session: MCPSession, trust: EffectiveTrust) async -> ServerStatus {
        let record = currentRecord(entry)
        let assessment = await assess(entry, session: session, trust: trust, firstSeen: record?.identity)
        let decision = LoadDecision.decide(assessment, trust: trust)
        if !decision.isLoaded, !inventoriesQuarantined, !allowed.contains(entry.name) {
            return ServerStatus(
                entry: entry, session: session, connectionError: nil, assessment: assessment, decision: decision, tools: [],
                removedTools: [], skippedLines: await session.connection.skippedLines, inventoried: false
            )
        }
        let listed: [ListedTool]
        do {
            listed = try await ToolListing.list(session, limits: toolLimits)
        } catch {
            let failure = error as? MCPClientError ?? MCPClientError(.invalidMessage, "\(error)")
            return ServerStatus(
                entry: entry, session: session, connectionError: failure, assessment: assessment,
                decision: .quarantined(.toolsUnavailable(failure.message)), tools: [], removedTools: [],
                skippedLines: await session.connection.skippedLines
            )
        }
        let (tools, removed) = inventory(listed, entry: entry, record: record, decision: decision)
        recordSighting(entry, assessment: assessment, previous: record, tools: listed, serverLoaded: decision.isLoaded)
        let status = ServerStatus(
            entry: entry, session: session, connectionError: nil, assessment: assessment, decision: decision, tools: tools,
            removedTools: removed, skippedLines: await session.connection.skippedLines
        )
        return allowed.contains(entry.name) ? status.overridden() : status
    }

    /// The verifier's assessment, or `unchecked` when the trust mode is `off`.
    func assess(_ entry: ServerEntry, session: MCPSession, trust: EffectiveTrust, firstSeen: String?) async -> ServerAssessment {
        guard trust.mode != .off else { return .unchecked }
        let carriers = IdentityExtraction.carriers(in: session.handshake)
        return .assessed(await verify(entry, carriers: carriers, trust: trust, firstSeen: firstSeen))
    }

    /// Verifies `carriers` (plus the well-known document of an HTTP endpoint, when the policy reads it)
    /// bound to the entry's endpoint or declared surface.
    func verify(_ entry: ServerEntry, carriers found: [IdentityCarrier], trust: EffectiveTrust, firstSeen: String?) async -> VerificationReport {
        var carriers = found
        let binding: SurfaceBinding
        if let url = entry.url {
            binding = .endpoint(url)
            if trust.server.wellKnown, let address = SurfaceAddress.endpoint(url),
                let document = await IdentityExtraction.wellKnown(for: address, fetcher: registrySource.fetcher)
            {
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
}
