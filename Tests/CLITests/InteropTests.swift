import Foundation
import StrictJSON
import TestSupport
import Testing

/// Interop in both directions with PyJWT (an independent JOSE implementation), keys made at test time.
@Suite(.timeLimit(.minutes(5)))
struct InteropTests {
    let gatehouse: Gatehouse
    let directory: String
    let issuer = "https://registry.test"

    init() throws {
        gatehouse = try Gatehouse()
        directory = try Repository.temporaryDirectory()
    }

    func python(_ arguments: [String]) async throws -> ProcessOutput {
        try await ChildProcess.run(try Repository.python(), [Repository.script("pyjwt_interop.py")] + arguments)
    }

    @Test("tokens PyJWT mints verify in Gatehouse, and a tampered one does not")
    func pyjwtToGatehouse() async throws {
        let now = Int(Date().timeIntervalSince1970)
        let claims: JSONValue = [
            "iss": .string(issuer), "sub": "aii_py", "aud": "verifier", "iat": .number(JSONNumber(Int64(now))),
            "exp": .number(JSONNumber(Int64(now + 3600))), "tier": "identity_verified", "operator": "PyCo",
            "surfaces": ["mcp://py.example.com"], "key_id": "py1",
        ]
        let minted = try await python(["mint", "--out-dir", directory, "--kid", "py1", "--claims", JSONSerializer.string(claims)])
        #expect(minted.status == 0, "\(minted.stderr)")
        let token = minted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let verify = ["passport", "verify", "--registry", issuer, "--jwks", directory + "/jwks.json", "--id", "aii_py",
                      "--endpoint", "https://py.example.com/mcp", "--format", "json"]
        let output = try await gatehouse.run(["passport", "verify", token] + verify.dropFirst(2))
        #expect(output.status == 0, "\(output.stdout)")
        #expect(try JSONParser().parse(output.stdout)["verdict"] == "verified")

        var parts = token.split(separator: ".").map(String.init)
        parts[1] = String(parts[1].dropLast()) + (parts[1].hasSuffix("A") ? "B" : "A")
        let tampered = try await gatehouse.run(["passport", "verify", parts.joined(separator: ".")] + verify.dropFirst(2))
        #expect(tampered.status == 1)
    }

    @Test("tokens `gatehouse passport issue` mints verify in PyJWT, and the wrong key is refused there")
    func gatehouseToPyJWT() async throws {
        let keygen = try await gatehouse.run(["passport", "keygen", "--out", directory + "/gh", "--kid", "gh1"])
        #expect(keygen.status == 0)
        let issued = try await gatehouse.run([
            "passport", "issue", "--key", directory + "/gh/signing-key.jwk", "--sub", "aii_gh", "--issuer", issuer,
            "--tier", "creator_verified", "--surface", "mcp://gh.example.com",
        ])
        let token = issued.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let decoded = try await python(["verify", "--jwks", directory + "/gh/jwks.json", "--token", token, "--issuer", issuer])
        #expect(decoded.status == 0, "\(decoded.stderr)")
        let claims = try JSONParser().parse(decoded.stdout)
        #expect(claims["sub"] == "aii_gh")
        #expect(claims["tier"] == "creator_verified")
        #expect(claims["key_id"] == "gh1")

        let other = try await gatehouse.run(["passport", "keygen", "--out", directory + "/other", "--kid", "gh1"])
        #expect(other.status == 0)
        let refused = try await python(["verify", "--jwks", directory + "/other/jwks.json", "--token", token, "--issuer", issuer])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("InvalidSignatureError"))
    }
}
