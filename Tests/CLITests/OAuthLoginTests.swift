import Foundation
import StrictJSON
import TestSupport
import Testing

/// SPEC §9 end to end: `gatehouse auth login` against real authorization servers started on loopback — the
/// official SDK's `mcp.server.auth` (Tests/Scripts/oauth/sdk_as.py) and Authlib (authlib_as.py), each in
/// front of an SDK MCP server that checks the bearer token — with `$BROWSER` a headless user
/// (browser.py) who follows the authorization URL and approves the consent form. Then the stored token
/// reaches the server from `call` and `audit`, is refreshed after expiry (by one process when two race),
/// and each attack is refused with `auth.failed` and nothing sent where it must not go.
///
/// Serialized: each case starts a Python authorization server, several `gatehouse` processes and the browser
/// script; run side by side they starved the suites that check timing bounds on this 2-core machine.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct OAuthLoginTests {
    /// One authorization server + resource server, a profile naming it, and a `gatehouse` with its own state.
    struct Peer {
        let server: ServerProcess
        let directory: String
        let log: String
        let gatehouse: Gatehouse
        let profile: String
        var url: String { "http://127.0.0.1:\(server.port)/mcp" }

        static func start(_ script: String = "sdk_as.py", _ flags: [String] = [], auth: JSONObject? = nil) async throws -> Peer {
            let directory = try Repository.temporaryDirectory()
            let log = directory + "/as.log"
            let server = try await ServerProcess.start(
                try TestServers.python(), [Repository.root + "/Tests/Scripts/oauth/" + script, "--port", "{port}", "--log", log] + flags
            )
            var entry: JSONObject = ["url": .string("http://127.0.0.1:\(server.port)/mcp")]
            if let auth { entry["auth"] = .object(auth) }
            let profile = directory + "/profile.json"
            let document: JSONValue = ["mcpServers": ["locked": .object(entry)], "trust": ["mode": "warn"]]
            try Data(JSONSerializer.bytes(document)).write(to: URL(fileURLWithPath: profile))
            return Peer(server: server, directory: directory, log: log, gatehouse: try Gatehouse(), profile: profile)
        }

        var environment: [String: String] {
            ["BROWSER": Repository.root + "/Tests/Scripts/oauth/browser.py", "GATEHOUSE_BROWSER_LOG": directory + "/browser.log"]
        }

        func run(_ arguments: [String], extra: [String: String] = [:]) async throws -> ProcessOutput {
            try await gatehouse.run(
                arguments + ["--profile", profile, "--trust-store", directory + "/trust.json"],
                environment: environment.merging(extra) { $1 }
            )
        }

        func login(_ extra: [String] = []) async throws -> ProcessOutput {
            try await run(["auth", "login", "locked"] + extra)
        }

        var tokensPath: String { gatehouse.stateHome + "/gatehouse/tokens.json" }

        /// The stored tokens file, parsed.
        func stored() throws -> JSONValue {
            try JSONParser().parse(Array(try Data(contentsOf: URL(fileURLWithPath: tokensPath))))
        }

        /// The log lines of the authorization server whose `event` is `event`.
        func events(_ event: String) -> Int {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").filter { $0.contains("\"event\": \"\(event)\"") || $0.contains("\"event\":\"\(event)\"") }.count
        }

        /// Log lines of requests that reached the stealing listener.
        var stolen: Int {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").filter { $0.contains("\"who\": \"steal\"") || $0.contains("\"who\":\"steal\"") }.count
        }
    }

    /// Every secret the store holds, to look for in outputs.
    static func secrets(_ stored: JSONValue) -> [String] {
        var found: [String] = []
        func walk(_ value: JSONValue) {
            switch value {
            case .object(let object):
                for (key, member) in object {
                    if ["accessToken", "refreshToken", "clientSecret", "access_token", "refresh_token", "client_secret"].contains(key),
                        case .string(let secret) = member
                    {
                        found.append(secret)
                    }
                    walk(member)
                }
            case .array(let array): array.forEach(walk)
            default: break
            }
        }
        walk(stored)
        return found
    }

    @Test("DCR login against the SDK's authorization server: token stored 0600, used by call and audit, status shows no token, logout makes audit auth.required (exit 3)")
    func dynamicRegistration() async throws {
        try await ServerSlots.run {
            let peer = try await Peer.start()
            defer { peer.server.stop() }
            let login = try await peer.login()
            #expect(login.status == 0, "\(login.stdout) \(login.stderr)")
            #expect(login.stderr.contains("http://127.0.0.1:\(peer.server.port)"), "the prompt names the issuer: \(login.stderr)")
            #expect(peer.events("client_registered") == 1)
            let mode = try FileManager.default.attributesOfItem(atPath: peer.tokensPath)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            let secrets = Self.secrets(try peer.stored())
            #expect(!secrets.isEmpty)

            let call = try await peer.run(["call", "locked", "echo", "text=through-oauth"])
            #expect(call.status == 0, "\(call.stdout) \(call.stderr)")
            #expect(call.stdout.contains("through-oauth"))
            let audit = try await peer.run(["audit", "--format", "json"])
            #expect(audit.status == 0, "\(audit.stdout.prefix(400)) \(audit.stderr)")
            let status = try await peer.run(["auth", "status", "--format", "json"])
            #expect(status.status == 0)
            let logins = try #require(try JSONParser().parse(status.stdout)["logins"]?.arrayValue)
            #expect(logins.count == 1)
            #expect(logins.first?["server"] == "locked")
            #expect(logins.first?["issuer"]?.stringValue?.hasPrefix("http://127.0.0.1:\(peer.server.port)") == true)
            for output in [login, call, audit, status] {
                for secret in secrets { #expect(!(output.stdout + output.stderr).contains(secret), "a secret leaked into an output") }
            }

            let logout = try await peer.run(["auth", "logout", "locked"])
            #expect(logout.status == 0, "\(logout.stderr)")
            let after = try await peer.run(["audit", "--format", "json"])
            #expect(after.status == 3)
            #expect(after.stdout.contains("auth.required"), "\(after.stdout.prefix(400))")
        }
    }

    @Test("protected resource metadata by header, by the path-inserted and by the root well-known URL; AS metadata by RFC 8414 and by OpenID discovery", arguments: [
        ["--prm-mode", "header"], ["--prm-mode", "path"], ["--prm-mode", "root"], ["--as-discovery", "openid"],
    ])
    func discoveryModes(flags: [String]) async throws {
        try await ServerSlots.run {
            let peer = try await Peer.start("sdk_as.py", flags)
            defer { peer.server.stop() }
            let login = try await peer.login()
            #expect(login.status == 0, "\(flags): \(login.stdout) \(login.stderr)")
            let call = try await peer.run(["call", "locked", "echo", "text=found"])
            #expect(call.status == 0 && call.stdout.contains("found"), "\(flags): \(call.stderr)")
        }
    }

    @Test("a pre-registered confidential client (auth.clientId + clientSecret) logs in without registering; Authlib's server too")
    func preRegistered() async throws {
        try await ServerSlots.run {
            let peer = try await Peer.start("sdk_as.py", ["--client", "gatehouse-fixed:s3cret-value-1234"],
                                            auth: ["clientId": "gatehouse-fixed", "clientSecret": "s3cret-value-1234"])
            defer { peer.server.stop() }
            let login = try await peer.login()
            #expect(login.status == 0, "\(login.stdout) \(login.stderr)")
            #expect(peer.events("client_registered") == 0)
            #expect(!(login.stdout + login.stderr).contains("s3cret-value-1234"))
            let call = try await peer.run(["call", "locked", "echo", "text=fixed"])
            #expect(call.status == 0 && call.stdout.contains("fixed"), "\(call.stderr)")

            let authlib = try await Peer.start("authlib_as.py")
            defer { authlib.server.stop() }
            let second = try await authlib.login()
            #expect(second.status == 0, "authlib: \(second.stdout) \(second.stderr)")
            let through = try await authlib.run(["call", "locked", "echo", "text=authlib"])
            #expect(through.status == 0 && through.stdout.contains("authlib"), "\(through.stderr)")
        }
    }

    @Test("an expired token is refreshed, not sent; two processes refreshing at once make one refresh at the AS and both work; the rotated refresh token is kept")
    func refreshAfterExpiry() async throws {
        try await ServerSlots.run {
            // 33 s: fresh at login, inside the store's 30 s refresh margin 3 s later.
            let peer = try await Peer.start("sdk_as.py", ["--token-ttl", "33"])
            defer { peer.server.stop() }
            let login = try await peer.login()
            #expect(login.status == 0, "\(login.stdout) \(login.stderr)")
            let before = Self.secrets(try peer.stored())
            #expect(peer.events("token_refreshed") == 0)
            // Real time must pass for a real expiry (this waits for the clock, not for another task).
            try await Task.sleep(for: .seconds(4))
            async let first = peer.run(["call", "locked", "echo", "text=one"])
            async let second = peer.run(["call", "locked", "echo", "text=two"])
            let (one, two) = try await (first, second)
            #expect(one.status == 0 && one.stdout.contains("one"), "\(one.stderr)")
            #expect(two.status == 0 && two.stdout.contains("two"), "\(two.stderr)")
            #expect(peer.events("token_refreshed") == 1, "one refresh at the AS for two processes")
            let after = Self.secrets(try peer.stored())
            #expect(!after.isEmpty && Set(after).isDisjoint(with: Set(before)), "both tokens rotated")
            let third = try await peer.run(["call", "locked", "echo", "text=three"])
            #expect(third.status == 0 && third.stdout.contains("three"), "the rotated refresh token was kept: \(third.stderr)")
        }
    }

    @Test("attacks are refused with auth.failed and nothing is sent where it must not go", arguments: [
        "prm-other-resource", "no-s256", "wrong-iss", "bad-state", "token-redirect", "other-origin-token",
    ])
    func attacks(knob: String) async throws {
        try await ServerSlots.run {
            let peer = try await Peer.start("sdk_as.py", ["--attack", knob])
            defer { peer.server.stop() }
            let login = try await peer.login()
            #expect(login.status == 3, "\(knob): \(login.stdout) \(login.stderr)")
            #expect(login.stderr.contains("auth.failed"), "\(knob): \(login.stderr)")
            #expect(peer.stolen == 0, "\(knob): a request reached another origin")
            #expect(peer.events("token_issued") == 0 || knob == "token-redirect", "\(knob): no token was issued")
            let stored = FileManager.default.fileExists(atPath: peer.tokensPath) ? try peer.stored()["tokens"]?.arrayValue ?? [] : []
            #expect(stored.isEmpty, "\(knob): no token stored")
        }
    }

    @Test("identity first: a 401 carrying a passport that fails under enforce opens no browser and starts no login; the verdict and code are reported")
    func identityFirst() async throws {
        try await ServerSlots.run {
            // A passport whose header segment is not base64url: the verifier's own verdict decides (rejected).
            let peer = try await Peer.start("sdk_as.py", ["--identity-header", "not.a.jwt"])
            defer { peer.server.stop() }
            let enforce = peer.directory + "/enforce.json"
            let document: JSONValue = ["mcpServers": ["locked": ["url": .string(peer.url)]], "trust": ["mode": "enforce"]]
            try Data(JSONSerializer.bytes(document)).write(to: URL(fileURLWithPath: enforce))
            let login = try await peer.gatehouse.run(
                ["auth", "login", "locked", "--profile", enforce, "--trust-store", peer.directory + "/trust.json"], environment: peer.environment
            )
            #expect(login.status == 1, "\(login.stdout) \(login.stderr)")
            #expect(login.stdout.contains("rejected") && login.stderr.contains("passport.malformed"), "\(login.stdout) \(login.stderr)")
            #expect(!FileManager.default.fileExists(atPath: peer.directory + "/browser.log"), "no browser was opened")
            #expect(peer.events("code_issued") == 0 && peer.events("client_registered") == 0, "nothing reached the authorization server")
            let audit = try await peer.gatehouse.run(
                ["audit", "--profile", enforce, "--format", "json", "--trust-store", peer.directory + "/trust.json"]
            )
            let entry = try #require(try JSONParser().parse(audit.stdout)["servers"]?.arrayValue?.first)
            #expect(entry["trust"]?["verdict"] == "rejected", "\(audit.stdout.prefix(500))")
            // The same server under warn: the evidence is shown, and the login goes ahead.
            let login2 = try await peer.login()
            #expect(login2.status == 0, "\(login2.stdout) \(login2.stderr)")
            #expect(login2.stderr.contains("identity so far"), "\(login2.stderr)")
        }
    }

    @Test("--no-browser in a terminal without a display: the URL is printed, and pasting the redirect address completes the login")
    func pastedRedirect() async throws {
        try await ServerSlots.run {
            let peer = try await Peer.start()
            defer { peer.server.stop() }
            let binary = try Repository.gatehouseBinary()
            let command = "env -u DISPLAY -u WAYLAND_DISPLAY -u BROWSER XDG_STATE_HOME=\(peer.gatehouse.stateHome) NO_COLOR=1 "
                + "\(binary) auth login locked --no-browser --profile \(peer.profile) --trust-store \(peer.directory)/trust.json; "
                + "echo EXIT=$?; sleep 30"
            let terminal = try await Terminal(command)
            try await terminal.waitFor("paste the address it redirects to here")
            let screen = try await terminal.joinedScreen()
            let lines = screen.split(separator: "\n").map(String.init)
            let index = try #require(lines.firstIndex { $0.contains("paste the address it redirects to here") })
            let url = try #require(lines.dropFirst(index + 1).first { $0.hasPrefix("http://127.0.0.1:") })
            // The user's browser on another machine: it approves and shows the redirect address instead of following it.
            let redirectFile = peer.directory + "/redirect.txt"
            let browser = try await ChildProcess.run(
                try TestServers.python(), [Repository.root + "/Tests/Scripts/oauth/browser.py", url],
                environment: ProcessInfo.processInfo.environment.merging(
                    ["GATEHOUSE_BROWSER_PRINT_REDIRECT": "1", "GATEHOUSE_BROWSER_REDIRECT_FILE": redirectFile]
                ) { $1 }
            )
            #expect(browser.status == 0, "\(browser.stderr)")
            let redirect = try String(contentsOfFile: redirectFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(redirect.contains("/callback?"))
            try await terminal.type(redirect)
            try await terminal.send("Enter")
            let done = try await terminal.waitFor { $0.contains("EXIT=") }
            #expect(done.contains("EXIT=0"), "\(done)")
            let call = try await peer.run(["call", "locked", "echo", "text=pasted"])
            #expect(call.status == 0 && call.stdout.contains("pasted"), "\(call.stderr)")
        }
    }
}
