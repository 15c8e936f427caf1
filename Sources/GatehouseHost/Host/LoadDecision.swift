public import TrustCore

/// Whether a server's (or one tool's) tools may be used, and why: the one decision every front end reads
/// — `HostSession.call`, server requests, resources and prompts, the CLI renderers, the REPL and the
/// proxy — made in one place, ``LoadDecision/decide(_:trust:)``, from the assessment and the policy.
public enum LoadDecision: Sendable, Hashable {
    /// Loaded: callable.
    case loaded(LoadBasis)
    /// Quarantined: never called, listed only with `--all`.
    case quarantined(QuarantineReason)

    /// Whether the tools may be used.
    public var isLoaded: Bool {
        guard case .loaded = self else { return false }
        return true
    }

    /// Why the tools are (not) loaded, in words.
    public var note: String {
        switch self {
        case .loaded(let basis): return basis.note
        case .quarantined(let reason): return reason.note
        }
    }

    /// Whether the person lifted a quarantine for this session (`allow SERVER`).
    public var isSessionOverride: Bool {
        guard case .loaded(.sessionOverride) = self else { return false }
        return true
    }

    /// SPEC §2.4: `enforce` loads verified servers (and, when `allowUnverified` says so, unverified or
    /// declared ones); `warn` and `off` load everything, with the status shown.
    static func decide(_ assessment: ServerAssessment, trust: EffectiveTrust) -> LoadDecision {
        switch assessment {
        case .notStarted: return .quarantined(.notStarted("not started"))
        case .connectionFailed: return .quarantined(.connectionFailed)
        case .unchecked: return .loaded(.trustOff)
        case .assessed(let report):
            let verdict = ServerVerdict(report.verdict)
            switch trust.mode {
            case .off: return .loaded(.trustOff)
            case .warn: return verdict == .verified ? .loaded(.verified) : .loaded(.warnMode(verdict))
            case .enforce:
                switch verdict {
                case .verified: return .loaded(.verified)
                case .unverified where trust.server.allowUnverified, .declared where trust.server.allowUnverified:
                    return .loaded(.allowUnverified(verdict))
                default: return .quarantined(.verdict(verdict, report.reasons.first?.code))
                }
            }
        }
    }

    /// The decision for one tool of a server decided `self`: a tool whose definition changed since it was
    /// pinned, or that was added to a pinned server, stays out even when its server is loaded.
    func forTool(_ state: PinState) -> LoadDecision {
        guard isLoaded, !isSessionOverride, state == .changed || state == .added else { return self }
        return .quarantined(.pin(state))
    }

    /// The decision after `allow SERVER`: a quarantine lifted for this session, its reason kept.
    var overridden: LoadDecision {
        guard case .quarantined(let reason) = self else { return self }
        return .loaded(.sessionOverride(reason))
    }
}

/// Why tools are loaded.
public enum LoadBasis: Sendable, Hashable {
    /// The server verified.
    case verified
    /// Trust mode `off`.
    case trustOff
    /// Trust mode `warn`, with the verdict it loaded despite.
    case warnMode(ServerVerdict)
    /// `allowUnverified` under `enforce`.
    case allowUnverified(ServerVerdict)
    /// `allow SERVER` lifted this quarantine for the session.
    case sessionOverride(QuarantineReason)

    var note: String {
        switch self {
        case .verified: return "verified"
        case .trustOff: return "trust mode off: nothing was checked"
        case .warnMode(let verdict): return "trust mode warn: loaded although \(verdict.rawValue)"
        case .allowUnverified(let verdict): return "allowUnverified: loaded although \(verdict.rawValue)"
        case .sessionOverride(let reason): return reason.note
        }
    }
}

/// Why tools are kept out.
public enum QuarantineReason: Sendable, Hashable {
    /// The verdict under `enforce`, with the deciding reason code.
    case verdict(ServerVerdict, ReasonCode?)
    /// The connection failed.
    case connectionFailed
    /// Connected and verified, but its tools could not be listed.
    case toolsUnavailable(String)
    /// Not started (discovered stdio servers), with why.
    case notStarted(String)
    /// One tool: changed since it was pinned, or added to a pinned server.
    case pin(PinState)

    var note: String {
        switch self {
        case .verdict(let verdict, let code): return "quarantined: \(verdict.rawValue)" + (code.map { " (\($0.rawValue))" } ?? "")
        case .connectionFailed: return "the connection failed"
        case .toolsUnavailable(let message): return "tools/list failed: \(message)"
        case .notStarted(let note): return note
        case .pin(let state): return "the tool is \(state.rawValue) since it was pinned"
        }
    }
}
