import Foundation
import GatehouseHost
import StrictJSON
import TestSupport
import Testing

/// The trust store's reader accepts everything its writer writes, and what it keeps is bounded.
struct TrustStoreTests {
    func path() throws -> String {
        try Repository.temporaryDirectory() + "/trust.json"
    }

    /// `{"d": {"d": … 0 …}}`, `depth` objects deep.
    func nested(_ depth: Int) throws -> JSONValue {
        try JSONParser(maximumDepth: depth + 1).parse(String(repeating: "{\"d\":", count: depth) + "0" + String(repeating: "}", count: depth))
    }

    @Test("a version 1 store with a definition 200 deep is read, and written back as version 2 with text definitions")
    func oldFormat() throws {
        let file = try path()
        let definition: JSONValue = ["name": "deep", "inputSchema": try nested(200)]
        let pin = ToolPin.pin(definition)
        let old: JSONValue = ["version": 1, "servers": [[
            "name": "s", "endpoint": "python3 s.py", "identity": "aii_s", "firstSeen": "2026-01-01T00:00:00Z",
            "tools": ["deep": ["pin": .string(pin), "definition": definition]],
        ]]]
        try Data(JSONSerializer.bytes(old, style: .pretty)).write(to: URL(fileURLWithPath: file))
        let store = try TrustStore.load(file)
        let record = try #require(store.record(name: "s", endpoint: "python3 s.py"))
        #expect(record.pins["deep"] == pin)
        #expect(record.definition("deep") == definition)
        try store.save()
        let written = try JSONParser(maximumDepth: 5, maximumBytes: TrustStoreLimits.maximumBytes).parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: file))))
        #expect(written["version"] == 2)
        #expect(written["servers"]?.arrayValue?.first?["tools"]?["deep"]?["definition"]?.stringValue == JSONSerializer.string(definition, style: .canonical))
        #expect(try TrustStore.load(file).record(name: "s", endpoint: "python3 s.py") == record)
    }

    @Test("a definition over 64 KiB is pinned but not kept, and a server keeps at most 4 MiB of definitions")
    func keptBounds() throws {
        var record = TrustRecord(name: "s", endpoint: "e", identity: nil, firstSeen: "2026-01-01T00:00:00Z")
        let large: JSONValue = ["name": "large", "description": .string(String(repeating: "x", count: TrustStoreLimits.keptDefinitionBytes))]
        record.pin("large", ToolPin.pin(large), definition: large)
        #expect(record.pins["large"] == ToolPin.pin(large))
        #expect(record.definitions["large"] == nil)
        for index in 0..<100 {
            let tool: JSONValue = ["name": .string("t\(index)"), "description": .string(String(repeating: "y", count: 60_000))]
            record.pin("t\(index)", ToolPin.pin(tool), definition: tool)
        }
        #expect(record.pins.count == 101)
        #expect(record.definitions.count == TrustStoreLimits.keptBytesPerServer / 60_020)
        #expect(record.definitionBytes <= TrustStoreLimits.keptBytesPerServer)
        var store = TrustStore(emptyAt: try path())
        store.upsert(record)
        try store.save()
        #expect(try TrustStore.load(store.path).records == [record])
    }

    @Test("a store whose definitions would pass its size limit is written with pins only; one whose pins would is not written")
    func fileBound() throws {
        // The same code with a 1 MiB limit instead of 64 MiB, so that the test takes a second.
        let limit = 1 << 20
        var store = TrustStore(emptyAt: try path(), maximumBytes: limit)
        let filler = String(repeating: "z", count: 60_000)
        for server in 0..<5 {
            var record = TrustRecord(name: "s\(server)", endpoint: "e", identity: nil, firstSeen: "2026-01-01T00:00:00Z")
            for index in 0..<4 {
                let tool: JSONValue = ["name": .string("t\(index)"), "description": .string(filler)]
                record.pin("t\(index)", ToolPin.pin(tool), definition: tool)
            }
            store.upsert(record)
        }
        #expect(store.records.map(\.definitionBytes).reduce(0, +) > limit)
        try store.save()
        let reread = try TrustStore.load(store.path, maximumBytes: limit)
        #expect(reread.records.count == 5)
        #expect(reread.records.allSatisfy { $0.pins.count == 4 && $0.definitions.isEmpty })
        #expect(throws: TrustStoreError.self) { try TrustStore.load(store.path, maximumBytes: 1000) }

        let before = try Data(contentsOf: URL(fileURLWithPath: store.path))
        var record = TrustRecord(name: "wide", endpoint: "e", identity: nil, firstSeen: "2026-01-01T00:00:00Z")
        let longName = String(repeating: "n", count: 1000)
        for index in 0..<1_200 { record.pin(longName + "\(index)", "sha256:" + String(repeating: "0", count: 64)) }
        var larger = reread
        larger.upsert(record)
        #expect(throws: TrustStoreError.self) { try larger.save() }
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.path)) == before)
    }

    @Test("moving a store aside renames it, keeps its bytes, and never overwrites an earlier copy")
    func moveAside() throws {
        let file = try path()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        try Data("{first".utf8).write(to: URL(fileURLWithPath: file))
        let first = try TrustStore.moveAside(file, now: now)
        #expect(first == file + ".corrupt-20270115T080000Z")
        try Data("{second".utf8).write(to: URL(fileURLWithPath: file))
        let second = try TrustStore.moveAside(file, now: now)
        #expect(second == first + "-2")
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(try String(contentsOfFile: first, encoding: .utf8) == "{first")
        #expect(try String(contentsOfFile: second, encoding: .utf8) == "{second")
        #expect(throws: TrustStoreError.self) { try TrustStore.moveAside(file, now: now) }
    }
}
