import CurlHTTP
import Foundation
import StrictJSON

/// Token requests (RFC 6749 §4.1.3 and §6) and their answers.
struct TokenEndpoint: Sendable {
    /// The client making the request.
    struct Client: Sendable, Hashable {
        var id: String
        var secret: String?
        /// `none`, `client_secret_basic` or `client_secret_post`.
        var authMethod: String

        /// `client_secret_basic` when there is a secret and the server supports it, else `client_secret_post`
        /// when supported, else `none`.
        static func choosing(id: String, secret: String?, supported: [String]) -> Client {
            guard let secret else { return Client(id: id, secret: nil, authMethod: "none") }
            if supported.contains("client_secret_basic") {
                return Client(id: id, secret: secret, authMethod: "client_secret_basic")
            }
            if supported.contains("client_secret_post") {
                return Client(id: id, secret: secret, authMethod: "client_secret_post")
            }
            return Client(id: id, secret: secret, authMethod: "none")
        }
    }

    /// A successful token response.
    struct Grant: Sendable {
        var accessToken: String
        var tokenType: String
        var refreshToken: String?
        var expiresIn: Double?
        var scopes: [String]?
    }

    /// A token request the server refused; `error` is its OAuth error code (`invalid_grant`, …).
    struct Refusal: Error {
        let error: String?
        let oauthError: OAuthError
    }

    let url: String
    let fetch: OAuthFetch

    /// POSTs `parameters` (plus the client's authentication) and reads the answer.
    /// - Throws: ``Refusal`` whose `oauthError` is `auth.failed`; a 3xx is never followed.
    func request(_ parameters: [(String, String)], client: Client) async throws(Refusal) -> Grant {
        var form = parameters
        var headers: [(name: String, value: String)] = []
        switch client.authMethod {
        case "client_secret_basic":
            let pair = FormEncoding.escape(client.id) + ":" + FormEncoding.escape(client.secret ?? "")
            headers.append(("Authorization", "Basic " + Data(pair.utf8).base64EncodedString()))
            // The id (never the secret) in the body too: RFC 6749 §3.2.1 allows it, and some servers (the MCP
            // SDK's among them) look for it there even with Basic authentication.
            form.append(("client_id", client.id))
        case "client_secret_post":
            form += [("client_id", client.id), ("client_secret", client.secret ?? "")]
        default:
            form.append(("client_id", client.id))
        }
        let body = Array(FormEncoding.encode(form).utf8)
        let post = OAuthHTTP.post(url, contentType: "application/x-www-form-urlencoded", body: body, headers: headers)
        let response: HTTPResponse
        do {
            _ = try OAuthURL.endpoint(url, what: "the token endpoint")
            response = try await OAuthHTTP.send(post, with: fetch, what: "the token endpoint")
        } catch {
            throw Refusal(error: nil, oauthError: error)
        }
        do throws(Refusal) {
            return try grant(response)
        } catch {
            // A server's error_description might echo a code, verifier, refresh token or secret sent to it.
            let secrets = form.map(\.1) + [client.secret].compactMap { $0 }
            throw Refusal(error: error.error, oauthError: error.oauthError.redacting(secrets))
        }
    }

    private func grant(_ response: HTTPResponse) throws(Refusal) -> Grant {
        if (300..<400).contains(response.status) {
            throw Refusal(
                error: nil,
                oauthError: .failed(
                    "the token endpoint \(url) answered HTTP \(response.status) (a redirect, not followed)"))
        }
        let object: JSONObject
        do {
            object = try OAuthHTTP.object(response, url: url, what: "the token response")
        } catch {
            throw Refusal(
                error: nil,
                oauthError: .failed("the token endpoint \(url) answered HTTP \(response.status) without a JSON body"))
        }
        guard response.status == 200 else {
            let code = object["error"]?.stringValue
            let detail = object["error_description"]?.stringValue.map { ": \($0.prefix(200))" } ?? ""
            throw Refusal(
                error: code,
                oauthError: .failed(
                    "the token endpoint \(url) refused (HTTP \(response.status), \(code ?? "no error code")\(detail))")
            )
        }
        guard let accessToken = object["access_token"]?.stringValue, !accessToken.isEmpty else {
            throw Refusal(error: nil, oauthError: .failed("the token response from \(url) has no access_token"))
        }
        guard let tokenType = object["token_type"]?.stringValue, tokenType.lowercased() == "bearer" else {
            throw Refusal(error: nil, oauthError: .failed("the token response from \(url) is not token_type Bearer"))
        }
        var expiresIn: Double?
        if let value = object["expires_in"] {
            guard let seconds = value.numberValue?.doubleValue, seconds.isFinite, seconds >= 0 else {
                throw Refusal(
                    error: nil, oauthError: .failed("the token response from \(url) has an invalid expires_in"))
            }
            expiresIn = seconds
        }
        let refresh = object["refresh_token"]?.stringValue
        let scopes = object["scope"]?.stringValue.map { $0.split(separator: " ").map(String.init) }
        return Grant(
            accessToken: accessToken, tokenType: "Bearer", refreshToken: refresh?.isEmpty == true ? nil : refresh,
            expiresIn: expiresIn, scopes: scopes)
    }
}
