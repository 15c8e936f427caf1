/// Where one registry resource comes from: a local file or an HTTP(S) URL (SPEC §2.2).
public enum ResourceLocation: Sendable, Hashable, CustomStringConvertible {
    case file(String)
    case url(String)

    /// Reads a location as written in a profile or on the command line: `https://…` is a URL, `http://…`
    /// is a URL only for a loopback host (a plain-HTTP key source elsewhere could be rewritten in transit),
    /// and anything without a scheme is a file path.
    public static func parse(_ text: String) -> Result<ResourceLocation, RegistryConfigurationError> {
        let lowered = text.lowercased()
        if lowered.hasPrefix("https://") { return .success(.url(text)) }
        if lowered.hasPrefix("http://") {
            guard isLoopbackURL(lowered) else {
                return .failure(
                    RegistryConfigurationError(
                        message: "\(text) uses plain http:// to a host that is not loopback; use https:// or a file"
                    )
                )
            }
            return .success(.url(text))
        }
        if lowered.contains("://") {
            return .failure(RegistryConfigurationError(message: "\(text) is neither an http(s) URL nor a file path"))
        }
        guard !text.isEmpty else { return .failure(RegistryConfigurationError(message: "an empty location")) }
        return .success(.file(text))
    }

    static func isLoopbackURL(_ lowered: String) -> Bool {
        let rest = lowered.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host: Substring
        if authority.hasPrefix("[") {
            host = authority.prefix { $0 != "]" }.dropFirst()
            return host == "::1"
        }
        host = authority.prefix { $0 != ":" }
        if host == "localhost" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    public var description: String {
        switch self {
        case .file(let path): path
        case .url(let url): url
        }
    }
}

/// One trusted registry and where its resources are (SPEC §2.2, §3 `registries`).
public struct RegistryConfiguration: Sendable, Hashable {
    /// The issuer name passports must carry in `iss` (and blocks in `registry`).
    public var issuer: String
    /// The JWKS.
    public var jwks: ResourceLocation
    /// The revocation list; nil means the revocation step is skipped.
    public var revocations: ResourceLocation?
    /// The identity records prefix (`…/api/v1/identities`); `/<id>` is appended.
    public var identities: ResourceLocation?
    /// The verify endpoint, used when an identity record cannot be had.
    public var verify: ResourceLocation?

    /// Creates a configuration with explicit locations.
    public init(
        issuer: String, jwks: ResourceLocation, revocations: ResourceLocation?, identities: ResourceLocation?,
        verify: ResourceLocation?
    ) {
        self.issuer = issuer
        self.jwks = jwks
        self.revocations = revocations
        self.identities = identities
        self.verify = verify
    }

    /// The registry's default locations: `/.well-known/jwks.json`, `/api/v1/revocations`,
    /// `/api/v1/identities/<id>` and `/api/v1/verify` below the issuer.
    public static func defaults(issuer: String) -> RegistryConfiguration {
        let base = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        return RegistryConfiguration(
            issuer: issuer, jwks: .url(base + "/.well-known/jwks.json"), revocations: .url(base + "/api/v1/revocations"),
            identities: .url(base + "/api/v1/identities"), verify: .url(base + "/api/v1/verify")
        )
    }
}

/// A registry entry that cannot be used.
public struct RegistryConfigurationError: Error, Sendable, Hashable {
    /// What is wrong.
    public let message: String
}
