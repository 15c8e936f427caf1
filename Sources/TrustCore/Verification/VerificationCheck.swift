/// The steps of SPEC §2.3, in the order they run. The raw value is the name reported in `checks`.
public enum CheckName: String, Sendable, Hashable, CaseIterable {
    case carriers
    case registryTrusted = "registry_trusted"
    case format
    case header
    case key
    case signature
    case claims
    case issuer
    case subject
    case audience
    case time
    case tier
    case surface
    case revocation
    case status
    case identityPin = "identity_pin"

    /// The step number in SPEC §2.3.
    public var step: Int { (CheckName.allCases.firstIndex(of: self) ?? 0) + 1 }
}

/// What a step concluded.
public enum CheckResult: String, Sendable, Hashable {
    case pass
    case fail
    case skip
}

/// One step's outcome, as reported.
public struct VerificationCheck: Sendable, Hashable {
    /// Which step.
    public let name: CheckName
    /// pass, fail or skip.
    public let result: CheckResult
    /// What was checked or why it was skipped.
    public let detail: String
    /// For a failure, the reason code.
    public let code: ReasonCode?

    /// Creates a check outcome.
    public init(_ name: CheckName, _ result: CheckResult, _ detail: String, code: ReasonCode? = nil) {
        self.name = name
        self.result = result
        self.detail = detail
        self.code = code
    }
}

/// The verdict on a server's identity (SPEC §2.4).
public enum Verdict: String, Sendable, Hashable {
    /// A passport was presented and every step passed.
    case verified
    /// Only an unsigned claim (well-known document) was found, and it is consistent.
    case declared
    /// No identity was presented at all.
    case unverified
    /// Something was presented and a step failed.
    case rejected
    /// Verification could not be completed: a registry resource is unavailable.
    case error
}
