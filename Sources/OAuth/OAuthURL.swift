/// The parts of an `http(s)` URL this module needs, and the URL checks of SPEC §9.
struct OAuthURL: Sendable, Hashable {
    /// Lowercased scheme: `http` or `https`.
    let scheme: String
    /// Lowercased host (an IPv6 literal keeps its brackets).
    let host: String
    /// The explicit port, nil when absent or the scheme's default.
    let port: Int?
    /// The path, possibly empty.
    let path: String
    /// The query without its `?`, nil when absent.
    let query: String?

    /// Parses `text`; nil unless it is an absolute http(s) URL with a host and no user information.
    init?(_ text: String) {
        guard let schemeEnd = text.firstRange(of: "://") else { return nil }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        var rest = text[schemeEnd.upperBound...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let afterAuthority = rest[authorityEnd...]
        guard !authority.contains("@") else { return nil }
        var host = Substring(authority)
        var port: Int?
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            host = authority[..<colon]
            let digits = authority[authority.index(after: colon)...]
            if !digits.isEmpty {
                guard digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let value = Int(digits),
                    value <= 65535
                else {
                    return nil
                }
                port = value
            }
        }
        guard !host.isEmpty else { return nil }
        if (scheme == "http" && port == 80) || (scheme == "https" && port == 443) { port = nil }
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port
        if let question = afterAuthority.firstIndex(of: "?") {
            path = String(afterAuthority[..<question])
            query = String(afterAuthority[afterAuthority.index(after: question)...])
        } else {
            path = String(afterAuthority)
            query = nil
        }
    }

    /// `scheme://host[:port]`.
    var origin: String {
        "\(scheme)://\(host)" + (port.map { ":\($0)" } ?? "")
    }

    /// True for `localhost`, `[::1]` and the dotted-decimal addresses of `127.0.0.0/8`.
    var isLoopback: Bool {
        if host == "localhost" || host == "[::1]" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127"
            && parts.allSatisfy { part in part.count <= 3 && part.allSatisfy(\.isASCII) && UInt8(part) != nil }
    }

    /// True for `https://`, or `http://` on a loopback host: the only endpoints SPEC §9 allows.
    var isSecureEndpoint: Bool {
        scheme == "https" || (scheme == "http" && isLoopback)
    }

    /// The canonical form (see ``CanonicalURL``).
    var canonical: String {
        let canonicalPath = path == "/" ? "" : path
        return origin + canonicalPath + (query.map { "?\($0)" } ?? "")
    }

    /// The path with any terminating `/` removed, for well-known path insertion (RFC 8414 §3.1, RFC 9728 §3.1).
    var insertablePath: String {
        var trimmed = Substring(path)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }

    /// `auth.failed` unless `text` is an https (or loopback http) URL; `what` names it in the message.
    static func endpoint(_ text: String, what: String) throws(OAuthError) -> OAuthURL {
        guard let url = OAuthURL(text), url.isSecureEndpoint else {
            throw .failed("\(what) \(text.prefix(200)) is not an https:// URL (or http:// on loopback)")
        }
        return url
    }
}
