public import MCPClient
public import TrustCore

/// The verdict shown for a server (SPEC §2.4): the verifier's, or the host's own word when verification
/// did not run (the connection failed: `error`; trust mode `off` or a server not started: `unchecked`).
public enum ServerVerdict: String, Sendable, Hashable, CaseIterable {
    case verified
    case declared
    case unverified
    case rejected
    case error
    case unchecked

    /// The host's name for the verifier's verdict.
    public init(_ verdict: Verdict) {
        switch verdict {
        case .verified: self = .verified
        case .declared: self = .declared
        case .unverified: self = .unverified
        case .rejected: self = .rejected
        case .error: self = .error
        }
    }
}

/// What the host knows about a server's identity: it was not started, its connection failed, the policy
/// checks nothing, or the verifier assessed it. Only the last carries a ``VerificationReport``, and only
/// ``PassportVerifier`` makes one: the host never writes a report of its own.
public enum ServerAssessment: Sendable {
    /// Deliberately not started (a stdio server found by `--discover`).
    case notStarted
    /// The connection failed before anything could be verified.
    case connectionFailed(MCPClientError)
    /// Trust mode `off`: nothing was checked.
    case unchecked
    /// The verifier's report.
    case assessed(VerificationReport)

    /// The verifier's report, when it ran.
    public var report: VerificationReport? {
        guard case .assessed(let report) = self else { return nil }
        return report
    }

    /// The verdict to show.
    public var verdict: ServerVerdict {
        switch self {
        case .notStarted, .unchecked: return .unchecked
        case .connectionFailed: return .error
        case .assessed(let report): return ServerVerdict(report.verdict)
        }
    }

    /// Why the verdict is what it is, the deciding reason first: the verifier's reasons, or the failed
    /// connection's code.
    public var reasons: [TrustReason] {
        switch self {
        case .notStarted, .unchecked: return []
        case .connectionFailed(let error): return [TrustReason(ReasonCode(rawValue: error.code.rawValue), error.message)]
        case .assessed(let report): return report.reasons
        }
    }
}
