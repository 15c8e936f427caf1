import Foundation
import StrictJSON
import TestSupport
import Testing

/// `gatehouse passport …` as a user runs it: the real binary, real files, real exit codes.
@Suite(.timeLimit(.minutes(5)))
struct PassportCommandTests {
    let gatehouse: Gatehouse
    let directory: String

    init() throws {
        gatehouse = try Gatehouse()
        directory = try Repository.temporaryDirectory()
    }

    func keygen() async throws -> (key: String, jwks: String) {
        let output = try await gatehouse.run(["passport", "keygen", "--out", directory + "/keys", "--kid", "k1"])
        #expect(output.status == 0, "\(output.stderr)")
        return (directory + "/keys/signing-key.jwk", directory + "/keys/jwks.json")
    }

    func json(_ text: String) throws -> JSONValue {
        try JSONParser().parse(text)
    }

    @Test("keygen writes the private key with mode 0600 and a jwks.json, and never overwrites the key")
    func keygenFiles() async throws {
        let (key, jwks) = try await keygen()
        let attributes = try FileManager.default.attributesOfItem(atPath: key)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let set = try json(String(contentsOfFile: jwks, encoding: .utf8))
        #expect(set["keys"]?.arrayValue?.count == 1)
        #expect(set["keys"]?.arrayValue?.first?["d"] == nil)
        let before = try Data(contentsOf: URL(fileURLWithPath: key))
        let again = try await gatehouse.run(["passport", "keygen", "--out", directory + "/keys", "--kid", "k2"])
        #expect(again.status == 2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: key)) == before)
    }

    @Test("issue then verify: exit 0 and the JSON of SPEC §4.1")
    func issueAndVerify() async throws {
        let (key, jwks) = try await keygen()
        let issued = try await gatehouse.run([
            "passport", "issue", "--key", key, "--sub", "aii_demo", "--surface", "mcp://tools.example.com",
            "--tier", "business_verified", "--operator", "Acme Ltd", "--issuer", "https://registry.test",
            "--capability", "search",
        ])
        #expect(issued.status == 0, "\(issued.stderr)")
        let token = issued.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let verified = try await gatehouse.run([
            "passport", "verify", token, "--registry", "https://registry.test", "--jwks", jwks, "--id", "aii_demo",
            "--endpoint", "https://tools.example.com/mcp", "--min-tier", "creator_verified", "--format", "json",
        ])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        let report = try json(verified.stdout)
        #expect(report["valid"] == true)
        #expect(report["verdict"] == "verified")
        #expect(report["identity"] == "aii_demo")
        #expect(report["issuer"] == "https://registry.test")
        #expect(report["tier"] == "business_verified")
        #expect(report["operator"] == "Acme Ltd")
        #expect(report["expiresAt"]?.stringValue?.hasSuffix("Z") == true)
        #expect(report["reasons"] == [])
        #expect(report["warnings"] == [])
        #expect(report["checks"]?.arrayValue?.count == 16)
        #expect(report["checks"]?.arrayValue?.first?["check"] == "carriers")
        #expect(!verified.stdout.contains(token), "the whole token is never printed")
    }

    @Test("a failing verification exits 1 with the reason code in text and JSON")
    func failing() async throws {
        let (key, jwks) = try await keygen()
        let token = try await gatehouse.run([
            "passport", "issue", "--key", key, "--sub", "aii_demo", "--issuer", "https://registry.test", "--now", "1000",
            "--ttl", "1",
        ]).stdout
        let text = try await gatehouse.run(["passport", "verify", "-", "--registry", "https://registry.test", "--jwks", jwks],
                                           input: Data(token.utf8))
        #expect(text.status == 1)
        #expect(text.stdout.contains("✖ rejected (passport.expired)"))
        let asJSON = try await gatehouse.run(["passport", "verify", token, "--registry", "https://registry.test",
                                              "--jwks", jwks, "--format", "json", "--now", "1000", "--id", "aii_else"])
        #expect(asJSON.status == 1)
        #expect(try json(asJSON.stdout)["reasons"]?.arrayValue?.first?["code"] == "passport.subject_mismatch")
        #expect(try json(asJSON.stdout)["valid"] == false)
    }

    static let malformedInputs: [(String, Data)] = [
        ("three dots", Data("a.b.c.d".utf8)),
        ("not base64url", Data("e30.e30.%%%".utf8)),
        ("empty", Data()),
        ("1 MiB of base64url", Data(repeating: UInt8(ascii: "A"), count: 1 << 20)),
        ("1 MiB of binary", Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })),
        ("NUL bytes", Data([0, 0, 0x2E, 0, 0x2E, 0])),
        ("whitespace inside", Data("eyJhbGciOiJFZERTQSJ9 .e30.AAAA".utf8)),
    ]

    @Test("malformed, oversized and binary tokens exit 1 with passport.malformed, never a crash",
          arguments: malformedInputs.map(\.0))
    func malformed(_ name: String) async throws {
        let input = try #require(Self.malformedInputs.first { $0.0 == name }?.1)
        let output = try await gatehouse.run(
            ["passport", "verify", "--jwks", directory + "/none.json", "--format", "json"], input: input
        )
        #expect(output.status == 1, "\(output.stderr)")
        #expect(try json(output.stdout)["reasons"]?.arrayValue?.first?["code"] == "passport.malformed")
    }

    @Test("bad flags exit 2 with a message", arguments: [
        ["passport", "verify", "--bogus"],
        ["passport", "verify", "x", "--endpoint", "https://a", "--surface", "mcp://a"],
        ["passport", "verify", "x", "--min-tier", "gold"],
        ["passport", "verify", "x", "--format", "xml"],
        ["passport", "verify", "x", "--skew", "-5"],
        ["passport", "verify", "x", "--jwks", "ftp://example.com/jwks.json"],
        ["passport", "verify", "x", "--jwks", "http://example.com/jwks.json"],
        ["passport", "issue", "--key", "/nonexistent", "--sub", "aii_x"],
        ["passport", "issue", "--sub", "aii_x"],
        ["passport", "nonsense"],
    ])
    func badFlags(_ arguments: [String]) async throws {
        let output = try await gatehouse.run(arguments)
        #expect(output.status == 2, "\(output.stdout)")
        #expect(output.stderr.contains("error["))
    }

    @Test("with --format json a usage error also prints {\"error\": {code, message}} on stderr")
    func jsonUsageError() async throws {
        let output = try await gatehouse.run(["passport", "verify", "x", "--min-tier", "gold", "--format", "json"])
        #expect(output.status == 2)
        let line = try #require(output.stderr.split(separator: "\n").last)
        let error = try json(String(line))
        #expect(error["error"]?["code"] == "usage.invalid")
        #expect(error["error"]?["message"]?.stringValue?.isEmpty == false)
    }

    @Test("inspect decodes without verifying and says so")
    func inspect() async throws {
        let (key, _) = try await keygen()
        let token = try await gatehouse.run(["passport", "issue", "--key", key, "--sub", "aii_demo"]).stdout
        let output = try await gatehouse.run(["passport", "inspect", token.trimmingCharacters(in: .whitespacesAndNewlines)])
        #expect(output.status == 0)
        #expect(output.stdout.hasPrefix("UNVERIFIED"))
        #expect(output.stdout.contains("\"sub\": \"aii_demo\""))
        #expect(try await gatehouse.run(["passport", "inspect", "x.y"]).status == 1)
    }
}
