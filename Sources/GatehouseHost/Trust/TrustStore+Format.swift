import Foundation
public import StrictJSON

/// The file format (version 2): `{"version": 2, "servers": [{"name", "endpoint", "identity", "firstSeen",
/// "tools": {NAME: {"pin", "definition"?}}}]}`, where `definition` is the canonical JSON text of the pinned
/// tool (its SHA-256 is the pin). Version 1 stored `definition` as a JSON object; the reader takes both.
extension TrustStore {
    /// The store as JSON (records sorted, so two stores with the same content are byte-identical).
    public var json: JSONValue { Self.document(records) }

    /// The bytes to write: with kept definitions when that fits ``TrustStoreLimits/maximumBytes``, else pins
    /// only. Every value below `tools` is a string, so the document is 5 deep whatever the servers sent.
    /// - Throws: ``TrustStoreError`` when even the pins do not fit.
    func encoded() throws(TrustStoreError) -> [UInt8] {
        let full = JSONSerializer.bytes(Self.document(records), style: .pretty) + [0x0A]
        if full.count <= maximumBytes { return full }
        let pinsOnly = JSONSerializer.bytes(Self.document(records.map(\.pinsOnly)), style: .pretty) + [0x0A]
        guard pinsOnly.count <= maximumBytes else {
            throw TrustStoreError(
                message: "the trust store would be \(pinsOnly.count) bytes, more than the \(maximumBytes) "
                    + "it may hold; \(path) was not changed (forget servers you no longer use with `gatehouse trust forget`)"
            )
        }
        return pinsOnly
    }

    static func document(_ records: [TrustRecord]) -> JSONValue {
        let sorted = records.sorted { ($0.name, $0.endpoint) < ($1.name, $1.endpoint) }
        let servers: [JSONValue] = sorted.map { record in
            var tools = JSONObject()
            for name in record.pins.keys.sorted() {
                var tool = JSONObject()
                tool["pin"] = .string(record.pins[name] ?? "")
                if let definition = record.definitions[name] { tool["definition"] = .string(definition) }
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
        return ["version": 2, "servers": .array(servers)]
    }

    static func decodeRecords(_ document: JSONValue, path: String) throws(TrustStoreError) -> [TrustRecord] {
        guard case .array(let entries)? = document["servers"] else { throw unreadable(path, "it has no servers array") }
        var records: [TrustRecord] = []
        for entry in entries {
            guard let name = entry["name"]?.stringValue, let endpoint = entry["endpoint"]?.stringValue,
                let firstSeen = entry["firstSeen"]?.stringValue
            else { throw unreadable(path, "a server record has no name, endpoint or firstSeen") }
            var record = TrustRecord(name: name, endpoint: endpoint, identity: entry["identity"]?.stringValue, firstSeen: firstSeen)
            for (tool, value) in entry["tools"]?.objectValue ?? JSONObject() {
                guard let pin = value["pin"]?.stringValue else { throw unreadable(path, "tool \(tool) of \(name) has no pin") }
                record.pin(tool, pin)
                switch value["definition"] {
                case .string(let text)?: record.keepDefinition(tool, canonical: text)
                case .object(let object)?: record.keepDefinition(tool, canonical: JSONSerializer.string(.object(object), style: .canonical))
                default: break
                }
            }
            records.append(record)
        }
        return records
    }
}
