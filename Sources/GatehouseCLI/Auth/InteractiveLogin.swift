import Foundation
import GatehouseHost
import Locking
import MCPClient
import OAuth
import TerminalText
import TrustCore

/// SPEC §9's login, run by the interactive commands (`gatehouse auth login`, the REPL's `login`): discovery,
/// client identity, the prompt (server URL, issuer, scopes, identity status so far), the browser (or the
/// printed URL), the loopback callback — raced, when pasting is allowed, against the redirect URL pasted on
/// stdin — and the token exchange. The token is stored by the OAuth module before this returns.
struct InteractiveLogin {
    /// The server to log in to.
    let entry: ServerEntry
    /// The server's `401`/`403` that asked for it (its `WWW-Authenticate` challenge).
    let failure: MCPClientError
    /// What is known of the server's identity so far, for the prompt.
    let identity: String
    /// `--no-browser`: print the URL and accept the pasted redirect URL.
    var noBrowser = false
    /// Whether a pasted redirect URL is read from stdin (not in the REPL, whose stdin is the line editor).
    var acceptsPaste = true
    /// How long the listener waits (SPEC: at most 300 s).
    var timeout: Double = 300

    /// What a server's status allows (SPEC §9 step 7): no login asked for, a login refused because the
    /// identity evidence was rejected under `enforce` (its deciding reason code), or the login to run.
    enum Start {
        case notAsked
        case refused(code: String, reason: String)
        case ready(InteractiveLogin)
    }

    /// The login `status` allows; the prompt's identity status is its verdict and deciding reason so far.
    static func start(for status: ServerStatus) -> Start {
        guard let failure = status.connectionError, failure.code.isAuthorizationFailure else { return .notAsked }
        let reason = status.reasons.first
        if status.rejectedBeforeLogin {
            return .refused(code: reason?.code.rawValue ?? "passport.rejected", reason: reason?.message ?? "")
        }
        return .ready(InteractiveLogin(entry: status.entry, failure: failure, identity: identity(of: status)))
    }

    /// The prompt's identity status: the server's verdict and deciding reason so far.
    static func identity(of status: ServerStatus) -> String {
        status.reasons.first.map { "\(status.verdict.rawValue) (\($0.code.rawValue))" } ?? status.verdict.rawValue
    }

    /// Runs the login and returns the stored token.
    /// - Throws: ``OAuthError`` (`auth.failed`).
    func run() async throws(OAuthError) -> StoredToken {
        guard let url = entry.url else { throw OAuthError(.failed, "\(entry.name) is not an HTTP server: there is nothing to log in to") }
        let store = OAuthTransport.store
        let flow = LoginFlow(
            serverURL: url, settings: OAuthClientSettings(entry.auth), store: store, fetch: OAuthTransport.fetch, now: OAuthTransport.now
        )
        let challenge = failure.httpHeader("www-authenticate").flatMap(BearerChallenge.init(header:))
        // What is stored already: for a 403 insufficient_scope the scopes held, asked for again with the
        // challenge's (SPEC §9 step 4); the ports the registered clients were given, for the listener.
        let stored = try? store.read()
        let held = failure.code == .insufficientScope ? (stored?.token(forServer: url)?.scopes ?? []) : []
        let listener = try LoopbackListener(preferredPorts: stored?.registeredLoopbackPorts ?? [])
        defer { listener.close() }
        let prepared = try await flow.prepare(challenge: challenge, listener: listener, extraScopes: held)
        let plan = prepared.plan
        let scopes = plan.scopes.isEmpty ? "(none named)" : plan.scopes.joined(separator: " ")
        Console.error("login: \(plan.serverURL) (\(entry.name)) asks for a login at \(plan.issuer), scopes: \(scopes); identity so far: \(identity)")
        let pasting = acceptsPaste && noBrowser
        if noBrowser {
            try BrowserOpener.check(plan.authorizationURL)
            Console.error("login: open this URL in a browser, then paste the address it redirects to here:")
            Console.error("\(plan.authorizationURL)")
        } else {
            switch try BrowserOpener(environment: ProcessInfo.processInfo.environment).open(plan.authorizationURL) {
            case .launched(let program):
                Console.error("login: opened the authorization page with \(program); waiting for the redirect to \(prepared.redirectURI)")
            case .printedOnly:
                Console.error("login: no browser to open; open this URL in a browser:")
                Console.error("\(plan.authorizationURL)")
            }
        }
        let callback = try await Self.firstCallback(listener: listener, timeout: timeout, pasting: pasting)
        return try await flow.complete(prepared, callback: callback)
    }

    /// The loopback listener's callback, or — when `pasting` — the redirect URL pasted on stdin, whichever
    /// comes first (the listener is then closed; a stdin read still blocked ends with the process).
    private static func firstCallback(listener: LoopbackListener, timeout: Double, pasting: Bool) async throws(OAuthError) -> CallbackParameters {
        guard pasting else { return try await listener.waitForCallback(timeout: timeout) }
        let first = FirstCallback()
        let result: Result<CallbackParameters, OAuthError> = await withCheckedContinuation { continuation in
            first.install(continuation)
            PastedRedirect.readInBackground { parameters in
                if first.resume(.success(parameters)) { listener.close() }
            }
            Task {
                do throws(OAuthError) {
                    let parameters = try await listener.waitForCallback(timeout: timeout)
                    first.resume(.success(parameters))
                } catch {
                    first.resume(.failure(error))
                }
            }
        }
        return try result.get()
    }
}
