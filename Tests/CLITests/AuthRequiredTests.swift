import Foundation
import StrictJSON
import TestSupport
import Testing

/// A server behind OAuth (SPEC §9), here the official SDK's bearer-token server (`mcp.server.auth`):
/// without a stored token, non-interactive commands fail it with `auth.required` (exit 3, verdict
/// `error`); with `"auth": false` its 401 is only `connect.http_status`.
@Suite(.timeLimit(.minutes(5)))
struct AuthRequiredTests {
    @Test("a 401 with WWW-Authenticate: Bearer is auth.required in tools and audit (exit 3, verdict error); \"auth\": false makes it connect.http_status")
    func authRequired() async throws {
        try await ServerSlots.run {
            let directory = try Repository.temporaryDirectory()
            let server = try await ServerProcess.start(try TestServers.python(), [TestServers.script("auth_server.py"), "{port}"])
            defer { server.stop() }
            let url = "http://127.0.0.1:\(server.port)/mcp"
            func profile(_ name: String, _ entry: JSONObject) throws -> String {
                let path = directory + "/\(name).json"
                try Data(JSONSerializer.bytes(["mcpServers": ["locked": .object(entry)]])).write(to: URL(fileURLWithPath: path))
                return path
            }
            let gatehouse = try Gatehouse()
            let guarded = try profile("guarded", ["url": .string(url)])
            let tools = try await gatehouse.run(["tools", "--profile", guarded, "--trust-store", directory + "/t.json"])
            #expect(tools.status == 3, "\(tools.stdout) \(tools.stderr)")
            #expect((tools.stdout + tools.stderr).contains("auth.required"), "\(tools.stdout) \(tools.stderr)")

            let audit = try await gatehouse.run(["audit", "--profile", guarded, "--format", "json", "--trust-store", directory + "/t.json"])
            #expect(audit.status == 3)
            let entry = try #require(try JSONParser().parse(audit.stdout)["servers"]?.arrayValue?.first)
            #expect(entry["connection"]?["error"]?["code"] == "auth.required", "\(audit.stdout.prefix(600))")
            #expect(entry["trust"]?["verdict"] == "error")

            let off = try profile("off", ["url": .string(url), "auth": false])
            let plain = try await gatehouse.run(["audit", "--profile", off, "--format", "json", "--trust-store", directory + "/t.json"])
            #expect(plain.status == 3)
            let plainEntry = try #require(try JSONParser().parse(plain.stdout)["servers"]?.arrayValue?.first)
            #expect(plainEntry["connection"]?["error"]?["code"] == "connect.http_status", "\(plain.stdout.prefix(600))")

            let invalid = try profile("invalid", ["url": .string(url), "auth": ["clientId": 7]])
            let refused = try await gatehouse.run(["tools", "--profile", invalid, "--trust-store", directory + "/t.json"])
            #expect(refused.status == 2, "a malformed auth setting is a profile error: \(refused.stderr)")
        }
    }
}
