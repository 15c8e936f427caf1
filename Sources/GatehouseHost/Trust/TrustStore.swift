import Foundation
public import StrictJSON
import TrustCore

/// What the trust store remembers about one server (by name and endpoint): the identity first seen
/// (trust on first use, like SSH known_hosts) and a pin with the definition of each tool.
public struct TrustRecord: Sendable, Hashable {
    public var name: String
    public var endpoint: String
    /// The identity first seen; nil while the server has shown none that verified.
    public var identity: String?
    /// When the server was first seen (RFC 3339).
    public var firstSeen: String
    /// Tool name → pin.
    public var pins: [String: String]
    /// Tool name → the definition that was pinned (for diffs).
    public var definitions: [String: JSONValue]

    public init(name: String, endpoint: String, identity: String?, firstSeen: String) {
        self.name = name
        self.endpoint = endpoint
        self.identity = identity
        self.firstSeen = firstSeen
        pins = [:]
        definitions = [:]
    }
}

/// A trust store file that cannot be used.
public struct TrustStoreError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// The JSON trust store (SPEC §2.7). A missing file is an empty store; a corrupt one is an error and is
/// never silently replaced. Writes are atomic (a temporary file in the same folder, mode 0600, renamed).
public struct TrustStore: Sendable {
    /// The file.
    public let path: String
    /// The records.
    public private(set) var records: [TrustRecord]

    /// `$XDG_STATE_HOME/gatehouse/trust.json`, else `~/.local/state/gatehouse/trust.json`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/gatehouse/trust.json" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state/gatehouse/trust.json"
    }

    /// An empty store at `path` (nothing is read or written).
    public init(emptyAt path: String) {
        self.path = path
        records = []
    }

    /// Reads the store at `path`.
    /// - Throws: ``TrustStoreError`` when the file exists but is not a trust store.
    public static func load(_ path: String) throws(TrustStoreError) -> TrustStore {
        guard FileManager.default.fileExists(atPath: path) else { return TrustStore(emptyAt: path) }
        guard let data = FileManager.default.contents(atPath: path),
            let document = try? JSONParser(maximumDepth: 64, maximumBytes: 64 * 1024 * 1024).parse([UInt8](data)),
            case .array(let entries)? = document["servers"]
        else {
            throw TrustStoreError(message: "\(path) is not a Gatehouse trust store (corrupt?); it was left untouched")
        }
        var store = TrustStore(emptyAt: path)
        for entry in entries {
            guard let name = entry["name"]?.stringValue, let endpoint = entry["endpoint"]?.stringValue,
                let firstSeen = entry["firstSeen"]?.stringValue
            else { throw TrustStoreError(message: "\(path) has a server record without name, endpoint or firstSeen") }
            var record = TrustRecord(name: name, endpoint: endpoint, identity: entry["identity"]?.stringValue, firstSeen: firstSeen)
            for (tool, value) in entry["tools"]?.objectValue ?? JSONObject() {
                guard let pin = value["pin"]?.stringValue else {
                    throw TrustStoreError(message: "\(path): tool \(tool) of \(name) has no pin")
                }
                record.pins[tool] = pin
                record.definitions[tool] = value["definition"]
            }
            store.records.append(record)
        }
        return store
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

    /// Removes every record of a server name; returns how many.
    @discardableResult
    public mutating func forget(name: String) -> Int {
        let before = records.count
        records.removeAll { $0.name == name }
        return before - records.count
    }

    /// The store as JSON (records sorted, so two stores with the same content are byte-identical).
    public var json: JSONValue {
        let sorted = records.sorted { ($0.name, $0.endpoint) < ($1.name, $1.endpoint) }
        let servers: [JSONValue] = sorted.map { record in
            var tools = JSONObject()
            for name in record.pins.keys.sorted() {
                var tool = JSONObject()
                tool["pin"] = .string(record.pins[name] ?? "")
                if let definition = record.definitions[name] { tool["definition"] = definition }
                tools[name] = .object(tool)
            }
            var object = JSONObject()
            object["name"] = .string(record.name)
            object["endpoint"] = .string(record.endpoint)
            object["identity"] = record.identity.map(JSONValue.string) ?? .null
            object["firstSeen"] = .string(record.firstSeen)
            object["tools"] = .object(tools)
            return .object(object)
        }
        return ["version": 1, "servers": .array(servers)]
    }

    /// Writes the store atomically with mode 0600.
    /// - Throws: ``TrustStoreError``.
    public func save() throws(TrustStoreError) {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw TrustStoreError(message: "cannot create \(directory): \(error.localizedDescription)")
        }
        let temporary = path + ".tmp-\(getpid())"
        let bytes = JSONSerializer.bytes(json, style: .pretty) + [0x0A]
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes), attributes: [.posixPermissions: 0o600]),
            rename(temporary, path) == 0
        else {
            unlink(temporary)
            throw TrustStoreError(message: "cannot write \(path)")
        }
    }
}
