public import MCPClient
public import StrictJSON
public import TrustCore

/// One tool of a server, as inventoried.
public struct ToolRecord: Sendable {
    /// The tool's own name.
    public let name: String
    /// `server.tool`: the only name under which it is callable, so no server can shadow another's tool.
    public let qualifiedName: String
    /// The tool object as the server sent it.
    public let definition: JSONValue
    /// Its pin.
    public let pin: String
    /// How it compares with the trust store.
    public let pinState: PinState
    /// Whether it may be called: its server's decision, or a quarantine of its own for a changed or added tool.
    public let decision: LoadDecision
    /// For a changed tool: what changed, one line per member.
    public let diff: [String]

    /// Whether it may be called.
    public var loaded: Bool { decision.isLoaded }
}

/// One server after connecting and verifying.
public struct ServerStatus: Sendable {
    /// The profile entry.
    public let entry: ServerEntry
    /// The connection, when it succeeded (front ends reach it only through ``HostSession``).
    let session: MCPSession?
    /// Why the connection (or the tool listing) failed.
    public let connectionError: MCPClientError?
    /// What is known of its identity.
    public let assessment: ServerAssessment
    /// Whether its tools may be used, and why.
    public let decision: LoadDecision
    /// Every tool it offers, loaded or quarantined.
    public let tools: [ToolRecord]
    /// Tools the trust store knew that the server no longer offers.
    public let removedTools: [String]
    /// Lines that were not JSON-RPC, for `connection.skippedLines`.
    public let skippedLines: Int
    /// False when its tools were not listed because it is not loaded and the host does not inventory such
    /// servers (the proxy, SPEC §8): then every tool name is refused as quarantined, none as unknown.
    public internal(set) var inventoried = true

    /// What the handshake established, when it connected.
    public var handshake: Handshake? { session?.handshake }
    /// The verifier's report, when it ran.
    public var report: VerificationReport? { assessment.report }
    /// The verdict to show.
    public var verdict: ServerVerdict { assessment.verdict }
    /// Why the verdict is what it is (the verifier's reasons, or the connection's code).
    public var reasons: [TrustReason] { assessment.reasons }
    /// Whether its tools may be used.
    public var loaded: Bool { decision.isLoaded }
    /// The surface its passport is bound to, or `unbound`.
    public var surfaceName: String { report?.surfaceName ?? VerificationReport.unboundSurface }
    /// Why the tools are (not) loaded, in words.
    public var policyNote: String { decision.note }
    /// True for a server that asked for an OAuth login whose identity evidence (the `401`'s passport, the
    /// well-known document) was rejected under `enforce`: no login may start (SPEC §9 step 7), and the verdict
    /// is reported as a trust failure.
    public var rejectedBeforeLogin: Bool {
        connectionError?.code.isAuthorizationFailure == true && verdict == .rejected
    }
    /// True for a server that answered `401`/`403` asking for an OAuth login (or more scopes) that may start:
    /// its identity evidence, if any, was not rejected.
    public var asksForLogin: Bool {
        connectionError?.code.isAuthorizationFailure == true && !rejectedBeforeLogin
    }
    /// False for a server that was deliberately not started (a stdio server found by `--discover`).
    public var started: Bool {
        guard case .notStarted = assessment else { return true }
        return false
    }

    /// A server that was not started, with the reason.
    public static func notStarted(_ entry: ServerEntry, because note: String) -> ServerStatus {
        ServerStatus(
            entry: entry, session: nil, connectionError: nil, assessment: .notStarted,
            decision: .quarantined(.notStarted(note)), tools: [], removedTools: [], skippedLines: 0
        )
    }

    /// A server whose connection failed.
    static func connectionFailed(_ entry: ServerEntry, _ error: MCPClientError) -> ServerStatus {
        ServerStatus(
            entry: entry, session: nil, connectionError: error, assessment: .connectionFailed(error),
            decision: .quarantined(.connectionFailed), tools: [], removedTools: [], skippedLines: 0
        )
    }

    /// The same server with a quarantine lifted for this session (`allow SERVER`), tools included.
    func overridden() -> ServerStatus {
        let tools = tools.map {
            ToolRecord(
                name: $0.name, qualifiedName: $0.qualifiedName, definition: $0.definition, pin: $0.pin,
                pinState: $0.pinState, decision: $0.decision.overridden, diff: $0.diff
            )
        }
        return ServerStatus(
            entry: entry, session: session, connectionError: connectionError, assessment: assessment,
            decision: connectionError == nil ? decision.overridden : decision, tools: tools,
            removedTools: removedTools, skippedLines: skippedLines, inventoried: inventoried
        )
    }

    /// A tool by its own name.
    public func tool(named name: String) -> ToolRecord? {
        tools.first { $0.name == name }
    }
}
