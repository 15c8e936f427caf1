import Foundation
import GatehouseHost
import MCPClient
import TestSupport
import Testing
import TrustCore

/// Profiles (SPEC §3): the Gatehouse format, other hosts' dialects, variables, merging, and bad entries.
struct ProfileLoaderTests {
    func write(_ text: String, name: String = "profile.json") throws -> String {
        let path = try Repository.temporaryDirectory() + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("the SPEC example profile loads with its registries, trust and three transports")
    func specExample() throws {
        let path = try write("""
            {
              "registries": [{ "issuer": "https://aiidentity.org", "jwks": "keys/jwks.json", "revocations": "keys/revocations.json" }],
              "trust": { "mode": "enforce", "minTier": "identity_verified", "audience": "verifier",
                         "clockSkewSeconds": 60, "online": false, "maxStaleSeconds": 86400 },
              "mcpServers": {
                "weather": { "command": "python3", "args": ["servers/weather.py"], "env": {"K": "${HOME}"},
                             "trust": { "surface": "mcp://weather.example.com", "minTier": "business_verified" } },
                "tools":   { "url": "https://tools.example.com/mcp", "headers": {"Authorization": "Bearer ${TOKEN}"} },
                "legacy":  { "type": "sse", "url": "http://127.0.0.1:8931/sse", "trust": { "allowUnverified": true } }
              }
            }
            """)
        let profile = try ProfileLoader.load([path], environment: ["HOME": "/home/ada", "TOKEN": "s3cret"])
        #expect(profile.problems.isEmpty)
        #expect(profile.servers.map(\.name) == ["weather", "tools", "legacy"])
        #expect(profile.trust.minimumTier == .identityVerified)
        #expect(profile.registries.count == 1)
        guard case .file(let jwks) = profile.registries[0].jwks else {
            Issue.record("jwks should be a file")
            return
        }
        #expect(jwks.hasSuffix("/keys/jwks.json"))
        guard case .stdio(let weather) = profile.servers[0].transport else { throw SupportError("weather is not stdio") }
        #expect(weather.environment["K"] == "/home/ada")
        #expect(profile.servers[0].trust.surface == "mcp://weather.example.com")
        #expect(profile.servers[0].trust.minimumTier == .businessVerified)
        #expect(profile.servers[1].transport == .streamableHTTP(url: "https://tools.example.com/mcp", headers: ["Authorization": "Bearer s3cret"]))
        #expect(profile.servers[2].transport == .legacySSE(url: "http://127.0.0.1:8931/sse", headers: [:]))
        #expect(profile.servers[2].trust.allowUnverified)
    }

    @Test("the VS Code servers key, httpUrl, serverUrl and type variants are accepted")
    func dialects() throws {
        let path = try write("""
            {"servers": {"a": {"type": "http", "url": "https://a.example/mcp"},
                         "b": {"type": "stdio", "command": "node", "args": ["b.js"]}},
             "mcpServers": {"c": {"httpUrl": "https://c.example/mcp"}, "d": {"serverUrl": "https://d.example/sse", "type": "sse"},
                            "e": {"url": "https://e.example/mcp", "type": "streamable-http"}, "f": {"command": "x", "disabled": true}}}
            """)
        let profile = try ProfileLoader.load([path], environment: [:])
        #expect(profile.problems.isEmpty)
        #expect(profile.servers.map(\.name).sorted() == ["a", "b", "c", "d", "e"])
        #expect(profile.server(named: "d")?.transport == .legacySSE(url: "https://d.example/sse", headers: [:]))
        #expect(profile.server(named: "c")?.transport == .streamableHTTP(url: "https://c.example/mcp", headers: [:]))
    }

    @Test("${VAR:-default} expands, an unset ${VAR} without a default rejects that entry only")
    func variables() throws {
        let path = try write("""
            {"mcpServers": {"ok": {"command": "${PYTHON:-python3}", "args": ["${DIR:-.}/s.py"]},
                            "bad": {"url": "https://x.example/mcp", "headers": {"Authorization": "Bearer ${MISSING_TOKEN}"}}}}
            """)
        let profile = try ProfileLoader.load([path], environment: ["DIR": "/srv"])
        #expect(profile.servers.map(\.name) == ["ok"])
        guard case .stdio(let launch)? = profile.server(named: "ok")?.transport else { throw SupportError("ok is not stdio") }
        #expect(launch.command == "python3")
        #expect(launch.arguments == ["/srv/s.py"])
        let problem = try #require(profile.problems.first)
        #expect(problem.server == "bad")
        #expect(problem.field == "headers.Authorization")
        #expect(problem.description.contains(path))
        #expect(problem.description.contains("MISSING_TOKEN"))
    }

    @Test("bad entries are reported with file, server and field, and skipped", arguments: [
        ("{\"command\": 7}", "command"), ("{\"url\": \"ftp://x\"}", "url"), ("{}", nil),
        ("{\"command\": \"x\", \"trust\": {\"minTier\": \"gold\"}}", "trust.minTier"),
        ("{\"command\": \"x\", \"trust\": {\"minTeir\": \"issued\"}}", "trust.minTeir"),
        ("{\"command\": \"x\", \"timeouts\": {\"call\": -1}}", "timeouts.call"),
        ("{\"command\": \"x\", \"url\": \"https://x\"}", "command"),
        ("{\"command\": \"x\", \"trust\": {\"surface\": \"telegram:@bot\"}}", "trust.surface"),
        ("[]", nil),
    ] as [(String, String?)])
    func badEntry(_ entry: String, _ field: String?) throws {
        let path = try write("{\"mcpServers\": {\"good\": {\"command\": \"x\"}, \"bad\": \(entry)}}")
        let profile = try ProfileLoader.load([path], environment: [:])
        #expect(profile.servers.map(\.name) == ["good"])
        #expect(profile.problems.count == 1)
        #expect(profile.problems.first?.server == "bad")
        #expect(profile.problems.first?.field == field)
    }

    @Test("a file that is not JSON, or an invalid global trust, is fatal", arguments: [
        "{\"mcpServers\": {", "[1]", "{\"trust\": {\"mode\": \"enforc\"}}", "{\"registries\": [{\"jwks\": \"x\"}]}",
        "{\"a\": 1, \"a\": 2}",
    ])
    func fatal(_ text: String) throws {
        let path = try write(text)
        #expect(throws: ProfileProblem.self) { try ProfileLoader.load([path], environment: [:]) }
    }

    @Test("several profiles merge: later servers, registries and trust members win")
    func merging() throws {
        let first = try write("""
            {"registries": [{"issuer": "https://r.example", "jwks": "/one.json"}], "trust": {"mode": "warn", "minTier": "creator_verified"},
             "mcpServers": {"a": {"command": "one"}, "b": {"command": "b"}}}
            """, name: "first.json")
        let second = try write("""
            {"registries": [{"issuer": "https://R.example/", "jwks": "/two.json"}], "trust": {"mode": "enforce"},
             "mcpServers": {"a": {"command": "two"}}}
            """, name: "second.json")
        let profile = try ProfileLoader.load([first, second], environment: [:])
        #expect(profile.files == [first, second])
        #expect(profile.trust.mode == .enforce)
        #expect(profile.trust.minimumTier == .creatorVerified)
        #expect(profile.registries.count == 1)
        #expect(profile.registries.first?.jwks == .file("/two.json"))
        guard case .stdio(let launch)? = profile.server(named: "a")?.transport else { throw SupportError("a is not stdio") }
        #expect(launch.command == "two")
        #expect(profile.servers.map(\.name) == ["a", "b"])
        #expect(profile.server(named: "a")?.source == second)
    }

    @Test("without registries, the public registry is trusted")
    func defaultRegistry() throws {
        let profile = try ProfileLoader.load([try write("{\"mcpServers\": {}}")], environment: [:])
        #expect(profile.trustedIssuers == ["https://aiidentity.org"])
    }
}
