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
    /// Whether it may be called.
    public let loaded: Bool
    /// For a changed tool: what changed, one line per member.
    public let diff: [String]
}

/// One server after connecting and verifying.
public struct ServerStatus: Sendable {
    /// The profile entry.
    public let entry: ServerEntry
    /// The connection, when it succeeded.
    public let session: MCPSession?
    /// Why the connection failed.
    public let connectionError: MCPClientError?
    /// The verification (an `error` verdict with the connection's code when it failed).
    public let report: VerificationReport
    /// Whether the policy lets its tools be called.
    public let loaded: Bool
    /// Every tool it offers, loaded or quarantined.
    public let tools: [ToolRecord]
    /// Tools the trust store knew that the server no longer offers.
    public let removedTools: [String]
    /// Why the tools are (not) loaded, in words.
    public let policyNote: String
    /// Lines that were not JSON-RPC, for `connection.skippedLines`.
    public let skippedLines: Int
    /// False for a server that was deliberately not started (a stdio server found by `--discover`).
    public var started = true

    /// A server that was not started, with the reason.
    public static func notStarted(_ entry: ServerEntry, because note: String) -> ServerStatus {
        let report = VerificationReport(
            verdict: .unchecked, reasons: [], warnings: [], checks: [], identity: nil, issuer: nil, tier: nil,
            operatorName: nil, expiresAt: nil, surface: nil, carriers: [], tokenDigest: nil, record: nil
        )
        var status = ServerStatus(
            entry: entry, session: nil, connectionError: nil, report: report, loaded: false, tools: [], removedTools: [],
            policyNote: note, skippedLines: 0
        )
        status.started = false
        return status
    }

    /// A tool by its own name.
    public func tool(named name: String) -> ToolRecord? {
        tools.first { $0.name == name }
    }
}
