/// What the login prompt shows before anything happens (SPEC §9 step 7): the server URL, the authorization
/// server's issuer, the scopes; the caller adds the identity status known so far.
public struct LoginPlan: Sendable {
    /// The server being logged in to.
    public let serverURL: String
    /// The authorization server's issuer.
    public let issuer: String
    /// The scopes asked for.
    public let scopes: [String]
    /// The URL to open (already checked as ``BrowserOpener`` requires).
    public let authorizationURL: String
}

/// A login ready for the user: the plan, and the secrets the token request needs (never shown).
public struct PreparedLogin: Sendable, CustomStringConvertible {
    /// What to show and open.
    public let plan: LoginPlan
    /// The PKCE verifier.
    let verifier: String
    /// What the authorization response must match.
    let expectation: CallbackExpectation
    /// The client used.
    let client: TokenEndpoint.Client
    /// The loopback redirect URI sent (the listener's).
    public let redirectURI: String
    /// The RFC 8707 resource.
    let resource: String
    /// Where the code is exchanged.
    let tokenEndpoint: String

    /// The server, issuer and scopes; never the verifier, state or client secret.
    public var description: String {
        "login to \(plan.serverURL) at \(plan.issuer) for scopes [\(plan.scopes.joined(separator: " "))] as client \(client.id)"
    }
}
