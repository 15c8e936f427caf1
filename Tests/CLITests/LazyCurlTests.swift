import Foundation
import StrictJSON
import TestSupport
import Testing

/// libcurl is loaded on the first HTTP request, not at start-up (Sources/CCurl/ccurl.c): a run that makes no
/// HTTP request never maps it or the libraries it needs. Seen through the dynamic loader's own log
/// (`LD_DEBUG=files`, glibc), which names every object it maps.
@Suite(.timeLimit(.minutes(2)))
struct LazyCurlTests {
    @Test("--version and a stdio server's call map no libcurl; an HTTP server's connection loads it on demand")
    func loadedOnDemand() async throws {
        let gatehouse = try Gatehouse()
        let version = try await gatehouse.run(["--version"], environment: ["LD_DEBUG": "files"])
        #expect(version.status == 0)
        #expect(version.stderr.contains("file=libsodium"), "the loader's log is read: \(version.stderr.prefix(300))")
        #expect(!version.stderr.contains("libcurl"), "\(version.stderr.prefix(2000))")

        let fixture = try IdentityFixture()
        // A verified stdio server with a file registry (no HTTP anywhere).
        let stdio = try fixture.profile([
            "good": try fixture.server(
                location: "result._meta", block: fixture.block("aii_good", passport: fixture.passport("aii_good")),
                trust: ["surface": "mcp://tools.example.com"]
            ),
        ])
        let call = try await gatehouse.run(
            ["call", "good", "add", "a=1", "b=2", "--profile", stdio, "--trust-store", fixture.directory + "/trust.json"],
            environment: ["LD_DEBUG": "files"], timeout: 120
        )
        #expect(call.status == 0 && call.stdout.contains("3"), "\(call.stdout) \(call.stderr.split(separator: "\n").filter { !$0.contains("file=") }.suffix(5))")
        #expect(!call.stderr.contains("libcurl"), "a stdio call mapped libcurl")

        let directory = try Repository.temporaryDirectory()
        let http = directory + "/http.json"
        try Data(#"{"mcpServers": {"web": {"url": "http://127.0.0.1:9/mcp"}}}"#.utf8).write(to: URL(fileURLWithPath: http))
        let audit = try await gatehouse.run(["audit", "--profile", http], environment: ["LD_DEBUG": "files"])
        #expect(audit.status == 3, "nothing listens on port 9: \(audit.stdout)")
        #expect(audit.stderr.contains("file=libcurl.so.4 [0];  dynamically loaded"), "\(audit.stderr.prefix(2000))")
    }
}
