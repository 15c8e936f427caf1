/// An endpoint or surface in the canonical form of SPEC §2.5.
///
/// The scheme is `mcp`, `https` or `http` and takes no part in matching; the host is lower-cased with a
/// trailing dot removed; the port is dropped when it is the scheme's default (443 for `https`, 80 for
/// `http`; `mcp` has none); the path loses a trailing `/` and keeps its case. Query and fragment are not
/// part of an endpoint's identity and make a surface invalid.
public struct SurfaceAddress: Sendable, Hashable, CustomStringConvertible {
    /// `mcp`, `https` or `http`.
    public let scheme: String
    /// Lower-cased host without a trailing dot; IPv6 literals keep their brackets.
    public let host: String
    /// An explicit, non-default port.
    public let port: Int?
    /// The path without a trailing `/`; empty for the root.
    public let path: String

    /// The schemes a surface or endpoint may use.
    public static let schemes: Set<String> = ["mcp", "https", "http"]

    /// Parses a surface written in a passport or profile (query, fragment and user-info make it invalid).
    public static func surface(_ text: String) -> SurfaceAddress? {
        parse(text, allowQueryAndUserInfo: false)
    }

    /// Parses the URL a client connects to (query, fragment and user-info are dropped).
    public static func endpoint(_ text: String) -> SurfaceAddress? {
        parse(text, allowQueryAndUserInfo: true)
    }

    /// The canonical text, e.g. `mcp://tools.example.com/sse`.
    public var description: String {
        scheme + "://" + host + (port.map { ":\($0)" } ?? "") + path
    }

    /// The port a connection to this endpoint uses, when it is known.
    public var effectivePort: Int? {
        if let port { return port }
        switch scheme {
        case "https": return 443
        case "http": return 80
        default: return nil
        }
    }

    /// True for `localhost`, 127.0.0.0/8 and `[::1]`.
    public var isLoopback: Bool {
        if host == "localhost" || host == "[::1]" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// True when this surface covers `endpoint` (SPEC §2.5): same host; a surface without a port covers
    /// the endpoint's default port, an explicit one must equal the endpoint's; a surface path covers itself
    /// and what lies below it at a segment boundary. No implicit subdomains.
    public func covers(_ endpoint: SurfaceAddress) -> Bool {
        guard host == endpoint.host else { return false }
        if let port {
            guard endpoint.effectivePort == port else { return false }
        } else {
            guard endpoint.port == nil else { return false }
        }
        if path.isEmpty { return true }
        return endpoint.path == path || endpoint.path.hasPrefix(path + "/")
    }

    private static func parse(_ text: String, allowQueryAndUserInfo: Bool) -> SurfaceAddress? {
        guard let separator = SchemeSeparator.find(in: text) else { return nil }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard schemes.contains(scheme) else { return nil }
        var rest = text[separator.upperBound...]
        if let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            guard allowQueryAndUserInfo else { return nil }
            rest = rest[..<end]
        }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        if let at = authority.lastIndex(of: "@") {
            guard allowQueryAndUserInfo else { return nil }
            authority = authority[authority.index(after: at)...]
        }
        guard let (host, explicitPort) = splitHostAndPort(authority) else { return nil }
        var port = explicitPort
        if (scheme == "https" && port == 443) || (scheme == "http" && port == 80) { port = nil }
        if path.hasSuffix("/") { path.removeLast() }
        guard !path.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) else { return nil }
        return SurfaceAddress(scheme: scheme, host: host, port: port, path: path)
    }

    private static func splitHostAndPort(_ authority: Substring) -> (String, Int?)? {
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[...close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portText = after.dropFirst()
            }
        } else {
            host = authority
            if let colon = authority.lastIndex(of: ":") {
                host = authority[..<colon]
                portText = authority[authority.index(after: colon)...]
            }
        }
        if host.hasSuffix(".") { host = host.dropLast() }
        guard !host.isEmpty, !host.contains(where: { $0 == ":" && !authority.hasPrefix("[") }),
            host.allSatisfy({ !$0.isWhitespace && $0 != "/" && $0 != "\\" })
        else { return nil }
        var port: Int?
        if let portText {
            guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy(\.isASCII),
                let number = Int(portText), (1...65535).contains(number)
            else { return nil }
            port = number
        }
        return (host.lowercased(), port)
    }
}
