import CurlHTTP
import OAuth
import StrictJSON
import Testing

struct AuthorizationDiscoveryTests {
    typealias Server = FakeAuthorizationServer

    private func discover(_ server: Server, url: String = Server.serverURL, challenge: BearerChallenge? = nil)
        async throws(OAuthError) -> DiscoveredAuthorization
    {
        try await AuthorizationDiscovery(fetch: server.fetch).discover(serverURL: url, challenge: challenge)
    }

    private func failure(_ server: Server, url: String = Server.serverURL, challenge: BearerChallenge? = nil) async
        -> OAuthError?
    {
        do {
            _ = try await discover(server, url: url, challenge: challenge)
            return nil
        } catch {
            return error
        }
    }

    @Test("the path-inserted PRM and the AS metadata are found and read")
    func happyPath() async throws {
        let server = Server()
        let found = try await discover(server)
        #expect(found.resource == Server.serverURL)
        #expect(found.issuer == Server.issuer)
        #expect(found.metadata.authorizationEndpoint == "https://auth.example/authorize")
        #expect(found.metadata.tokenEndpoint == "https://auth.example/token")
        #expect(found.metadata.registrationEndpoint == "https://auth.example/register")
        #expect(found.metadata.authorizationResponseIssParameterSupported)
        #expect(!found.metadata.clientIdMetadataDocumentSupported)
        #expect(found.scopes == ["read"])
        #expect(server.requestedURLs == [Server.prmURL, Server.metadataURL])
    }

    @Test("the challenge's scope wins over scopes_supported, and its resource_metadata is fetched first")
    func challengeFirst() async throws {
        let server = Server()
        server.route("GET", "https://mcp.example/custom-prm", json: Server.resourceDocument())
        let challenge = BearerChallenge(
            header: #"Bearer resource_metadata="https://mcp.example/custom-prm", scope="a b""#)
        let found = try await discover(server, challenge: challenge)
        #expect(found.scopes == ["a", "b"])
        #expect(server.requestedURLs.first == "https://mcp.example/custom-prm")
    }

    @Test(
        "a 404 moves to the next candidate: the PRM root, OIDC discovery for an issuer without a path",
        arguments: [
            (Server.prmURL, "https://mcp.example/.well-known/oauth-protected-resource", Server.resourceDocument()),
            (Server.metadataURL, "https://auth.example/.well-known/openid-configuration", Server.metadataDocument()),
        ])
    func fallback(_ missing: String, _ next: String, _ document: JSONValue) async throws {
        let server = Server()
        server.route("GET", missing, status: 404, body: "")
        server.route("GET", next, json: document)
        _ = try await discover(server)
        let position = try #require(server.requestedURLs.firstIndex(of: missing))
        #expect(server.requestedURLs[position + 1] == next)
    }

    @Test("a 404 at every PRM URL is auth.failed naming every URL")
    func nothingFound() async {
        let empty = Server()
        empty.route("GET", Server.prmURL, status: 404, body: "")
        let error = await failure(empty)
        #expect(error?.code == .failed)
        #expect(error?.message.contains("https://mcp.example/.well-known/oauth-protected-resource") == true)
    }

    @Test("AS metadata URLs for an issuer with a path, in the MCP order")
    func issuerWithPath() async throws {
        let server = Server()
        let issuer = "https://auth.example/tenant/1"
        server.route(
            "GET", Server.prmURL,
            json: ["resource": .string(Server.serverURL), "authorization_servers": [.string(issuer)]])
        let error = await failure(server)
        #expect(error?.code == .failed)
        #expect(
            server.requestedURLs.dropFirst() == [
                "https://auth.example/.well-known/oauth-authorization-server/tenant/1",
                "https://auth.example/.well-known/openid-configuration/tenant/1",
                "https://auth.example/tenant/1/.well-known/openid-configuration",
            ])
        server.route(
            "GET", "https://auth.example/tenant/1/.well-known/openid-configuration",
            json: Server.metadataDocument(["issuer": .string(issuer)]))
        let found = try await discover(server)
        #expect(found.issuer == issuer)
        #expect(found.scopes.isEmpty)
    }

    @Test("a PRM resource that is not the server URL is auth.failed; the canonical form is compared")
    func resourceMismatch() async throws {
        let other = Server(resource: Server.resourceDocument(resource: "https://other.example/mcp"))
        let error = await failure(other)
        #expect(error?.code == .failed)
        #expect(error?.message.contains("other.example") == true)

        let sameCanonical = Server(resource: Server.resourceDocument(resource: "HTTPS://MCP.EXAMPLE:443/mcp"))
        #expect(try await discover(sameCanonical).resource == "HTTPS://MCP.EXAMPLE:443/mcp")
        let slash = Server(resource: Server.resourceDocument(resource: "https://mcp.example/mcp/"))
        #expect(await failure(slash)?.code == .failed)
    }

    @Test("an AS document naming another issuer is refused, and no further candidate is tried")
    func issuerMismatch() async {
        let server = Server(metadata: Server.metadataDocument(["issuer": "https://evil.example"]))
        let error = await failure(server)
        #expect(error?.code == .failed)
        #expect(error?.message.contains("evil.example") == true)
        #expect(server.requestedURLs == [Server.prmURL, Server.metadataURL])
    }

    @Test("PKCE: a missing code_challenge_methods_supported or one without S256 is refused")
    func pkce() async {
        let absent = Server(metadata: Server.metadataDocument(removing: ["code_challenge_methods_supported"]))
        #expect(await failure(absent)?.message.contains("code_challenge_methods_supported") == true)
        let plainOnly = Server(metadata: Server.metadataDocument(["code_challenge_methods_supported": ["plain"]]))
        #expect(await failure(plainOnly)?.message.contains("S256") == true)
    }

    @Test(
        "endpoints must be https or loopback http; the token endpoint on the issuer's origin",
        arguments: [
            ("authorization_endpoint", "http://auth.example/authorize", false),
            ("token_endpoint", "http://10.0.0.1/token", false),
            ("registration_endpoint", "ftp://auth.example/register", false),
            ("token_endpoint", "https://other.example/token", false),
            ("token_endpoint", "https://auth.example:8443/token", false),
            ("token_endpoint", "https://AUTH.example:443/oauth/token", true),
            ("authorization_endpoint", "http://localhost:9000/authorize", true),
        ])
    func endpoints(_ key: String, _ value: String, _ accepted: Bool) async {
        let server = Server(metadata: Server.metadataDocument([key: .string(value)]))
        let error = await failure(server)
        #expect((error == nil) == accepted)
        if !accepted { #expect(error?.message.contains(key) == true) }
    }

    @Test("an authorization server or resource_metadata URL over plain http is refused before it is fetched")
    func insecureURLs() async {
        let server = Server(resource: [
            "resource": .string(Server.serverURL), "authorization_servers": ["http://auth.example"],
        ])
        #expect(await failure(server)?.code == .failed)
        #expect(server.requestedURLs == [Server.prmURL])
        let challenge = BearerChallenge(header: #"Bearer resource_metadata="http://evil.example/prm""#)
        let second = Server()
        #expect(await failure(second, challenge: challenge)?.code == .failed)
        #expect(second.requestedURLs.isEmpty)
    }

    @Test("non-JSON, a non-200 status or a transport failure is auth.failed")
    func badDocuments() async {
        let notJSON = Server()
        notJSON.route("GET", Server.metadataURL, status: 200, body: "<html>")
        #expect(await failure(notJSON)?.message.contains("not valid JSON") == true)
        let serverError = Server()
        serverError.route("GET", Server.prmURL, status: 500, body: "")
        #expect(await failure(serverError)?.message.contains("500") == true)
        let unreachable = AuthorizationDiscovery { _ in throw HTTPError(.refused, "connection refused") }
        await #expect(throws: OAuthError.self) {
            try await unreachable.discover(serverURL: Server.serverURL, challenge: nil)
        }
        let noServers = Server(resource: ["resource": .string(Server.serverURL), "authorization_servers": []])
        #expect(await failure(noServers)?.message.contains("no authorization server") == true)
    }

    @Test("a server URL at the root has only the root PRM URL")
    func rootServer() async {
        let server = Server()
        _ = await failure(server, url: "https://mcp.example/")
        #expect(server.requestedURLs == ["https://mcp.example/.well-known/oauth-protected-resource"])
    }
}
