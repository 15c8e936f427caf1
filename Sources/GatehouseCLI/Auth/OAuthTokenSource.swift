import CurlHTTP
import Foundation
import GatehouseHost
import MCPClient
import OAuth
import TerminalText

/// The host's ``BearerTokenSource`` (SPEC §9 step 6): the token store at `$XDG_STATE_HOME/gatehouse/tokens.json`,
/// refreshed through the OAuth module when a token is due or was refused. It never starts a login.
struct OAuthTokenSource: BearerTokenSource {
    private let provider: TokenProvider

    /// A source reading `store`.
    init(store: TokenStore) {
        provider = TokenProvider(store: store, fetch: OAuthTransport.fetch, now: OAuthTransport.now)
    }

    func accessToken(forServer serverURL: String) async throws(MCPClientError) -> String? {
        do {
            return try await provider.accessToken(forServer: serverURL)
        } catch {
            throw error.clientError
        }
    }

    func accessTokenAfterRejection(forServer serverURL: String, rejected: String) async throws(MCPClientError) -> String? {
        do {
            return try await provider.accessTokenAfterRejection(forServer: serverURL, rejected: rejected)
        } catch {
            throw error.clientError
        }
    }
}

/// The OAuth module's HTTP and clock, for the CLI: libcurl (no redirects followed) and the system clock.
enum OAuthTransport {
    /// Every OAuth request goes through the existing libcurl layer.
    static let fetch: OAuthFetch = { request in try await CurlHTTPClient.perform(request) }
    /// Seconds since 1970.
    static let now: @Sendable () -> Double = { Date().timeIntervalSince1970 }
    /// The token store of this user (SPEC §9 step 6).
    static var store: TokenStore {
        TokenStore(path: TokenStore.defaultPath(environment: ProcessInfo.processInfo.environment))
    }
}

extension OAuthError {
    /// The same failure as the MCP client's error type, code kept (`auth.*`).
    var clientError: MCPClientError {
        MCPClientError(MCPClientError.Code(rawValue: code.rawValue), message)
    }
}

extension OAuthClientSettings {
    /// The profile's `auth` settings of a server.
    init(_ auth: ServerAuth) {
        self.init(clientId: auth.clientID, clientSecret: auth.clientSecret, clientMetadataUrl: auth.clientMetadataURL, scopes: auth.scopes)
    }
}
