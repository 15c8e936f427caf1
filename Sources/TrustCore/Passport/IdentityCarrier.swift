/// One place a server's identity was found (SPEC §2.1), as extracted by the host.
public struct IdentityCarrier: Sendable, Hashable {
    /// What the carrier held.
    public enum Content: Sendable, Hashable {
        /// An `x-ai-identity` block; each field is nil when absent or not a string.
        case block(id: String?, passport: String?, registry: String?)
        /// A bare token (the `X-AI-Identity` header).
        case token(String)
        /// A well-known document's `identity_id` and `registry`.
        case wellKnown(identityID: String?, registry: String?)
    }

    /// The carrier name as reported: `result._meta`, `http-header`, `well-known`, …
    public let name: String
    /// What it held.
    public let content: Content

    /// Creates a carrier.
    public init(name: String, content: Content) {
        self.name = name
        self.content = content
    }
}
