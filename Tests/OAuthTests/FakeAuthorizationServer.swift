import CurlHTTP
import Foundation
import Locking
import OAuth
import StrictJSON

/// An in-process MCP server's discovery documents and an authorization server, answering an ``OAuthFetch``.
///
/// Routes are `"METHOD URL"` → handler; anything else is a 404. Every request is recorded.
final class FakeAuthorizationServer: Sendable {
    typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    static let serverURL = "https://mcp.example/mcp"
    static let issuer = "https://auth.example"
    static let prmURL = "https://mcp.example/.well-known/oauth-protected-resource/mcp"
    static let metadataURL = "https://auth.example/.well-known/oauth-authorization-server"

    private let routes = Locked<[String: Handler]>([:])
    private let log = Locked<[HTTPRequest]>([])
    private let issued = Locked(0)

    /// The standard server: PRM at the path-inserted URL, AS metadata with DCR, S256 and the iss parameter, a
    /// registration endpoint and a token endpoint issuing AT-n / RT-n.
    init(metadata: JSONValue? = nil, resource: JSONValue? = nil) {
        route("GET", Self.prmURL, json: resource ?? Self.resourceDocument())
        route("GET", Self.metadataURL, json: metadata ?? Self.metadataDocument())
        route(
            "POST", "https://auth.example/register", status: 201,
            json: ["client_id": "dyn-client", "redirect_uris": []])
        route("POST", "https://auth.example/token") { [unowned self] request in
            let form = Self.form(request)
            if form["grant_type"] == "refresh_token" {
                let expected = self.issued.withLock { "RT-\($0)" }
                guard form["refresh_token"] == expected else {
                    return Self.json(
                        400, ["error": "invalid_grant", "error_description": "refresh token is not current"])
                }
            }
            let number = self.issued.withLock { count -> Int in
                count += 1
                return count
            }
            return Self.json(
                200,
                [
                    "access_token": .string("AT-\(number)"), "token_type": "bearer", "expires_in": 3600,
                    "refresh_token": .string("RT-\(number)"), "scope": "read",
                ])
        }
    }

    static func resourceDocument(resource: String = serverURL) -> JSONValue {
        ["resource": .string(resource), "authorization_servers": [.string(issuer)], "scopes_supported": ["read"]]
    }

    static func metadataDocument(_ overrides: [String: JSONValue] = [:], removing: [String] = []) -> JSONValue {
        var object: JSONObject = [
            "issuer": .string(issuer), "authorization_endpoint": "https://auth.example/authorize",
            "token_endpoint": "https://auth.example/token", "registration_endpoint": "https://auth.example/register",
            "code_challenge_methods_supported": ["S256"], "authorization_response_iss_parameter_supported": true,
            "token_endpoint_auth_methods_supported": ["none", "client_secret_basic", "client_secret_post"],
        ]
        for (key, value) in overrides { object[key] = value }
        for key in removing { object[key] = nil }
        return .object(object)
    }

    func route(_ method: String, _ url: String, _ handler: @escaping Handler) {
        routes.withLock { $0["\(method) \(url)"] = handler }
    }

    func route(_ method: String, _ url: String, status: Int = 200, json: JSONValue) {
        route(method, url) { _ in Self.json(status, json) }
    }

    func route(
        _ method: String, _ url: String, status: Int, body: String, headers: [(name: String, value: String)] = []
    ) {
        route(method, url) { _ in HTTPResponse(status: status, headers: headers, body: Array(body.utf8)) }
    }

    /// A token for the fake server from its issuer, refreshed at its token endpoint.
    static func storedToken(
        clientId: String = "dyn-client", clientSecret: String? = nil, authMethod: String = "none", accessToken: String,
        refreshToken: String?, expiresAt: Double?, obtainedAt: Double
    ) -> StoredToken {
        StoredToken(
            serverURL: serverURL, issuer: issuer, resource: serverURL, tokenEndpoint: "https://auth.example/token",
            clientId: clientId, clientSecret: clientSecret, tokenEndpointAuthMethod: authMethod,
            accessToken: accessToken,
            refreshToken: refreshToken, scopes: ["read"], expiresAt: expiresAt, obtainedAt: obtainedAt
        )
    }

    /// A store in a fresh folder holding `token`.
    static func store(holding token: StoredToken) throws -> TokenStore {
        let store = TokenStore(path: try temporaryDirectory() + "/tokens.json")
        try store.update { $0.upsert(token) }
        return store
    }

    /// Every request so far.
    var requests: [HTTPRequest] { log.withLock { $0 } }

    /// The URLs requested, in order.
    var requestedURLs: [String] { requests.map(\.url) }

    /// The requests to `url`.
    func requests(to url: String) -> [HTTPRequest] { requests.filter { $0.url == url } }

    var fetch: OAuthFetch {
        { [self] request in
            log.withLock { $0.append(request) }
            let handler = routes.withLock { $0["\(request.method) \(request.url)"] }
            return handler?(request) ?? HTTPResponse(status: 404, headers: [], body: Array("not found".utf8))
        }
    }

    static func json(_ status: Int, _ value: JSONValue) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("content-type", "application/json")], body: JSONSerializer.bytes(value))
    }

    /// The form fields of a POST body.
    static func form(_ request: HTTPRequest) -> [String: String] {
        CallbackParameters(query: String(decoding: request.body ?? [], as: UTF8.self)).values
    }
}

/// A fresh temporary folder for one test.
func temporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("oauth-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A value shared between threads in a test.
final class Shared<Value: Sendable>: Sendable {
    private let value: Locked<Value>

    init(_ initial: Value) {
        value = Locked(initial)
    }

    func update<Result: Sendable>(_ body: @Sendable (inout Value) -> Result) -> Result {
        value.withLock { body(&$0) }
    }

    var current: Value { value.withLock { $0 } }
}
