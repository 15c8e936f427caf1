import Foundation
public import TrustCore
import StrictJSON

/// The registry resources the verifier needs, fetched from files or HTTP(S) and cached as SPEC §2.6 says.
///
/// - JWKS and revocation lists are cached per registry in memory and (for URLs) on disk, fresh for the
///   server's `Cache-Control: max-age` clamped to [5 min, 24 h]; files are re-read on every use.
/// - A `kid` the fresh cached JWKS lacks triggers at most one refetch per 30 s per registry.
/// - A failed fetch (unreachable, non-2xx, oversized, malformed) never replaces the cache; the last good
///   copy is served until it is `maxStaleSeconds` old, then the answer is `registry.unavailable`.
/// - A revocation list older (`updated_at`) than the cached one is ignored (rollback).
/// - Concurrent misses for one resource share a single request.
///
/// The clock is injected so tests can move time without sleeping.
public actor RegistrySource: RegistryMaterials {
    /// Caching rules.
    public struct Settings: Sendable {
        /// How long the last good copy may be used after fetches start failing.
        public var maxStaleSeconds: Int64 = 86_400
        /// The least time between refetches caused by an unknown `kid`.
        public var unknownKeyRefetchInterval: Int64 = 30
        /// The clamp for `max-age`.
        public var freshnessRange: ClosedRange<Int64> = 300...86_400

        /// Creates the defaults of SPEC §2.6.
        public init(maxStaleSeconds: Int64 = 86_400) {
            self.maxStaleSeconds = maxStaleSeconds
        }
    }

    struct Cached<Value: Sendable>: Sendable {
        let value: Value
        let fetchedAt: Int64
        let freshUntil: Int64
        /// The bytes `value` was parsed from, so identical bytes read again (a file is read on every use)
        /// are not parsed again: a 10 000-entry revocation list costs about 25 ms to parse.
        var sourceBytes: [UInt8]? = nil

        /// The same value, fetched again now.
        func refetched(at now: Int64, freshUntil: Int64) -> Cached {
            Cached(value: value, fetchedAt: now, freshUntil: freshUntil, sourceBytes: sourceBytes)
        }
    }

    let registries: [String: RegistryConfiguration]
    let fetcher: any ResourceFetcher
    let clock: @Sendable () -> Int64
    let settings: Settings
    let diskCache: RegistryDiskCache?
    var keySets: [String: Cached<JWKSet>] = [:]
    var revocationLists: [String: Cached<RevocationList>] = [:]
    var records: [String: Cached<IdentityRecord>] = [:]
    var lastUnknownKeyRefetch: [String: Int64] = [:]
    var inFlight: [String: Task<Result<FetchedResource, FetchError>, Never>] = [:]
    var revocationLookups: [String: Task<RegistryLookup<RevocationList>, Never>] = [:]

    /// Creates a source for `registries`.
    /// - Parameters:
    ///   - cacheDirectory: where fetched copies persist across runs (nil: memory only).
    ///   - clock: seconds since the epoch.
    public init(
        registries: [RegistryConfiguration], fetcher: any ResourceFetcher = StandardResourceFetcher(),
        cacheDirectory: String? = nil, settings: Settings = Settings(),
        clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    ) {
        var byIssuer: [String: RegistryConfiguration] = [:]
        for registry in registries { byIssuer[IssuerName.normalized(registry.issuer)] = registry }
        self.registries = byIssuer
        self.fetcher = fetcher
        self.clock = clock
        self.settings = settings
        self.diskCache = cacheDirectory.map(RegistryDiskCache.init(directory:))
    }

    func configuration(_ issuer: String) -> RegistryConfiguration? {
        registries[IssuerName.normalized(issuer)]
    }

    /// How long a fetched resource stays fresh: files not at all, URLs by clamped max-age.
    func freshness(of location: ResourceLocation, maxAge: Int64?) -> Int64 {
        guard case .url = location else { return 0 }
        let requested = maxAge ?? settings.freshnessRange.lowerBound
        return min(max(requested, settings.freshnessRange.lowerBound), settings.freshnessRange.upperBound)
    }

    /// The stale copy when it may still be served, else `registry.unavailable` with `why`.
    func staleOrUnavailable<Value>(_ cached: Cached<Value>?, now: Int64, why: String) -> RegistryLookup<Value> {
        if let cached, now - cached.fetchedAt <= settings.maxStaleSeconds { return .available(cached.value) }
        if cached != nil {
            return .unavailable("\(why); the cached copy is older than \(settings.maxStaleSeconds) s")
        }
        return .unavailable(why)
    }

    /// GETs `location`, sharing one request among concurrent callers.
    func fetch(_ location: ResourceLocation, maximumBytes: Int) async -> Result<FetchedResource, FetchError> {
        let key = location.description
        if let running = inFlight[key] { return await running.value }
        let fetcher = self.fetcher
        let task = Task<Result<FetchedResource, FetchError>, Never> {
            do {
                return .success(try await fetcher.get(location, maximumBytes: maximumBytes))
            } catch let error as FetchError {
                return .failure(error)
            } catch {
                return .failure(FetchError(message: "\(error)"))
            }
        }
        inFlight[key] = task
        let result = await task.value
        inFlight[key] = nil
        return result
    }
}
