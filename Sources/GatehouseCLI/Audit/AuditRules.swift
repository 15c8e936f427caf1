/// The SARIF rules of SPEC §10: one per reason code, pin state and connection code an audit can report,
/// each with the help a reviewer reads in code scanning. The list is fixed (not only the rules a run used),
/// so a rule's index is the same in every report.
struct AuditRule: Sendable {
    /// The code itself (`passport.revoked`, `pin.changed`, `connect.timeout`).
    let id: String
    /// `error`, `warning` or `note`.
    let level: String
    /// One line.
    let summary: String
    /// What to do about it.
    let help: String

    static let all: [AuditRule] = passport + identity + [
        AuditRule(id: "pin.changed", level: "error", summary: "A tool's definition changed since it was pinned",
            help: "The server now describes a tool differently from the definition accepted before (a possible rug pull). Read the diff in `gatehouse tools SERVER --all`, then `gatehouse trust accept SERVER TOOL` if the change is expected."),
        AuditRule(id: "pin.added", level: "warning", summary: "A known server offers a tool it did not offer before",
            help: "New tools of an already-trusted server stay quarantined until accepted: review it, then `gatehouse trust accept SERVER TOOL`."),
        AuditRule(id: "audit.not_started", level: "note", summary: "A discovered stdio server was not started",
            help: "`audit --discover` starts the stdio servers it finds only with `--spawn` (or a yes at the prompt); audit again with `--spawn` to check it."),
    ] + connection

    private static let passport: [AuditRule] = [
        rule("passport.missing", "warning", "No signed passport was presented", "The server presented no AI Identity Passport (or only an unsigned claim). Ask its operator for a passport from a trusted registry, or set `\"allowUnverified\": true` on the entry to use it knowingly."),
        rule("passport.issuer_untrusted", "error", "The passport's registry is not trusted", "Add the registry to the profile's `registries` only if you trust it to vouch for servers."),
        rule("passport.registry_mismatch", "error", "The token's issuer is not the registry the server named", "The identity block names one registry and the token another: treat the server as impersonating."),
        rule("passport.malformed", "error", "The passport is not a well-formed compact JWS", "The token could not be parsed strictly; it is refused whole."),
        rule("passport.alg_not_allowed", "error", "The passport is not signed with EdDSA", "Only Ed25519 (`alg` `EdDSA`) passports are accepted."),
        rule("passport.header_forbidden", "error", "The passport's header carries a forbidden parameter", "Headers such as `jku`, `jwk`, `x5u`, `crit` or `zip` are refused: they let a token choose its own key or processing."),
        rule("passport.key_unknown", "error", "No registry key matches the passport", "The signing key is not in the registry's JWKS (rotated out, or never issued by it)."),
        rule("passport.key_id_mismatch", "error", "The header's kid and the claim's key_id differ", "The token names two different keys; it is refused."),
        rule("passport.key_invalid", "error", "The registry's key is not a usable Ed25519 key", "The JWKS entry is not a canonical, non-small-order 32-byte Ed25519 key; fix the registry."),
        rule("passport.signature_invalid", "error", "The passport's signature does not verify", "The token was altered or forged."),
        rule("passport.claim_missing", "error", "A required claim is missing", "`iss`, `sub`, `tier`, `aud`, `iat` and `exp` are required."),
        rule("passport.claim_invalid", "error", "A claim has the wrong type", "Claims must have the types AI Identity defines (integer times, string identity)."),
        rule("passport.subject_mismatch", "error", "The passport is for another identity", "The token's `sub` is not the identity the server claims."),
        rule("passport.audience_mismatch", "error", "The passport is not for this audience", "The token's `aud` does not contain the profile's `trust.audience`."),
        rule("passport.expired", "error", "The passport has expired", "Ask the server's operator to renew the passport."),
        rule("passport.not_yet_valid", "error", "The passport is not valid yet", "Its `nbf` is in the future; check the clocks."),
        rule("passport.issued_in_future", "error", "The passport was issued in the future", "Its `iat` is ahead of now beyond the clock skew; check the clocks."),
        rule("passport.too_old", "error", "The passport is older than the policy's maximum age", "Ask for a freshly issued passport, or raise `trust.maxAgeDays`."),
        rule("passport.tier_unknown", "error", "The passport's tier is not a known tier", "Tiers are issued, identity_verified, creator_verified and business_verified."),
        rule("passport.tier_too_low", "error", "The passport's tier is below the policy's minimum", "The server's identity is verified less strongly than `trust.minTier` requires."),
        rule("passport.surface_mismatch", "error", "The passport does not cover this endpoint", "The token is bound to other surfaces: a genuine passport presented by the wrong server."),
        rule("passport.revoked", "error", "The passport has been revoked", "The registry revoked this identity or token: remove the server or ask its operator why."),
        rule("passport.status_inactive", "error", "The registry says the identity is not active", "The registry's identity record is suspended or withdrawn."),
    ]

    private static let identity: [AuditRule] = [
        rule("identity.conflict", "error", "The server presented two different identities", "Carriers in one handshake disagree; the server is rejected."),
        rule("identity.pin_mismatch", "error", "The identity is not the one the profile expects", "The entry's `expectIdentity` names another identity."),
        rule("identity.changed", "error", "The server's identity changed since it was first seen", "Investigate; if the change is expected, `gatehouse trust forget SERVER`."),
        rule("registry.unavailable", "error", "The registry could not be reached and nothing cached is fresh enough", "Verification could not be completed; the tools stay out until the registry answers."),
        rule("transport.insecure", "warning", "The server is reached over plain HTTP", "Use https for servers that are not on loopback."),
    ]

    private static let connection: [AuditRule] = [
        "connect.spawn_failed", "connect.timeout", "connect.refused", "connect.http_status", "connect.closed",
        "protocol.frame_too_large", "protocol.invalid_message", "protocol.version_unsupported",
        "protocol.handshake_failed", "protocol.limit_exceeded", "call.timeout", "call.server_exited", "auth.required",
        "auth.insufficient_scope",
    ].map { code in
        rule(code, "warning", "The server could not be audited (\(code))", "The connection or handshake failed, so nothing was verified and no tool was loaded. The result's message has the detail.")
    }

    private static func rule(_ id: String, _ level: String, _ summary: String, _ help: String) -> AuditRule {
        AuditRule(id: id, level: level, summary: summary, help: help)
    }
}
