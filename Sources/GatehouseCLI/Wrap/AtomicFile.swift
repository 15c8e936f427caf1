import Foundation
import GatehouseHost

/// Writes that never leave a half-written file: a temporary file in the same folder, renamed over.
enum AtomicFile {
    /// Writes `data` to `path`, with the mode of `modeOf` (the file being replaced), else 0600.
    static func write(_ data: Data, to path: String, modeOf: String?) throws {
        let mode = modeOf.flatMap { (try? FileManager.default.attributesOfItem(atPath: $0))?[.posixPermissions] as? Int } ?? 0o600
        do {
            try StateFile.replace(path, with: data, mode: mode)
        } catch {
            throw CLIError(code: .usageInvalid, message: error.message, exitCode: ExitStatus.usage)
        }
    }

    /// Copies `path` byte for byte to `backup` (or `backup.2`, `.3`… when that exists), mode kept.
    @discardableResult
    static func copy(_ path: String, to backup: String) throws -> String {
        var target = backup
        var counter = 2
        while FileManager.default.fileExists(atPath: target) {
            target = "\(backup).\(counter)"
            counter += 1
        }
        do {
            try FileManager.default.copyItem(atPath: path, toPath: target)
            return target
        } catch {
            throw CLIError(code: .usageInvalid, message: "cannot back up \(path): \(error.localizedDescription)", exitCode: ExitStatus.usage)
        }
    }
}
