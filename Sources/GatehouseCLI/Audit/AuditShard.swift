import ArgumentParser
import Ed25519
import StrictJSON

/// `--shard K/N` (SPEC §10): the servers whose name's SHA-256 (UTF-8), first 8 bytes read as a big-endian
/// unsigned integer, is K − 1 modulo N. Every machine computes the same split from the names alone, so N
/// jobs cover any fleet exactly once, whatever the order of the profile's entries.
struct AuditShard: ExpressibleByArgument, Sendable, Equatable {
    let index: Int
    let count: Int

    init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(index) else {
            return nil
        }
        self.index = index
        self.count = count
    }

    /// Whether `name` belongs to this shard.
    func contains(_ name: String) -> Bool {
        let digest = SHA256.digest(Array(name.utf8))
        let value = digest.prefix(8).reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
        return value % UInt64(count) == UInt64(index - 1)
    }

    /// `{"index": K, "count": N}` for the JSON report.
    var json: JSONValue {
        ["index": .number(JSONNumber(Int64(index))), "count": .number(JSONNumber(Int64(count)))]
    }
}
