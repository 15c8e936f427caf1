/// The AI Identity trust tiers, lowest first: each includes the ones below it.
public enum Tier: String, Sendable, Hashable, CaseIterable, Comparable {
    case issued
    case identityVerified = "identity_verified"
    case creatorVerified = "creator_verified"
    case businessVerified = "business_verified"

    public static func < (lhs: Tier, rhs: Tier) -> Bool {
        lhs.rank < rhs.rank
    }

    /// The position in ``allCases`` (without building that array on every comparison).
    private var rank: Int {
        switch self {
        case .issued: 0
        case .identityVerified: 1
        case .creatorVerified: 2
        case .businessVerified: 3
        }
    }
}
