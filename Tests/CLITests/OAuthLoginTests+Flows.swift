import Foundation
import StrictJSON
import TestSupport
import Testing

/// More of SPEC §9 end to end, on the same peers as ``OAuthLoginTests``: a Client ID Metadata Document served
/// on loopback, a refresh after a `401` (one-shot and mid-session through `gatehouse proxy`), the REPL's
/// step-up on `403 insufficient_scope`, and a resource server that redirects the bearer request elsewhere.
extension OAuthLoginTests {
    @Test("a Client ID Metadata Document served on loopback is the client: the AS fetches it, nothing is registered")
    func clientMetadataDocument() async throws {
        try await ServerSlots.run {
            let documents = try Repository.temporaryDirectory()
            let site = try await ServerProcess.start(
                try TestServers.python(), ["-m", "http.server", "{port}", "--bind", "127.0.0.1", "--directory", documents]
            )
            defer { site.stop() }
            let documentURL = "http://127.0.0.1:\(site.port)/gatehouse-client.json"
            let document: JSONValue = [
                "client_id": .string(documentURL), "client_name": "Gatehouse (test)",
                "redirect_uris": ["http://127.0.0.1/callback"], "grant_types": ["authorization_code", "refresh_token"],
                "response_types": ["code"], "token_endpoint_auth_method": "none",
            ]
            try Data(JSONSerializer.bytes(document)).write(to: URL(fileURLWithPath: documents + "/gatehouse-client.json"))
            let peer = try await Peer.start("sdk_as.py", ["--no-dcr"], auth: ["clientMetadataUrl": .string(documentURL)])
            defer { peer.server.stop() }
            let login = try await peer.login()
            #expect(login.status == 0, "\(login.stdout) \(login.stderr)")
            #expect(peer.events("cimd_fetched") >= 1 && peer.events("client_registered") == 0, "the document was the client")
            let status = try await peer.run(["auth", "status", "--format", "json"])
            let entry = try #require(try JSONParser().parse(status.stdout)["logins"]?.arrayValue?.first, "\(status.stdout)")
            #expect(entry["clientId"] == .string(documentURL), "\(status.stdout)")
            let call = try await peer.run(["call", "locked", "echo", "text=by document"])
            #expect(call.status == 0 && call.stdout.contains("by document"), "\(call.stderr)")
        }
    }

    @Test("a token revoked at the AS: the 401 is followed by one refresh and the request goes through (one-shot call, and mid-session in the proxy)")
    func refreshAfterRejection() async throws {
        try await ServerSlots.run {
            let revoke = try Repository.temporaryDirectory() + "/revoke"
            let peer = try await Peer.start("sdk_as.py", ["--revoke-file", revoke])
            defer { peer.server.stop() }
            let login = try await peer.login()
            #expect(login.status == 0, "\(login.stdout) \(login.stderr)")
            #expect(FileManager.default.createFile(atPath: revoke, contents: Data()))
            let call = try await peer.run(["call", "locked", "echo", "text=after the revocation"])
            #expect(call.status == 0 && call.stdout.contains("after the revocation"), "\(call.stderr)")
            #expect(peer.events("access_revoked") == 1 && peer.events("token_refreshed") == 1)
            // Mid-session: the proxy's upstream token is revoked between two calls of one host session.
            var environment = ProcessInfo.processInfo.environment
            environment["PROXY_CLIENT_TOUCH"] = revoke
            let output = try await Self.proxyHost(peer, text: "mid-session", environment: environment)
            #expect(output.status == 0, "\(output.stderr)")
            let report = try JSONParser().parse(output.stdout)
            #expect(report["text"] == "mid-session" && report["textAfterTouch"] == "mid-session", "\(output.stdout)")
            #expect(peer.events("access_revoked") == 2 && peer.events("token_refreshed") == 2, "one more refresh, mid-session")
            let secrets = Self.secrets(try peer.stored())
            for secret in secrets { #expect(!output.stdout.contains(secret) && !output.stderr.contains(secret)) }
        }
    }

    /// The SDK's ClientSession driving `gatehouse proxy locked` (proxy_client.py): one call of `echo` with `text`.
    static func proxyHost(_ peer: Peer, text: String, environment: [String: String] = ProcessInfo.processInfo.environment) async throws
        -> ProcessOutput
    {
        // The SDK's stdio_client passes only a few variables (HOME, PATH…) to the server it starts, as hosts do.
        let proxy = [
            "/usr/bin/env", "XDG_STATE_HOME=" + peer.gatehouse.stateHome, try Repository.gatehouseBinary(), "proxy",
            "locked", "--profile", peer.profile, "--trust-store", peer.directory + "/trust.json",
        ]
        return try await ChildProcess.run(
            try TestServers.python(),
            [Repository.root + "/Tests/Scripts/proxy_client.py", "echo", JSONSerializer.string(["text": .string(text)]), "--"] + proxy,
            environment: environment, timeout: 120
        )
    }

    @Test("two gatehouse proxy processes meeting an expired token at once: one refresh at the AS, both serve the call, the rotated refresh token kept")
    func twoProxiesRefresh() async throws {
        try await ServerSlots.run {
            // 33 s: fresh at login, inside the store's 30 s refresh margin 3 s later.
            let peer = try await Peer.start("sdk_as.py", ["--token-ttl", "33"])
            defer { peer.server.stop() }
            let login = try await peer.login()
            #expect(login.status == 0, "\(login.stdout) \(login.stderr)")
            // Real time must pass for a real expiry (this waits for the clock, not for another task).
            try await Task.sleep(for: .seconds(4))
            async let first = Self.proxyHost(peer, text: "first proxy")
            async let second = Self.proxyHost(peer, text: "second proxy")
            let (one, two) = try await (first, second)
            #expect(one.status == 0 && two.status == 0, "\(one.stderr) \(two.stderr)")
            #expect(try JSONParser().parse(one.stdout)["text"] == "first proxy", "\(one.stdout)")
            #expect(try JSONParser().parse(two.stdout)["text"] == "second proxy", "\(two.stdout)")
            #expect(peer.events("token_refreshed") == 1, "one refresh at the AS for two proxies")
            let third = try await peer.run(["call", "locked", "echo", "text=after"])
            #expect(third.status == 0 && third.stdout.contains("after"), "the rotated refresh token was kept: \(third.stderr)")
        }
    }

    @Test("step-up: a call answered 403 insufficient_scope fails with that code outside the REPL; the REPL logs in again for the union of scopes and the call goes through")
    func stepUpOnInsufficientScope() async throws {
        try await ServerSlots.run {
            let peer = try await Peer.start("sdk_as.py", ["--scopes", "mcp", "--step-up-tool", "stepped:admin"])
            defer { peer.server.stop() }
            let login = try await peer.login()
            #expect(login.status == 0, "\(login.stdout) \(login.stderr)")
            let refused = try await peer.run(["call", "locked", "stepped"])
            #expect(refused.status == 3 && refused.stderr.contains("auth.insufficient_scope"), "\(refused.stdout) \(refused.stderr)")
            #expect(peer.events("code_issued") == 1, "no login outside the REPL")
            let repl = try await peer.gatehouse.run(
                ["repl", "--profile", peer.profile, "--trust-store", peer.directory + "/trust.json"],
                input: Data("locked.stepped\nlocked.whoami\nquit\n".utf8), environment: peer.environment
            )
            #expect(repl.status == 0, "\(repl.stdout) \(repl.stderr)")
            #expect(repl.stdout.contains("stepped ok"), "\(repl.stdout) \(repl.stderr)")
            #expect(repl.stdout.contains("admin") && repl.stdout.contains("mcp"), "whoami shows both scopes: \(repl.stdout)")
            #expect(peer.events("code_issued") == 2, "one more authorization, for the union of scopes")
            let after = try await peer.run(["call", "locked", "stepped"])
            #expect(after.status == 0 && after.stdout.contains("stepped ok"), "the new token was stored: \(after.stderr)")
        }
    }

    @Test("the REPL: a server that asks for a login gets a hint at start-up; `login SERVER` runs the flow and reconnects, and its tools answer")
    func replLogin() async throws {
        try await ServerSlots.run {
            let peer = try await Peer.start("sdk_as.py")
            defer { peer.server.stop() }
            // The proxy never starts a login: without a token its host is told auth.required.
            let proxied = try JSONParser().parse(try await Self.proxyHost(peer, text: "no token").stdout)
            #expect(proxied["initializeError"]?["data"]?["gatehouse"]?["code"] == "auth.required", "\(JSONSerializer.string(proxied))")
            #expect(peer.events("code_issued") == 0 && !FileManager.default.fileExists(atPath: peer.directory + "/browser.log"))
            let repl = try await peer.gatehouse.run(
                ["repl", "--profile", peer.profile, "--trust-store", peer.directory + "/trust.json"],
                input: Data("locked.echo text=before\nlogin locked\nlocked.echo text=after-login\nquit\n".utf8), environment: peer.environment
            )
            #expect(repl.status == 0, "\(repl.stdout) \(repl.stderr)")
            let all = repl.stdout + repl.stderr
            #expect(all.contains("login locked"), "the start-up hint names the verb: \(all)")
            #expect(all.contains("auth.required"), "the call before the login is refused: \(all)")
            #expect(repl.stdout.contains("after-login"), "\(all)")
            #expect(!repl.stdout.contains("before\n"), "\(repl.stdout)")
            #expect(peer.events("token_issued") == 1)
            for secret in Self.secrets(try peer.stored()) { #expect(!all.contains(secret), "no secret in the REPL's output") }
        }
    }

    @Test("a resource server that redirects the bearer request to another origin: the redirect is not followed, the token stays home")
    func bearerRequestRedirected() async throws {
        try await ServerSlots.run {
            let peer = try await Peer.start("sdk_as.py", ["--attack", "mcp-redirect"])
            defer { peer.server.stop() }
            let login = try await peer.login()
            #expect(peer.events("token_issued") == 1, "\(login.stdout) \(login.stderr)")
            let call = try await peer.run(["call", "locked", "echo", "text=x"])
            #expect(call.status == 3, "\(call.stdout) \(call.stderr)")
            #expect(call.stderr.contains("307"), "\(call.stderr)")
            #expect(peer.stolen == 0, "a request reached the other origin")
        }
    }
}
