import ArgumentParser
import Foundation
import GatehouseHost
import TerminalText
import TrustCore

/// `gatehouse passport issue` (SPEC §4): mints an AI-Identity-format passport with a private registry key.
struct IssueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Mint a passport with a private registry's signing key (for private registries, demos, tests)."
    )

    @Option(help: "The private JWK written by keygen.")
    var key: String

    @Option(help: "The identity id (sub), e.g. aii_demo.")
    var sub: String

    @Option(help: "A surface the passport covers, e.g. mcp://tools.example.com (repeatable).")
    var surface: [String] = []

    @Option(help: "The tier.")
    var tier = "issued"

    @Option(name: .customLong("operator"), help: "The operator's public label.")
    var operatorName = "anon"

    @Option(help: "The issuer (iss).")
    var issuer = "https://aiidentity.org"

    @Option(help: "Lifetime in days.")
    var ttl = 365

    @Option(help: "A capability string (repeatable).")
    var capability: [String] = []

    @Option(help: "The audience (aud).")
    var audience = "verifier"

    @Option(help: "Issue as of this time (seconds since the epoch) instead of now.")
    var now: Int64?

    @Option(help: "A token id (jti), so the token can be revoked on its own.")
    var jti: String?

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if sub.isEmpty { throw ValidationError("--sub must not be empty") }
        if Tier(rawValue: tier) == nil {
            throw ValidationError("--tier must be one of \(Tier.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if ttl <= 0 { throw ValidationError("--ttl must be a positive number of days") }
        if issuer.isEmpty { throw ValidationError("--issuer must not be empty") }
        if let now, now < 0 { throw ValidationError("--now must not be negative") }
    }

    func run() async throws {
        let signingKey: SigningKey
        do {
            signingKey = try SigningKey.load(path: key)
        } catch {
            throw CLIError.usage(error.message)
        }
        var claims = PassportMinter.Claims(
            issuer: issuer, subject: sub, issuedAt: now ?? Int64(Date().timeIntervalSince1970),
            lifetimeSeconds: Int64(ttl) * 86_400
        )
        claims.audience = audience
        claims.tier = tier
        claims.operatorName = operatorName
        claims.surfaces = surface
        claims.capabilities = capability
        claims.tokenID = jti
        Console.document(PassportMinter(key: signingKey).mint(claims))  // base64url: nothing to sanitize
    }
}
