import Foundation
@testable import GatehouseCLI
import StrictJSON
import TestSupport
import Testing

/// `gatehouse wrap HOST` / `unwrap HOST` on each host's own configuration format (SPEC §8).
@Suite(.timeLimit(.minutes(5)))
struct WrapTests {
    /// A fake home with one host's file; the environment that points Gatehouse at it.
    struct Home {
        let root: String
        let file: String
        var environment: [String: String] { ["HOME": root, "XDG_CONFIG_HOME": root + "/.config", "GATEHOUSE_PROFILE": ""] }
        var wrappedProfile: String { root + "/.config/gatehouse/wrapped/" }

        init(host: String) throws {
            root = try Repository.temporaryDirectory()
            let (path, text) = try #require(WrapFixtures.files[host])
            file = root + "/" + path
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        }
    }

    static func parse(_ bytes: Data) throws -> JSONObject {
        try #require(try JSONParser().parse(JSONCText.strict([UInt8](bytes))).objectValue)
    }

    /// Every server map of a config: (location, name, entry).
    static func entries(_ config: JSONObject, host: HostDialect) -> [(String, String, JSONValue)] {
        var found: [(String, String, JSONValue)] = []
        for (name, entry) in config[host.serverKey]?.objectValue ?? JSONObject() { found.append(("", name, entry)) }
        for (path, project) in config["projects"]?.objectValue ?? JSONObject() {
            for (name, entry) in project[host.serverKey]?.objectValue ?? JSONObject() { found.append((path, name, entry)) }
        }
        return found
    }

    @Test("wrap: dry run, backup byte for byte, every entry a proxy, other keys kept, twice is once, unwrap restores",
          arguments: HostDialect.allCases)
    func wrapAndUnwrap(_ host: HostDialect) async throws {
        let home = try Home(host: host.rawValue)
        let gatehouse = try Gatehouse()
        let original = try Data(contentsOf: URL(fileURLWithPath: home.file))
        let originalConfig = try Self.parse(original)

        let dry = try await gatehouse.run(["wrap", host.rawValue, "--dry-run"], environment: home.environment)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("+++ ") && dry.stdout.contains("+      \"command\""), "\(dry.stdout)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: home.file)) == original, "a dry run writes nothing")

        let wrap = try await gatehouse.run(["wrap", host.rawValue], environment: home.environment)
        #expect(wrap.status == 0, "\(wrap.stderr)")
        let folder = (home.file as NSString).deletingLastPathComponent
        let backups = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".gatehouse-backup-") }
        #expect(backups.count == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + (backups.first ?? ""))) == original, "the backup is the original, byte for byte")
        let wrapped = try Self.parse(try Data(contentsOf: URL(fileURLWithPath: home.file)))
        #expect(Set(wrapped.keys) == Set(originalConfig.keys), "every top-level key is kept")
        if host == .vscode { #expect(wrapped["inputs"] == originalConfig["inputs"]) }
        let profilePath = home.wrappedProfile + host.rawValue + ".json"
        let profile = try Self.parse(try Data(contentsOf: URL(fileURLWithPath: profilePath)))
        let moved = profile["mcpServers"]?.objectValue ?? JSONObject()
        let before = Self.entries(originalConfig, host: host)
        let after = Self.entries(wrapped, host: host)
        #expect(after.count == before.count && before.count >= 1)
        for ((_, name, entry), (_, wrappedName, proxy)) in zip(before, after) {
            #expect(name == wrappedName)
            let arguments = proxy["args"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(Array(arguments.prefix(3)) == ["proxy", "--profile", profilePath], "\(proxy)")
            #expect(proxy["command"]?.stringValue?.hasPrefix("/") == true)
            #expect(moved[arguments.last ?? ""] == entry, "the original moved unchanged: \(name)")
        }

        let again = try await gatehouse.run(["wrap", host.rawValue], environment: home.environment)
        #expect(again.status == 0)
        #expect(again.stderr.contains("nothing to change"), "\(again.stderr)")
        #expect(try Self.parse(try Data(contentsOf: URL(fileURLWithPath: home.file))) == wrapped, "wrapping twice is wrapping once")

        let unwrap = try await gatehouse.run(["unwrap", host.rawValue], environment: home.environment)
        #expect(unwrap.status == 0, "\(unwrap.stderr)")
        let restored = try Self.parse(try Data(contentsOf: URL(fileURLWithPath: home.file)))
        #expect(Self.entries(restored, host: host).map { "\($0.0) \($0.1) \(JSONSerializer.string($0.2))" }
            == before.map { "\($0.0) \($0.1) \(JSONSerializer.string($0.2))" })
        #expect(restored == originalConfig, "unwrap gives the original configuration back (comments aside)")
    }

    @Test("a configuration that is not JSON is a usage error and is left untouched")
    func invalidConfig() async throws {
        let home = try Home(host: "cursor")
        try Data("{\"mcpServers\": {\"time\": ".utf8).write(to: URL(fileURLWithPath: home.file))
        let output = try await Gatehouse().run(["wrap", "cursor"], environment: home.environment)
        #expect(output.status == 2)
        #expect(output.stderr.contains("not valid JSON"), "\(output.stderr)")
        #expect(try String(contentsOfFile: home.file, encoding: .utf8) == "{\"mcpServers\": {\"time\": ")
    }

    @Test("a wrapped Cursor configuration, launched entry by entry as Cursor would, yields verified tools")
    func wrappedCursorServes() async throws {
        try await ServerSlots.run {
            let fixture = try IdentityFixture()
            let registryProfile = try fixture.profile([:])
            let home = try Home(host: "cursor")
            let server = try fixture.server(location: "result._meta", block: fixture.block("aii_cursor", passport: fixture.passport("aii_cursor")))
            try Data(JSONSerializer.bytes(["mcpServers": ["good": server]])).write(to: URL(fileURLWithPath: home.file))
            let wrap = try await Gatehouse().run(["wrap", "cursor", "--profile", registryProfile], environment: home.environment)
            #expect(wrap.status == 0, "\(wrap.stderr)")
            let config = try Self.parse(try Data(contentsOf: URL(fileURLWithPath: home.file)))
            let entry = try #require(config["mcpServers"]?["good"])
            let command = try #require(entry["command"]?.stringValue)
            let arguments = entry["args"]?.arrayValue?.compactMap(\.stringValue) ?? []
            var environment = ProcessInfo.processInfo.environment
            environment["HOME"] = home.root
            let output = try await ChildProcess.run(
                try TestServers.python(),
                [Repository.root + "/Tests/Scripts/proxy_client.py", "echo", #"{"text": "via cursor"}"#, "--", command] + arguments,
                environment: environment, timeout: 120
            )
            #expect(output.status == 0, "\(output.stderr)")
            let report = try JSONParser().parse(output.stdout)
            #expect(report["meta"]?["x-gatehouse"]?["verdict"] == "verified", "\(output.stdout)")
            #expect(report["text"] == "via cursor")
        }
    }
}
