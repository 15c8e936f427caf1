import Foundation
import StrictJSON
import TestSupport
import Testing

/// `gatehouse proxy` driven by mcp-cli (PyPI `mcp-cli`, a third-party MCP host, in `.venv-bench`), the
/// way a user's host would launch it from its server config: a verified server's tool answers through
/// the proxy; a rejected one is refused with `-32001` naming the code; `--on-reject empty` lists no tools.
@Suite(.timeLimit(.minutes(5)))
struct ProxyMcpCliTests {
    let fixture: IdentityFixture

    init() throws {
        fixture = try IdentityFixture()
    }

    /// Runs `mcp-cli ARGUMENTS…` with a server config naming one server, `guarded`: the proxy in front of
    /// `server` of `profile`.
    func mcpCLI(_ arguments: [String], profile: String, server: String, proxyArguments: [String] = []) async throws -> ProcessOutput {
        let cli = Repository.root + "/.venv-bench/bin/mcp-cli"
        guard FileManager.default.isExecutableFile(atPath: cli) else {
            throw SupportError("\(cli) is missing: `make test` installs it (make .venv-bench/.installed)")
        }
        let config: JSONValue = ["mcpServers": ["guarded": [
            "command": .string(try Repository.gatehouseBinary()),
            "args": .array((["proxy", "--profile", profile, "--trust-store", fixture.directory + "/trust.json", server] + proxyArguments).map(JSONValue.string)),
        ]]]
        let path = fixture.directory + "/server_config.json"
        try Data(JSONSerializer.bytes(config)).write(to: URL(fileURLWithPath: path))
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = fixture.directory
        environment["NO_COLOR"] = "1"
        return try await ChildProcess.run(cli, arguments + ["--config-file", path, "--server", "guarded", "-q"], environment: environment, timeout: 150)
    }

    @Test("mcp-cli calls a verified server's tool through the proxy; a revoked one is refused with -32001 naming the code")
    func verifiedAndRejected() async throws {
        try await ServerSlots.run {
            try fixture.revoke(["aii_revoked"])
            let good = try fixture.server(
                location: "result._meta", block: fixture.block("aii_good", passport: fixture.passport("aii_good")),
                trust: ["surface": "mcp://tools.example.com"]
            )
            let revoked = try fixture.server(
                location: "result._meta", block: fixture.block("aii_revoked", passport: fixture.passport("aii_revoked")),
                trust: ["surface": "mcp://tools.example.com"]
            )
            let profile = try fixture.profile(["good": good, "revoked": revoked])
            let call = ["cmd", "--tool", "echo", "--tool-args", #"{"text": "through mcp-cli"}"#, "--raw"]
            let answered = try await mcpCLI(call, profile: profile, server: "good")
            #expect(answered.stdout.contains("through mcp-cli"), "\(answered.stdout.suffix(500)) \(answered.stderr.suffix(500))")

            let refused = try await mcpCLI(call, profile: profile, server: "revoked")
            let output = refused.stdout + refused.stderr
            #expect(!output.contains("through mcp-cli"))
            #expect(output.contains("-32001") && output.contains("passport.revoked"), "\(output.suffix(800))")

            let empty = try await mcpCLI(["tools"], profile: profile, server: "revoked", proxyArguments: ["--on-reject", "empty"])
            #expect((empty.stdout + empty.stderr).contains("No tools available"), "\(empty.stdout.suffix(800))")
            let listed = try await mcpCLI(["tools"], profile: profile, server: "good")
            #expect(listed.stdout.contains("echo"), "\(listed.stdout.suffix(800))")
        }
    }
}
