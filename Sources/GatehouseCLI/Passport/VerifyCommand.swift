import ArgumentParser
import Foundation
import GatehouseHost
import TerminalText
import TrustCore

/// `gatehouse passport verify` (SPEC §4): one passport, offline by default, with every check reported.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a passport token (argument, or standard input with - or none)."
    )

    @Argument(help: "The compact token, or - to read standard input.")
    var token: String?

    @Option(help: "The trusted issuer, which is also the identity block's registry.")
    var registry = "https://aiidentity.org"

    @Option(help: "The registry's JWKS: a file or an https:// URL.")
    var jwks: String?

    @Option(help: "The registry's revocation list: a file or an https:// URL.")
    var revocations: String?

    @Option(help: "The identity block's id; the token's sub must equal it.")
    var id: String?

    @Option(help: "The endpoint URL the passport must cover.")
    var endpoint: String?

    @Option(help: "The surface the passport must cover (instead of --endpoint).")
    var surface: String?

    @Option(help: "The audience aud must contain.")
    var audience = "verifier"

    @Option(name: .customLong("min-tier"), help: "The lowest acceptable tier.")
    var minTier = "issued"

    @Option(name: .customLong("max-age"), help: "The greatest acceptable age of the passport, in days.")
    var maxAge: Int?

    @Option(help: "Verify as of this time (seconds since the epoch) instead of now.")
    var now: Int64?

    @Option(help: "Clock skew allowed, in seconds.")
    var skew: Int64 = 60

    @Flag(help: "Also ask the registry for the identity's current status (step 15).")
    var online = false

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if endpoint != nil && surface != nil { throw ValidationError("give --endpoint or --surface, not both") }
        if Tier(rawValue: minTier) == nil {
            throw ValidationError("--min-tier must be one of \(Tier.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let maxAge, maxAge < 0 { throw ValidationError("--max-age must not be negative") }
        if skew < 0 { throw ValidationError("--skew must not be negative") }
        if let now, now < 0 { throw ValidationError("--now must not be negative") }
    }

    func run() async throws {
        let configuration = try registryConfiguration()
        let policy = VerificationPolicy(
            trustedIssuers: [registry], audience: audience, clockSkewSeconds: skew,
            maximumAgeSeconds: maxAge.map { Int64($0) * 86_400 }, minimumTier: Tier(rawValue: minTier) ?? .issued,
            online: online
        )
        let source = RegistrySource(
            registries: [configuration], cacheDirectory: StateDirectory.path + "/registry-cache"
        )
        let binding: SurfaceBinding = endpoint.map { .endpoint($0) } ?? surface.map { .declaredSurface($0) } ?? .none
        let compact = TokenInput.read(token)
        let carrier = IdentityCarrier(name: "command-line", content: .block(id: id, passport: compact, registry: registry))
        let request = VerificationRequest(
            carriers: [carrier], binding: binding, now: now ?? Int64(Date().timeIntervalSince1970)
        )
        let report = await PassportVerifier(policy: policy, materials: source).verify(request)
        switch format {
        case .json: Console.document(ReportRendering.json(report))
        case .text: Console.out(ReportRendering.text(report, color: common.useColor))
        }
        if !report.valid { throw CommandExit(status: ExitStatus.trustFailure) }
    }

    private func registryConfiguration() throws -> RegistryConfiguration {
        var configuration = RegistryConfiguration.defaults(issuer: registry)
        if let jwks {
            configuration.jwks = try location(jwks, flag: "--jwks")
            configuration.revocations = nil
        }
        if let revocations { configuration.revocations = try location(revocations, flag: "--revocations") }
        return configuration
    }

    private func location(_ text: String, flag: String) throws -> ResourceLocation {
        switch ResourceLocation.parse(text) {
        case .success(let location): return location
        case .failure(let error): throw CLIError.usage("\(flag): \(error.message)")
        }
    }
}
