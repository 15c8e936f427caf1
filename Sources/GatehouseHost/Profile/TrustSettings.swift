public import TrustCore

/// How verification results decide tool loading (SPEC §2.4).
public enum TrustMode: String, Sendable, Hashable, CaseIterable {
    /// Load tools only from `verified` servers whose policy is met (the default).
    case enforce
    /// Load every server's tools, warning before each call on a non-verified one.
    case warn
    /// Skip verification (`unchecked`).
    case off
}

/// The global `trust` object of a profile (SPEC §3), with SPEC's defaults.
public struct TrustSettings: Sendable, Hashable {
    public var mode: TrustMode = .enforce
    public var minimumTier: Tier = .issued
    public var audience = "verifier"
    public var clockSkewSeconds: Int64 = 60
    public var online = false
    public var maxStaleSeconds: Int64 = 86_400
    public var maxAgeDays: Int64?

    /// SPEC's defaults.
    public init() {}
}

/// A server's own `trust` object: each present member overrides the global setting.
public struct ServerTrust: Sendable, Hashable {
    public var mode: TrustMode?
    public var minimumTier: Tier?
    public var audience: String?
    /// The surface a stdio server declares (SPEC §2.5).
    public var surface: String?
    /// The identity this server must present (step 16).
    public var expectIdentity: String?
    /// Use the server even when it presents no identity (never silently: it is shown everywhere).
    public var allowUnverified = false
    /// Fetch the well-known document for HTTP servers (default true).
    public var wellKnown = true
    public var maxAgeDays: Int64?

    /// No overrides.
    public init() {}
}

/// The settings that apply to one server: the global ones with its overrides applied.
public struct EffectiveTrust: Sendable, Hashable {
    public let mode: TrustMode
    public let policy: VerificationPolicy
    public let server: ServerTrust

    /// Combines the global settings, a server's overrides and the trusted registries.
    public init(global: TrustSettings, server: ServerTrust, trustedIssuers: [String]) {
        mode = server.mode ?? global.mode
        let maxAge = server.maxAgeDays ?? global.maxAgeDays
        policy = VerificationPolicy(
            trustedIssuers: trustedIssuers, audience: server.audience ?? global.audience,
            clockSkewSeconds: global.clockSkewSeconds, maximumAgeSeconds: maxAge.map { $0 * 86_400 },
            minimumTier: server.minimumTier ?? global.minimumTier, online: global.online
        )
        self.server = server
    }
}
