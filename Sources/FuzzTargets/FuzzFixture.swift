import Ed25519
import GatehouseHost
import StrictJSON
public import TrustCore

/// Fixed materials for the `jws` target: a registry key made from a fixed seed (so committed seed tokens
/// keep verifying and the fuzzer can reach the steps after the signature), a trusted issuer, an empty
/// revocation list and a fixed clock.
public enum FuzzFixture {
    /// The registry the fixture trusts.
    public static let issuer = "https://registry.fuzz.example"
    /// The fixed "now" (2026-11-27T00:00:00Z).
    public static let now: Int64 = 1_795_737_600
    static let keyPair = Ed25519.KeyPair(seed: [UInt8](repeating: 7, count: Ed25519.seedLength))

    static let verifier: PassportVerifier = {
        let publicKey = keyPair.map { Base64URL.encode($0.publicKey) } ?? ""
        let materials = StaticRegistryMaterials(
            keySets: [issuer: JWKSet(entries: [["kty": "OKP", "crv": "Ed25519", "x": .string(publicKey), "kid": "fuzz-1"]])],
            revocationLists: [issuer: RevocationList(updatedAt: now, identities: ["aii_fuzz_revoked": "fuzz"])]
        )
        return PassportVerifier(policy: VerificationPolicy(trustedIssuers: [issuer]), materials: materials)
    }()

    static func request(_ token: String) -> VerificationRequest {
        VerificationRequest(
            carriers: [IdentityCarrier(name: "result._meta", content: .block(id: "aii_fuzz", passport: token, registry: issuer))],
            binding: .endpoint("https://tools.fuzz.example/mcp"), now: now
        )
    }

    /// The fixture's verification of `token` (what the `jws` target computes).
    public static func report(_ token: String) async -> VerificationReport {
        await verifier.verify(request(token))
    }

    /// A passport that verifies against the fixture (a seed for the corpus).
    public static func validToken() -> String {
        guard let keyPair else { return "" }
        var claims = PassportMinter.Claims(issuer: issuer, subject: "aii_fuzz", issuedAt: now - 60, lifetimeSeconds: 86_460)
        claims.tier = "business_verified"
        claims.operatorName = "Fuzz Ltd"
        claims.surfaces = ["mcp://tools.fuzz.example"]
        return PassportMinter(key: SigningKey(keyPair: keyPair, keyID: "fuzz-1")).mint(claims)
    }
}
