import Ed25519
import Foundation
import GatehouseHost
import StrictJSON
import TrustCore

/// `gatehouse-bench verify OUTPUT_DIR`: the full offline verification of one passport against the bare
/// libsodium verify of the same signing input, alternating in the same run. Writes token.txt and key.hex
/// for the PyJWT side and prints the per-operation times in µs as JSON.
nonisolated func verifyBenchmark(output: String) async {
    guard let keyPair = Ed25519.KeyPair.generate() else { exit(1) }
    let issuer = "https://registry.bench"
    let now = Int64(Date().timeIntervalSince1970)
    var claims = PassportMinter.Claims(issuer: issuer, subject: "aii_bench", issuedAt: now - 60, lifetimeSeconds: 86_460)
    claims.tier = "business_verified"
    claims.operatorName = "Bench Ltd"
    claims.surfaces = ["mcp://bench.example.com"]
    claims.capabilities = ["search"]
    let token = PassportMinter(key: SigningKey(keyPair: keyPair, keyID: "k1")).mint(claims)
    guard let dot = token.lastIndex(of: "."), let signature = Base64URL.decode(String(token[token.index(after: dot)...])) else { exit(1) }
    let signingInput = Array(token[..<dot].utf8)

    var revoked: [String: String] = [:]
    for index in 0..<10_000 { revoked["aii_revoked_\(index)"] = "bench" }
    let materials = StaticRegistryMaterials(
        keySets: [issuer: JWKSet(entries: [["kty": "OKP", "crv": "Ed25519", "x": .string(Base64URL.encode(keyPair.publicKey)), "kid": "k1"]])],
        revocationLists: [issuer: RevocationList(updatedAt: now, identities: revoked)]
    )
    let verifier = PassportVerifier(policy: VerificationPolicy(trustedIssuers: [issuer]), materials: materials)
    let request = VerificationRequest(
        carriers: [IdentityCarrier(name: "result._meta", content: .block(id: "aii_bench", passport: token, registry: issuer))],
        binding: .endpoint("https://bench.example.com/mcp"), now: now
    )
    let publicKey = keyPair.publicKey
    let parts = ProcessInfo.processInfo.environment["GATEHOUSE_BENCH_PARTS"] != nil
    let results = await measure(rounds: parts ? 5 : 15, iterations: 2_000, parts ? [
        ("parse", { if case .success = PassportToken.parse(token) { return true } else { return false } }),
        ("digest", { !SHA256.hexDigest(token).isEmpty }),
        ("issuer", { IssuerName.same(issuer, "HTTPS://registry.bench/") }),
        ("surface", { SurfaceAddress.surface("mcp://bench.example.com")?.covers(SurfaceAddress.endpoint("https://bench.example.com/mcp")!) == true }),
        ("rfc3339", { !RFC3339.string(fromSeconds: now).isEmpty }),
    ] : [
        ("libsodium", { Ed25519.isValidSignature(signature, of: signingInput, publicKey: publicKey) }),
        ("gatehouse", { await verifier.verify(request).verdict == .verified }),
    ])
    try? FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
    try? Data(token.utf8).write(to: URL(fileURLWithPath: output + "/token.txt"))
    try? Data(Hex.encode(keyPair.publicKey).utf8).write(to: URL(fileURLWithPath: output + "/key.hex"))
    var object = JSONObject()
    for (name, values) in results.sorted(by: { $0.key < $1.key }) {
        object[name] = .array(values.sorted().compactMap { JSONNumber($0).map(JSONValue.number) })
    }
    print(JSONSerializer.string(.object(object)))

}
