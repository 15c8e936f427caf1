import ArgumentParser
import Foundation
import GatehouseHost
import OAuth
import StrictJSON
import TerminalText

/// `gatehouse auth status [SERVER]` (SPEC §9): per stored login, the server, authorization server, scopes and
/// expiry — never a token (a SHA-256 prefix of the access token identifies it).
struct AuthStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the stored logins: expiry, scopes, authorization server.")

    @Argument(help: "Only this server (its name in the profile).")
    var server: String?

    @Option(help: "table or json.")
    var format: TableFormat = .table

    @OptionGroup var profileOptions: ProfileOptions

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let contents: TokenStoreContents
        do {
            contents = try OAuthTransport.store.read()
        } catch {
            throw CLIError(code: .authFailed, message: error.message, exitCode: ExitStatus.connection)
        }
        var names: [String: String] = [:]
        if let profile = try? profileOptions.load() {
            for entry in profile.servers { if let url = entry.url { names[url] = entry.name } }
        }
        var tokens = contents.tokens
        if let server {
            guard let url = names.first(where: { $0.value == server })?.key else {
                throw CLIError.usage("no HTTP server named \"\(server)\" in the profile")
            }
            tokens = tokens.filter { $0.serverURL == url }
        }
        let now = OAuthTransport.now()
        switch format {
        case .json:
            let rows: [JSONValue] = tokens.map { token in
                var object: JSONObject = [
                    "url": .string(token.serverURL), "issuer": .string(token.issuer),
                    "scopes": .array(token.scopes.map { .string($0) }), "expired": .bool(token.isExpired(at: now, margin: 0)),
                    "refreshable": .bool(token.refreshToken != nil), "clientId": .string(token.clientId),
                    "tokenSha256": .string(OAuthError.fingerprint(token.accessToken)),
                ]
                object["server"] = names[token.serverURL].map { .string($0) } ?? .null
                object["expiresAt"] = token.expiresAt.map { .string(Self.timestamp($0)) } ?? .null
                return .object(object)
            }
            Console.document(JSONSerializer.string(["logins": .array(rows)], style: .pretty))
        case .table:
            if tokens.isEmpty { Console.out("no stored logins") }
            for token in tokens {
                let name = names[token.serverURL].map { "\($0) " } ?? ""
                Console.out("\(name)\(token.serverURL)  \(token.issuer)  \(Self.summary(token, now: now))")
            }
        }
    }

    /// Scopes, expiry and whether a refresh token is held, in words.
    static func summary(_ token: StoredToken, now: Double) -> String {
        let scopes = token.scopes.isEmpty ? "no scopes" : "scopes " + token.scopes.joined(separator: " ")
        let expiry = token.expiresAt.map { ($0 <= now ? "expired " : "expires ") + timestamp($0) } ?? "no expiry given"
        return "\(scopes), \(expiry), " + (token.refreshToken == nil ? "no refresh token" : "refreshable")
    }

    /// RFC 3339 in UTC.
    static func timestamp(_ seconds: Double) -> String {
        Date(timeIntervalSince1970: seconds).formatted(.iso8601)
    }
}
