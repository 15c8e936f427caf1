/// The answer of a registry source.
public enum RegistryLookup<Value: Sendable>: Sendable {
    /// The resource, fresh enough to use.
    case available(Value)
    /// This registry has no such resource configured (the step is skipped).
    case notConfigured
    /// The resource could not be had and no cached copy is fresh enough (`registry.unavailable`).
    case unavailable(String)
}

/// A registry's record of one identity (step 15), reduced to what the verifier uses and shows.
public struct IdentityRecord: Sendable, Hashable {
    /// `status`; only `active` passes.
    public let status: String?
    /// The record's tier, shown beside the token's.
    public let tier: String?
    /// The record's operator, shown beside the token's.
    public let operatorName: String?

    /// Creates a record.
    public init(status: String?, tier: String?, operatorName: String?) {
        self.status = status
        self.tier = tier
        self.operatorName = operatorName
    }
}

/// Where the verifier gets registry resources. The host implements it with files, HTTP and caches; tests
/// implement it in memory. The trust core itself does no I/O.
///
/// `issuer` is always one of the policy's trusted issuers, exactly as configured: the verifier asks for
/// nothing before step 2 has established that the registry is trusted.
public protocol RegistryMaterials: Sendable {
    /// The registry's JWKS. `keyID` is the id the token asks for, so a source may refetch once when its
    /// cached set lacks it.
    func keySet(issuer: String, keyID: String?) async -> RegistryLookup<JWKSet>
    /// The registry's revocation list.
    func revocationList(issuer: String) async -> RegistryLookup<RevocationList>
    /// The registry's record of `identity` (only asked when the policy is `online`).
    func identityRecord(issuer: String, identity: String) async -> RegistryLookup<IdentityRecord>
}

/// Registry materials held in memory: for tests, benchmarks and one-off checks.
public struct StaticRegistryMaterials: RegistryMaterials {
    /// Key sets by issuer (as configured).
    public var keySets: [String: JWKSet]
    /// Revocation lists by issuer.
    public var revocationLists: [String: RevocationList]
    /// Identity records by issuer, then identity.
    public var records: [String: [String: IdentityRecord]]

    /// Creates the materials.
    public init(
        keySets: [String: JWKSet] = [:], revocationLists: [String: RevocationList] = [:],
        records: [String: [String: IdentityRecord]] = [:]
    ) {
        self.keySets = keySets
        self.revocationLists = revocationLists
        self.records = records
    }

    public func keySet(issuer: String, keyID: String?) async -> RegistryLookup<JWKSet> {
        keySets[issuer].map { .available($0) } ?? .notConfigured
    }

    public func revocationList(issuer: String) async -> RegistryLookup<RevocationList> {
        revocationLists[issuer].map { .available($0) } ?? .notConfigured
    }

    public func identityRecord(issuer: String, identity: String) async -> RegistryLookup<IdentityRecord> {
        guard let byIdentity = records[issuer] else { return .notConfigured }
        return byIdentity[identity].map { .available($0) } ?? .unavailable("the registry has no record of \(identity)")
    }
}
