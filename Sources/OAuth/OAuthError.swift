import Ed25519

/// Why an OAuth step failed: a stable dotted code and a human message.
///
/// - Important: No message ever holds an access token, refresh token, authorization code, PKCE verifier or
///   client secret; where one must be named, ``OAuthError/fingerprint(_:)`` (a 12-character SHA-256 hex
///   prefix) stands in for it.
public struct OAuthError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable error code (SPEC §9).
    public struct Code: RawRepresentable, Sendable, Hashable {
        /// The dotted identifier, e.g. `auth.failed`.
        public let rawValue: String

        /// Wraps a raw value.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        init(_ rawValue: String) {
            self.rawValue = rawValue
        }

        /// The flow failed: metadata, registration, PKCE, state, `iss`, the token endpoint or the token store.
        public static let failed = Code("auth.failed")
        /// No usable token is stored (and a non-interactive command cannot get one).
        public static let required = Code("auth.required")
        /// The server answered `403` with `error="insufficient_scope"`.
        public static let insufficientScope = Code("auth.insufficient_scope")

        /// Every code this module produces.
        public static let all: [Code] = [failed, required, insufficientScope]
    }

    /// The code; compare on this.
    public let code: Code
    /// A human explanation, free of secrets.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `auth.failed` with `message`.
    static func failed(_ message: String) -> OAuthError {
        OAuthError(.failed, message)
    }

    /// `code: message`.
    public var description: String { "\(code.rawValue): \(message)" }
}

extension OAuthError {
    /// The first 12 hex digits of the SHA-256 of `secret`: the only form in which a token, code, verifier or
    /// secret may appear in a message.
    public static func fingerprint(_ secret: String) -> String {
        "sha256:" + String(SHA256.hexDigest(secret).prefix(12))
    }
}

extension OAuthError {
    /// This error with every one of `secrets` (four characters or longer) in its message replaced by its
    /// ``fingerprint(_:)``: for messages that quote a server's words, which might echo what was sent.
    func redacting(_ secrets: [String]) -> OAuthError {
        var text = message
        for secret in secrets where secret.count >= 4 {
            text = text.replacing(secret, with: Self.fingerprint(secret))
        }
        return OAuthError(code, text)
    }
}
