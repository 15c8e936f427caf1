import ArgumentParser
import StrictJSON
import TerminalText
import TrustCore

/// `gatehouse passport inspect` (SPEC §4): decodes a token without verifying it, and says so.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Decode a passport WITHOUT verifying it (header, claims, digest)."
    )

    @Argument(help: "The compact token, or - to read standard input.")
    var token: String?

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @OptionGroup var common: CommonOptions

    static let warning = "UNVERIFIED: decoded only. The signature, issuer, dates and revocation were NOT checked."

    func run() async throws {
        let compact = TokenInput.read(token)
        let parsed: PassportToken
        switch PassportToken.parse(compact) {
        case .success(let token): parsed = token
        case .failure(let reason): throw CLIError(code: CLIError.Code(reason.code), message: reason.message, exitCode: ExitStatus.trustFailure)
        }
        switch format {
        case .json:
            let object: JSONValue = [
                "verified": false, "notice": .string(Self.warning), "sha256": .string(parsed.digest),
                "header": .object(parsed.jws.header), "payload": .object(parsed.claims),
                "signatureBytes": .number(JSONNumber(Int64(parsed.jws.signature.count))),
            ]
            Console.document(JSONSerializer.string(object, style: .pretty))
        case .text:
            var lines: [TerminalText] = ["\(Self.warning)", "sha256:    \(parsed.digest)"]
            lines.append("header:    \(JSONSerializer.string(.object(parsed.jws.header)))")
            lines.append("payload:   \(multiline: JSONSerializer.string(.object(parsed.claims), style: .pretty))")
            for name in ["iat", "exp", "nbf"] {
                if let seconds = parsed.claims[name]?.numberValue?.int64Value {
                    lines.append("\(name):       \(RFC3339.string(fromSeconds: seconds))")
                }
            }
            lines.append("signature: \(parsed.jws.signature.count) bytes")
            Console.out(lines.joined(separator: "\n"))
        }
    }
}
