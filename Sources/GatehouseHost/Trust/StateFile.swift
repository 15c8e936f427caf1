import Foundation

/// Writing the files Gatehouse keeps (the trust store, a host's configuration under `wrap`) so that none is
/// ever left half-written, and naming the copies set aside.
public enum StateFile {
    /// Why a file could not be replaced.
    public struct Failure: Error, Sendable {
        public let message: String
    }

    /// Replaces `path` with `data`: a temporary file in the same folder with `mode`, renamed over it.
    public static func replace(_ path: String, with data: Data, mode: Int) throws(Failure) {
        let temporary = path + ".gatehouse-\(UUID().uuidString.prefix(8))"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: mode]) else {
            throw Failure(message: "cannot write beside \(path)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure(message: "cannot replace \(path): \(reason)")
        }
    }

    /// `20261203T104531Z`: a UTC time that sorts and fits a file name (backups, stores moved aside).
    public static func stamp(_ date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }
}
