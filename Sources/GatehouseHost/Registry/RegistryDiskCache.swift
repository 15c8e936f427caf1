import Foundation
import Ed25519
import StrictJSON

/// Fetched registry resources persisted under the state directory, so a restart neither refetches what
/// is fresh nor forgets the newest revocation list it has seen (rollback protection across runs).
///
/// Layout: `<directory>/<sha256(issuer) prefix>/<kind>.json` (the body exactly as fetched) and
/// `<kind>.meta.json` (`fetchedAt`, `freshUntil`). Writes are atomic (temporary file and rename). A file
/// that cannot be read or parsed is treated as absent; it is never trusted.
struct RegistryDiskCache: Sendable {
    enum Kind: String {
        case jwks
        case revocations
    }

    let directory: String

    func load<Value>(issuer: String, kind: Kind, parse: ([UInt8]) throws -> Value)
        -> RegistrySource.Cached<Value>?
    {
        let folder = folder(for: issuer)
        guard let body = FileManager.default.contents(atPath: folder + "/\(kind.rawValue).json"),
            let metaBytes = FileManager.default.contents(atPath: folder + "/\(kind.rawValue).meta.json"),
            let meta = try? JSONParser().parse([UInt8](metaBytes)),
            let fetchedAt = meta["fetchedAt"]?.numberValue?.int64Value,
            let freshUntil = meta["freshUntil"]?.numberValue?.int64Value,
            let value = try? parse([UInt8](body))
        else { return nil }
        return RegistrySource.Cached(value: value, fetchedAt: fetchedAt, freshUntil: freshUntil)
    }

    func store(issuer: String, kind: Kind, bytes: [UInt8], fetchedAt: Int64, freshUntil: Int64) {
        let folder = folder(for: issuer)
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]
            )
            let meta: JSONValue = ["issuer": .string(issuer), "fetchedAt": .number(JSONNumber(fetchedAt)),
                                   "freshUntil": .number(JSONNumber(freshUntil))]
            try Data(bytes).write(to: URL(fileURLWithPath: folder + "/\(kind.rawValue).json"), options: .atomic)
            try Data(JSONSerializer.bytes(meta, style: .pretty)).write(
                to: URL(fileURLWithPath: folder + "/\(kind.rawValue).meta.json"), options: .atomic
            )
        } catch {
            // The cache is an optimisation and a rollback guard; failing to write it never fails a check.
        }
    }

    private func folder(for issuer: String) -> String {
        directory + "/" + SHA256.hexDigest(issuer).prefix(16)
    }
}
