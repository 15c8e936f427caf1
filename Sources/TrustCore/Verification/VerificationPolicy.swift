/// What a verification requires (SPEC §2.3, §3 `trust`).
public struct VerificationPolicy: Sendable, Hashable {
    /// Issuers (registries) trusted to sign passports, as configured.
    public var trustedIssuers: [String]
    /// The audience a passport's `aud` must contain.
    public var audience: String
    /// Clock skew allowed on `exp`, `nbf` and `iat`, in seconds.
    public var clockSkewSeconds: Int64
    /// When set, `now − iat` may not exceed this many seconds.
    public var maximumAgeSeconds: Int64?
    /// The lowest acceptable tier.
    public var minimumTier: Tier
    /// Whether step 15 asks the registry for the identity's current status.
    public var online: Bool

    /// Creates a policy; the defaults are SPEC's.
    public init(
        trustedIssuers: [String] = ["https://aiidentity.org"], audience: String = "verifier",
        clockSkewSeconds: Int64 = 60, maximumAgeSeconds: Int64? = nil, minimumTier: Tier = .issued,
        online: Bool = false
    ) {
        self.trustedIssuers = trustedIssuers
        self.audience = audience
        self.clockSkewSeconds = clockSkewSeconds
        self.maximumAgeSeconds = maximumAgeSeconds
        self.minimumTier = minimumTier
        self.online = online
    }

    /// The configured issuer that `name` denotes, if it is trusted.
    public func trustedIssuer(named name: String) -> String? {
        trustedIssuers.first { IssuerName.same($0, name) }
    }
}

/// What the passport must be bound to (SPEC §2.5).
public enum SurfaceBinding: Sendable, Hashable {
    /// Nothing to bind to (a stdio server with no declared surface): the surface step is `skip`, `unbound`.
    case none
    /// The URL the client connects to.
    case endpoint(String)
    /// A surface declared for a stdio server in the profile (or `--surface`).
    case declaredSurface(String)
}

/// One verification's inputs besides the policy.
public struct VerificationRequest: Sendable, Hashable {
    /// Where identity was found.
    public var carriers: [IdentityCarrier]
    /// What the passport must cover.
    public var binding: SurfaceBinding
    /// The profile's `expectIdentity`, if any.
    public var expectedIdentity: String?
    /// The trust store's first-seen identity for this server, if any.
    public var firstSeenIdentity: String?
    /// The time to verify at, in seconds since the epoch. The core never reads a clock.
    public var now: Int64

    /// Creates a request.
    public init(
        carriers: [IdentityCarrier], binding: SurfaceBinding = .none, expectedIdentity: String? = nil,
        firstSeenIdentity: String? = nil, now: Int64
    ) {
        self.carriers = carriers
        self.binding = binding
        self.expectedIdentity = expectedIdentity
        self.firstSeenIdentity = firstSeenIdentity
        self.now = now
    }
}
