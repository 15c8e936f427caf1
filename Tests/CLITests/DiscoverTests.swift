import Foundation
import StrictJSON
import TestSupport
import Testing

/// `audit --discover` with fake home and project folders holding every supported dialect.
@Suite(.timeLimit(.minutes(5)))
struct DiscoverTests {
    func write(_ path: String, _ text: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test("every server is found with its source, a broken file is reported, and no stdio server starts without --spawn")
    func discover() async throws {
        let root = try Repository.temporaryDirectory()
        let home = root + "/home"
        let project = root + "/project"
        let markers = root + "/markers"
        try FileManager.default.createDirectory(atPath: markers, withIntermediateDirectories: true)
        let marker = root + "/marker.sh"
        try write(marker, "#!/bin/sh\ntouch \(markers)/$1\n")
        chmod(marker, 0o755)
        let closed = "http://127.0.0.1:\(try ServerProcess.freePort())"
        // Run through /bin/sh rather than executing the script directly: a child forked by another test
        // thread while the script was still open for writing would make exec fail with ETXTBSY.
        func stdio(_ name: String) -> String {
            "{\"command\": \"/bin/sh\", \"args\": [\"\(marker)\", \"\(name)\"], \"env\": {\"SECRET\": \"hunter2\"}}"
        }
        try write(home + "/.claude.json", """
            {"mcpServers": {"cc-user": \(stdio("cc-user"))},
             "projects": {"/somewhere": {"mcpServers": {"cc-proj": {"type": "http", "url": "\(closed)/mcp"}}}}}
            """)
        try write(project + "/.mcp.json", "{\"mcpServers\": {\"mcpjson\": \(stdio("mcpjson"))}}")
        try write(home + "/.cursor/mcp.json", "{\"mcpServers\": {\"cursor\": {\"url\": \"\(closed)/mcp\"}}}")
        try write(project + "/.cursor/mcp.json", "{\"mcpServers\": {\"cursor\": \(stdio("cursor-proj"))}}")
        try write(home + "/.config/Code/User/mcp.json", "{\"servers\": {\"vscode\": {\"type\": \"stdio\", \"command\": \"/bin/sh\", \"args\": [\"\(marker)\", \"vscode\"]}}}")
        try write(project + "/.vscode/mcp.json", "{\"servers\": {\"vscode-proj\": {\"type\": \"http\", \"url\": \"\(closed)/mcp\"}}}")
        try write(home + "/.codeium/windsurf/mcp_config.json", "{\"mcpServers\": {\"windsurf\": {\"serverUrl\": \"\(closed)/sse\", \"type\": \"sse\"}}}")
        try write(home + "/.gemini/settings.json", "{\"mcpServers\": {\"gemini\": {\"httpUrl\": \"\(closed)/mcp\"}}}")
        try write(project + "/.gemini/settings.json", "{not json")
        try write(home + "/.config/Claude/claude_desktop_config.json", "{\"mcpServers\": {\"desktop\": \(stdio("desktop"))}}")

        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home
        environment["XDG_CONFIG_HOME"] = home + "/.config"
        environment["XDG_STATE_HOME"] = root + "/state"
        let binary = try Repository.gatehouseBinary()
        let output = try await ChildProcess.run(
            "/bin/bash", ["-c", "cd '\(project)' && '\(binary)' audit --discover --format json < /dev/null"], environment: environment, timeout: 120
        )
        #expect(output.status == 2, "a broken file is an invalid profile: \(output.stderr)")
        #expect(output.stderr.contains(project + "/.gemini/settings.json"))
        #expect(!output.stdout.contains("hunter2") && !output.stderr.contains("hunter2"), "environment values are never shown")
        let servers = try #require(try JSONParser().parse(output.stdout)["servers"]?.arrayValue)
        let sources = Dictionary(uniqueKeysWithValues: servers.map { ($0["name"]?.stringValue ?? "", $0["source"]?.stringValue ?? "") })
        #expect(sources == [
            "cc-user": home + "/.claude.json", "cc-proj": home + "/.claude.json", "mcpjson": project + "/.mcp.json",
            "cursor": home + "/.cursor/mcp.json", "cursor@2": project + "/.cursor/mcp.json",
            "vscode": home + "/.config/Code/User/mcp.json", "vscode-proj": project + "/.vscode/mcp.json",
            "windsurf": home + "/.codeium/windsurf/mcp_config.json", "gemini": home + "/.gemini/settings.json",
            "desktop": home + "/.config/Claude/claude_desktop_config.json",
        ])
        for server in servers {
            let status = server["connection"]?["status"]?.stringValue
            if server["transport"] == "stdio" {
                #expect(status == "skipped", "\(server["name"] ?? .null)")
            } else {
                #expect(status == "failed", "remote servers are contacted: \(server["name"] ?? .null)")
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: markers).isEmpty, "no stdio server was started")

        let spawned = try await ChildProcess.run(
            "/bin/bash", ["-c", "cd '\(project)' && '\(binary)' audit --discover --spawn --format json < /dev/null"],
            environment: environment, timeout: 120
        )
        #expect(spawned.status == 2)
        let expected: Set<String> = ["cc-user", "mcpjson", "cursor-proj", "vscode", "desktop"]
        let started = Set(try FileManager.default.contentsOfDirectory(atPath: markers))
        #expect(started == expected, "\(spawned.stdout.prefix(2000))")
    }
}
