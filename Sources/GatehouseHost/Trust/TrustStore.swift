import Foundation
import StrictJSON

/// A trust store file that cannot be used.
public struct TrustStoreError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// The JSON trust store (SPEC §2.7). A missing file is an empty store; one that cannot be read is an error
/// and is never silently replaced (``TrustStore/moveAside(_:now:)`` renames it on request). Writes are atomic
/// (a temporary file in the same folder, mode 0600, renamed), and never larger or deeper than the reader
/// accepts (``TrustStoreLimits``).
public struct TrustStore: Sendable {
    /// The file.
    public let path: String
    /// The records.
    public private(set) var records: [TrustRecord]
    /// The largest file this store reads or writes (``TrustStoreLimits/maximumBytes`` unless a test says less).
    public let maximumBytes: Int

    /// `$XDG_STATE_HOME/gatehouse/trust.json`, else `~/.local/state/gatehouse/trust.json`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/gatehouse/trust.json" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state/gatehouse/trust.json"
    }

    /// An empty store at `path` (nothing is read or written).
    public init(emptyAt path: String, maximumBytes: Int = TrustStoreLimits.maximumBytes) {
        self.path = path
        self.maximumBytes = maximumBytes
        records = []
    }

    /// Reads the store at `path`.
    /// - Throws: ``TrustStoreError`` when the file exists but is not a trust store; its message says how to
    ///   recover.
    public static func load(_ path: String, maximumBytes: Int = TrustStoreLimits.maximumBytes) throws(TrustStoreError) -> TrustStore {
        var store = TrustStore(emptyAt: path, maximumBytes: maximumBytes)
        guard FileManager.default.fileExists(atPath: path) else { return store }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= maximumBytes else {
            throw unreadable(path, "it is \(size) bytes, more than the \(maximumBytes) a trust store may hold")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw unreadable(path, "it cannot be read") }
        let document: JSONValue
        do {
            document = try JSONParser(maximumDepth: TrustStoreLimits.maximumDepth, maximumBytes: maximumBytes).parse([UInt8](data))
        } catch {
            throw unreadable(path, "it is not valid JSON: \(error.description)")
        }
        store.records = try decodeRecords(document, path: path)
        return store
    }

    /// The error for a store that cannot be read, with the way out.
    static func unreadable(_ path: String, _ reason: String) -> TrustStoreError {
        TrustStoreError(
            message: "\(path) is not a usable Gatehouse trust store (\(reason)); it was left untouched. "
                + "`gatehouse trust forget --move-aside --trust-store \(path)` renames it to \((path as NSString).lastPathComponent)"
                + ".corrupt-<time> for inspection and starts an empty store (every pin in it is then forgotten)"
        )
    }

    /// The record for a server name and endpoint.
    public func record(name: String, endpoint: String) -> TrustRecord? {
        records.first { $0.name == name && $0.endpoint == endpoint }
    }

    /// Adds or replaces a record.
    public mutating func upsert(_ record: TrustRecord) {
        records.removeAll { $0.name == record.name && $0.endpoint == record.endpoint }
        records.append(record)
    }

    /// Moves a record to another endpoint (replacing any record already there); false when there was none.
    @discardableResult
    public mutating func rekey(name: String, from old: String, to new: String) -> Bool {
        guard var record = record(name: name, endpoint: old) else { return false }
        records.removeAll { $0.name == name && $0.endpoint == old }
        record.endpoint = new
        upsert(record)
        return true
    }

    /// Removes every record of a server name; returns how many.
    @discardableResult
    public mutating func forget(name: String) -> Int {
        let before = records.count
        records.removeAll { $0.name == name }
        return before - records.count
    }

    /// Removes every record; returns how many.
    @discardableResult
    public mutating func forgetAll() -> Int {
        defer { records = [] }
        return records.count
    }

    /// Writes the store atomically with mode 0600.
    /// - Throws: ``TrustStoreError`` when the folder or file cannot be written, or when even without kept
    ///   definitions the store would be larger than the reader accepts (the file on disk is then unchanged).
    public func save() throws(TrustStoreError) {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw TrustStoreError(message: "cannot create \(directory): \(error.localizedDescription)")
        }
        let bytes = try encoded()
        do {
            try StateFile.replace(path, with: Data(bytes), mode: 0o600)
        } catch {
            throw TrustStoreError(message: "cannot write \(path): \(error.message)")
        }
    }
}
