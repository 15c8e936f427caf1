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

    /// Parses on UTF-8 bytes (Character-level string work made this the slowest part of verification).
    private static func parse(_ text: String, allowQueryAndUserInfo: Bool) -> SurfaceAddress? {
        let bytes = Array(text.utf8)
        guard let separator = SchemeSeparator.find(in: bytes) else { return nil }
        guard let scheme = knownScheme(bytes[0..<separator]) else { return nil }
        let authorityStart = separator + 3
        var end = bytes.count
        if let queryStart = bytes[authorityStart...].firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) {
            guard allowQueryAndUserInfo else { return nil }
            end = queryStart
        }
        let pathStart = bytes[authorityStart..<end].firstIndex(of: UInt8(ascii: "/")) ?? end
        var hostStart = authorityStart
        if let at = bytes[authorityStart..<pathStart].lastIndex(of: UInt8(ascii: "@")) {
            guard allowQueryAndUserInfo else { return nil }
            hostStart = at + 1
        }
        guard let (host, explicitPort) = splitHostAndPort(bytes[hostStart..<pathStart]) else { return nil }
        var port = explicitPort
        if (scheme == "https" && port == 443) || (scheme == "http" && port == 80) { port = nil }
        var pathBytes = bytes[pathStart..<end]
        if pathBytes.last == UInt8(ascii: "/") { pathBytes = pathBytes.dropLast() }
        guard !pathBytes.contains(where: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return nil }
        return SurfaceAddress(scheme: scheme, host: host, port: port, path: String(decoding: pathBytes, as: UTF8.self))
    }

    /// The scheme, lower-cased, when it is one of ``schemes``.
    private static func knownScheme(_ bytes: ArraySlice<UInt8>) -> String? {
        for scheme in schemes where bytes.elementsEqual(scheme.utf8, by: { lowercased($0) == $1 }) {
            return scheme
        }
        return nil
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    private static func splitHostAndPort(_ authority: ArraySlice<UInt8>) -> (String, Int?)? {
        guard !authority.isEmpty else { return nil }
        var host = authority
        var portBytes: ArraySlice<UInt8>?
        let bracketed = authority.first == UInt8(ascii: "[")
        if bracketed {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            host = authority[authority.startIndex...close]
            let after = authority[(close + 1)...]
            if !after.isEmpty {
                guard after.first == UInt8(ascii: ":") else { return nil }
                portBytes = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: UInt8(ascii: ":")) {
            host = authority[authority.startIndex..<colon]
            portBytes = authority[(colon + 1)...]
        }
        if host.last == UInt8(ascii: ".") { host = host.dropLast() }
        guard !host.isEmpty, isAcceptableHost(host, bracketed: bracketed) else { return nil }
        var port: Int?
        if let portBytes {
            guard !portBytes.isEmpty, portBytes.count <= 5,
                portBytes.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                let number = Int(String(decoding: portBytes, as: UTF8.self)), (1...65535).contains(number)
            else { return nil }
            port = number
        }
        let hasUpperCase = host.contains { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
        return (String(decoding: hasUpperCase ? host.map(lowercased)[...] : host, as: UTF8.self), port)
    }

    /// A host has no control characters or spaces, no path, backslash or user-info characters, and (unless an
    /// IPv6 literal) no colon.
    private static func isAcceptableHost(_ host: ArraySlice<UInt8>, bracketed: Bool) -> Bool {
        for byte in host {
            if byte <= 0x20 || byte == 0x7F || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "@") {
                return false
            }
            if byte == UInt8(ascii: ":") && !bracketed { return false }
        }
        return true
    }
}
