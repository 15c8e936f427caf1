/// The AI Identity trust tiers, lowest first: each includes the ones below it.
public enum Tier: String, Sendable, Hashable, CaseIterable, Comparable {
    case issued
    case identityVerified = "identity_verified"
    case creatorVerified = "creator_verified"
    case businessVerified = "business_verified"

    public static func < (lhs: Tier, rhs: Tier) -> Bool {
        guard let left = allCases.firstIndex(of: lhs), let right = allCases.firstIndex(of: rhs) else { return false }
        return left < right
    }
}
