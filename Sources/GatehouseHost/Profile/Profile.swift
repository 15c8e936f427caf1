/// Profiles merged: registries, trust settings, servers, and the problems found (bad entries are skipped).
public struct Profile: Sendable {
    /// The files read, in order.
    public var files: [String] = []
    /// Trusted registries (the public registry when no profile names any).
    public var registries: [RegistryConfiguration] = []
    /// The global trust settings.
    public var trust = TrustSettings()
    /// Servers by name, in first-seen order.
    public var servers: [ServerEntry] = []
    /// Problems: each names the file, server and field.
    public var problems: [ProfileProblem] = []

    /// Creates an empty profile.
    public init() {}

    /// The trusted issuers.
    public var trustedIssuers: [String] { registries.map(\.issuer) }

    /// The server named `name`.
    public func server(named name: String) -> ServerEntry? {
        servers.first { $0.name == name }
    }
}
