internal import StrictJSON

/// A registry's revocation list (SPEC §2.6).
///
/// Either `{"updated_at": "<RFC 3339>", "revoked": [ … ]}` or a bare array of identity ids. Each entry
/// of `revoked` is an identity id string or an object naming `identity` (also `id`, `sub`), `jti` or
/// `passport_sha256` (lowercase hex), with an optional `reason`. An entry that names none of these makes
/// the whole list malformed: a list this verifier cannot fully read is not trusted.
public struct RevocationList: Sendable, Hashable {
    /// One revocation's reason, as the registry wrote it.
    public typealias Reason = String

    /// `updated_at` in seconds since the epoch; nil for the bare-array form.
    public let updatedAt: Int64?
    /// Revoked identity ids.
    public let identities: [String: Reason]
    /// Revoked token ids (`jti`).
    public let tokenIDs: [String: Reason]
    /// Revoked token digests (lowercase hex SHA-256 of the compact token).
    public let tokenDigests: [String: Reason]

    /// The largest list accepted (room for well over 10 000 entries).
    public static let maximumBytes = 8 * 1024 * 1024

    /// The total number of entries.
    public var count: Int { identities.count + tokenIDs.count + tokenDigests.count }

    /// Creates a list directly.
    public init(
        updatedAt: Int64?, identities: [String: Reason] = [:], tokenIDs: [String: Reason] = [:],
        tokenDigests: [String: Reason] = [:]
    ) {
        self.updatedAt = updatedAt
        self.identities = identities
        self.tokenIDs = tokenIDs
        self.tokenDigests = tokenDigests
    }

    /// Parses a revocation list document.
    /// - Throws: ``JSONParseError`` or ``RevocationListFormatError``.
    public static func parse(_ bytes: [UInt8]) throws -> RevocationList {
        let document = try JSONParser(maximumDepth: 8, maximumBytes: maximumBytes).parse(bytes)
        switch document {
        case .array(let entries):
            return try RevocationList(updatedAt: nil, entries: entries)
        case .object(let object):
            guard case .string(let stamp) = object["updated_at"] ?? .null else {
                throw RevocationListFormatError(message: "updated_at is missing or not a string")
            }
            guard let updatedAt = RFC3339.seconds(from: stamp) else {
                throw RevocationListFormatError(message: "updated_at \"\(stamp.prefix(40))\" is not an RFC 3339 time")
            }
            guard case .array(let entries) = object["revoked"] ?? .null else {
                throw RevocationListFormatError(message: "revoked is missing or not an array")
            }
            return try RevocationList(updatedAt: updatedAt, entries: entries)
        default:
            throw RevocationListFormatError(message: "a revocation list is an object or an array")
        }
    }

    private init(updatedAt: Int64?, entries: [JSONValue]) throws(RevocationListFormatError) {
        var identities: [String: Reason] = [:]
        var tokenIDs: [String: Reason] = [:]
        var tokenDigests: [String: Reason] = [:]
        for (index, entry) in entries.enumerated() {
            if case .string(let identity) = entry {
                identities[identity] = identities[identity] ?? ""
                continue
            }
            guard case .object(let object) = entry else {
                throw RevocationListFormatError(message: "entry \(index) is neither a string nor an object")
            }
            let reason = object["reason"]?.stringValue ?? ""
            var named = false
            for key in ["identity", "id", "sub"] {
                if let identity = object[key]?.stringValue {
                    identities[identity] = reason
                    named = true
                }
            }
            if let tokenID = object["jti"]?.stringValue {
                tokenIDs[tokenID] = reason
                named = true
            }
            if let digest = object["passport_sha256"]?.stringValue {
                tokenDigests[digest.lowercased()] = reason
                named = true
            }
            guard named else {
                throw RevocationListFormatError(message: "entry \(index) names no identity, jti or passport_sha256")
            }
        }
        self.init(updatedAt: updatedAt, identities: identities, tokenIDs: tokenIDs, tokenDigests: tokenDigests)
    }

    /// What a lookup found.
    public struct Match: Sendable, Hashable {
        /// Which field matched: `identity`, `jti` or `passport_sha256`.
        public let field: String
        /// The registry's reason, possibly empty.
        public let reason: String
    }

    /// Looks up an identity id, a token id and a token digest.
    public func match(identity: String?, tokenID: String?, tokenDigest: String?) -> Match? {
        if let identity, let reason = identities[identity] { return Match(field: "identity", reason: reason) }
        if let tokenID, let reason = tokenIDs[tokenID] { return Match(field: "jti", reason: reason) }
        if let tokenDigest, let reason = tokenDigests[tokenDigest] {
            return Match(field: "passport_sha256", reason: reason)
        }
        return nil
    }
}

/// A revocation list that is JSON but not in the expected form.
public struct RevocationListFormatError: Error, Sendable {
    /// What is wrong.
    public let message: String
}
