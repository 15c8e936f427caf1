import Foundation
import TrustCore

/// The trust core's side of the differential check (`Tests/Fuzz/differential.py`): each token is verified
/// as a header-only passport (its `sub` the identity, its `iss` the registry) against one registry's JWKS
/// and an empty revocation list, with SPEC's default policy, at a fixed time, with no surface to bind.
public struct DifferentialVerifier: Sendable {
    let verifier: PassportVerifier
    let now: Int64

    /// Creates the verifier for `issuer` with the key set in `keySet` (JWKS bytes).
    public init(issuer: String, keySet: [UInt8], now: Int64) throws {
        let materials = StaticRegistryMaterials(
            keySets: [issuer: try JWKSet.parse(keySet)], revocationLists: [issuer: RevocationList(updatedAt: now)]
        )
        verifier = PassportVerifier(policy: VerificationPolicy(trustedIssuers: [issuer]), materials: materials)
        self.now = now
    }

    /// `verdict` and the first reason code (or `-`), tab-separated.
    public func line(for token: String) async -> String {
        let report = await verifier.verify(VerificationRequest(carriers: [IdentityCarrier(name: "X-AI-Identity", content: .token(token))], now: now))
        return "\(report.verdict.rawValue)\t\(report.reasons.first?.code.rawValue ?? "-")"
    }
}
