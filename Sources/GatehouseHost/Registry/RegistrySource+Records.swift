import Foundation
import TrustCore
import StrictJSON

extension RegistrySource {
    /// The largest identity record accepted.
    static let maximumRecordBytes = 64 * 1024

    public func identityRecord(issuer: String, identity: String) async -> RegistryLookup<IdentityRecord> {
        guard let configuration = configuration(issuer) else { return .notConfigured }
        guard configuration.identities != nil || configuration.verify != nil else { return .notConfigured }
        let cacheKey = IssuerName.normalized(issuer) + "\u{0}" + identity
        let now = clock()
        let cached = records[cacheKey]
        if let cached, now < cached.freshUntil { return .available(cached.value) }
        var problems: [String] = []
        if let prefix = configuration.identities {
            let location = Self.recordLocation(prefix, identity: identity)
            switch await fetch(location, maximumBytes: Self.maximumRecordBytes) {
            case .success(let fetched):
                if let record = Self.parseRecord(fetched.bytes) {
                    return store(record, key: cacheKey, location: location, maxAge: fetched.maxAge, now: now)
                }
                problems.append("\(location): not an identity record")
            case .failure(let error): problems.append("\(location): \(error.message)")
            }
        }
        if let verify = configuration.verify {
            let body = JSONSerializer.bytes(["id": .string(identity)])
            do {
                let fetched = try await fetcher.postJSON(verify, body: body, maximumBytes: Self.maximumRecordBytes)
                if let record = Self.parseRecord(fetched.bytes) {
                    return store(record, key: cacheKey, location: verify, maxAge: fetched.maxAge, now: now)
                }
                problems.append("\(verify): not a verify response")
            } catch {
                problems.append("\(verify): \(error)")
            }
        }
        return staleOrUnavailable(cached, now: now, why: problems.joined(separator: "; "))
    }

    private func store(
        _ record: IdentityRecord, key: String, location: ResourceLocation, maxAge: Int64?, now: Int64
    ) -> RegistryLookup<IdentityRecord> {
        records[key] = Cached(value: record, fetchedAt: now, freshUntil: now + freshness(of: location, maxAge: maxAge))
        return .available(record)
    }

    /// `<prefix>/<id>` for a URL (the id percent-encoded as a path segment), `<prefix>/<id>.json` for a
    /// directory of files.
    static func recordLocation(_ prefix: ResourceLocation, identity: String) -> ResourceLocation {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let segment = identity.addingPercentEncoding(withAllowedCharacters: allowed) ?? identity
        switch prefix {
        case .url(let url): return .url((url.hasSuffix("/") ? String(url.dropLast()) : url) + "/" + segment)
        case .file(let path): return .file((path.hasSuffix("/") ? String(path.dropLast()) : path) + "/" + segment + ".json")
        }
    }

    /// An object with a string `status` (and optional `tier`, `operator`); the status may also sit under
    /// `identity` or `record`.
    static func parseRecord(_ bytes: [UInt8]) -> IdentityRecord? {
        guard let document = try? JSONParser(maximumDepth: 16, maximumBytes: maximumRecordBytes).parse(bytes),
            case .object(var object) = document
        else { return nil }
        for nested in ["identity", "record"] {
            if object["status"] == nil, case .object(let inner)? = object[nested] { object = inner }
        }
        guard object.contains("status") || object.contains("tier") else { return nil }
        return IdentityRecord(
            status: object["status"]?.stringValue, tier: object["tier"]?.stringValue,
            operatorName: object["operator"]?.stringValue
        )
    }
}
