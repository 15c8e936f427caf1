import Foundation
import TrustCore
import StrictJSON

extension RegistrySource {
    public func keySet(issuer: String, keyID: String?) async -> RegistryLookup<JWKSet> {
        guard let configuration = configuration(issuer) else { return .notConfigured }
        let cacheKey = IssuerName.normalized(issuer)
        let now = clock()
        let cached = keySets[cacheKey] ?? diskCache?.load(issuer: cacheKey, kind: .jwks, parse: JWKSet.parse)
        if let cached, now < cached.freshUntil {
            guard let keyID, !cached.value.knows(keyID) else { return .available(cached.value) }
            if let last = lastUnknownKeyRefetch[cacheKey], now - last < settings.unknownKeyRefetchInterval {
                return .available(cached.value)
            }
            lastUnknownKeyRefetch[cacheKey] = now
        }
        let why: String
        switch await fetch(configuration.jwks, maximumBytes: JWKSet.maximumBytes) {
        case .success(let fetched):
            let freshUntil = now + freshness(of: configuration.jwks, maxAge: fetched.maxAge)
            if let cached, cached.sourceBytes == fetched.bytes {
                keySets[cacheKey] = cached.refetched(at: now, freshUntil: freshUntil)
                return .available(cached.value)
            }
            do {
                let parsed = try JWKSet.parse(fetched.bytes)
                let entry = Cached(value: parsed, fetchedAt: now, freshUntil: freshUntil, sourceBytes: fetched.bytes)
                keySets[cacheKey] = entry
                if case .url = configuration.jwks {
                    diskCache?.store(issuer: cacheKey, kind: .jwks, bytes: fetched.bytes, fetchedAt: now, freshUntil: entry.freshUntil)
                }
                return .available(parsed)
            } catch {
                why = "the JWKS from \(configuration.jwks) is not a valid key set: \(Self.describe(error))"
            }
        case .failure(let error): why = "\(configuration.jwks): \(error.message)"
        }
        if let cached { keySets[cacheKey] = cached }
        return staleOrUnavailable(cached, now: now, why: why)
    }

    /// The revocation list of `issuer`. Concurrent callers (every server of a fleet verifying at once) share
    /// one lookup: one read and at most one parse.
    public func revocationList(issuer: String) async -> RegistryLookup<RevocationList> {
        let key = IssuerName.normalized(issuer)
        if let running = revocationLookups[key] { return await running.value }
        let lookup = Task { await self.lookUpRevocationList(issuer: issuer) }
        revocationLookups[key] = lookup
        let result = await lookup.value
        revocationLookups[key] = nil
        return result
    }

    private func lookUpRevocationList(issuer: String) async -> RegistryLookup<RevocationList> {
        guard let configuration = configuration(issuer), let location = configuration.revocations else {
            return .notConfigured
        }
        let cacheKey = IssuerName.normalized(issuer)
        let now = clock()
        let cached = revocationLists[cacheKey]
            ?? diskCache?.load(issuer: cacheKey, kind: .revocations, parse: RevocationList.parse)
        if let cached, now < cached.freshUntil { return .available(cached.value) }
        let why: String
        switch await fetch(location, maximumBytes: RevocationList.maximumBytes) {
        case .success(let fetched):
            let freshUntil = now + freshness(of: location, maxAge: fetched.maxAge)
            if let cached, cached.sourceBytes == fetched.bytes {
                revocationLists[cacheKey] = cached.refetched(at: now, freshUntil: freshUntil)
                return .available(cached.value)
            }
            do {
                let parsed = try RevocationList.parse(fetched.bytes)
                if let cached, Self.isRollback(fetched: parsed, cached: cached.value) {
                    why = "the list from \(location) is older than the cached one (rollback ignored)"
                } else {
                    let entry = Cached(value: parsed, fetchedAt: now, freshUntil: freshUntil, sourceBytes: fetched.bytes)
                    revocationLists[cacheKey] = entry
                    if case .url = location {
                        diskCache?.store(
                            issuer: cacheKey, kind: .revocations, bytes: fetched.bytes, fetchedAt: now,
                            freshUntil: entry.freshUntil
                        )
                    }
                    return .available(parsed)
                }
            } catch {
                why = "the revocation list from \(location) is not valid: \(Self.describe(error))"
            }
        case .failure(let error): why = "\(location): \(error.message)"
        }
        if let cached { revocationLists[cacheKey] = cached }
        return staleOrUnavailable(cached, now: now, why: why)
    }

    /// A fetched list is a rollback when it is older than the cached one, or has no date while the cached
    /// one has (dropping `updated_at` must not be a way around the check).
    static func isRollback(fetched: RevocationList, cached: RevocationList) -> Bool {
        guard let cachedDate = cached.updatedAt else { return false }
        guard let fetchedDate = fetched.updatedAt else { return true }
        return fetchedDate < cachedDate
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as JSONParseError: error.description
        case let error as JWKSetFormatError: error.message
        case let error as RevocationListFormatError: error.message
        default: "\(error)"
        }
    }
}

extension JWKSet {
    /// True when `keyID` names a usable or an unusable entry.
    func knows(_ keyID: String) -> Bool {
        keys.contains { $0.keyID == keyID } || unusable.contains { $0.keyID == keyID }
    }
}
