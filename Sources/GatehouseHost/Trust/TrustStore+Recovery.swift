import Foundation

extension TrustStore {
    /// Renames the file at `path` to `<path>.corrupt-<UTC time>` (with `-2`, `-3`… when that name is taken) so
    /// that the next command starts an empty store; nothing is deleted and nothing is overwritten. Returns the
    /// new name.
    /// - Throws: ``TrustStoreError`` when there is no file or it cannot be renamed.
    public static func moveAside(_ path: String, now: Date = Date()) throws(TrustStoreError) -> String {
        guard FileManager.default.fileExists(atPath: path) else {
            throw TrustStoreError(message: "there is no trust store at \(path)")
        }
        let base = path + ".corrupt-" + StateFile.stamp(now)
        for attempt in 1...100 {
            let target = attempt == 1 ? base : base + "-\(attempt)"
            // link(2) fails when the target exists, so an earlier copy is never replaced.
            guard link(path, target) == 0 else {
                if errno == EEXIST { continue }
                throw TrustStoreError(message: "cannot move \(path) aside to \(target): \(String(cString: strerror(errno)))")
            }
            guard unlink(path) == 0 else {
                throw TrustStoreError(message: "\(path) was copied to \(target) but cannot be removed: \(String(cString: strerror(errno)))")
            }
            return target
        }
        throw TrustStoreError(message: "cannot move \(path) aside: 100 names \(base)-N are taken")
    }
}
