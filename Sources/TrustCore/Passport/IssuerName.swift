/// Issuer and registry names compared the way SPEC §2.2 prescribes: exact, after lower-casing the scheme
/// and host and dropping one trailing `/`. Nothing else is normalised, so an explicit default port, a
/// different path, or a different case of path is a different issuer.
public enum IssuerName {
    /// The comparison form of `name`.
    public static func normalized(_ name: String) -> String {
        // Fast path: the common, already-normal form (no upper case, no trailing slash) is its own form.
        if !name.utf8.contains(where: { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || $0 >= 0x80 }),
            name.utf8.last != UInt8(ascii: "/")
        {
            return name
        }
        var text = Substring(name)
        if text.hasSuffix("/") { text = text.dropLast() }
        guard let colon = SchemeSeparator.find(in: text.utf8) else { return String(text) }
        let schemeEnd = colon..<text.utf8.index(colon, offsetBy: 3)
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        // Lower-case only the host: keep any user-info and port exactly as written.
        var hostStart = authority.startIndex
        if let at = authority.lastIndex(of: "@") { hostStart = authority.index(after: at) }
        let hostAndPort = authority[hostStart...]
        var hostEnd = hostAndPort.endIndex
        if hostAndPort.hasPrefix("[") {
            if let close = hostAndPort.firstIndex(of: "]") { hostEnd = hostAndPort.index(after: close) }
        } else if let colon = hostAndPort.firstIndex(of: ":") {
            hostEnd = colon
        }
        let host = hostAndPort[..<hostEnd].lowercased()
        let userInfo = String(authority[..<hostStart])
        let port = String(hostAndPort[hostEnd...])
        let tail = String(rest[authorityEnd...])
        return scheme + "://" + userInfo + host + port + tail
    }

    /// True when `left` and `right` name the same issuer.
    public static func same(_ left: String, _ right: String) -> Bool {
        left == right || normalized(left) == normalized(right)
    }
}

/// Finds "://" by bytes: the generic `firstRange(of:)` costs microseconds per call, and verification
/// compares issuer names and surfaces several times per passport.
enum SchemeSeparator {
    /// The index of the ":" of the first "://".
    static func find<Bytes: BidirectionalCollection<UInt8>>(in bytes: Bytes) -> Bytes.Index? {
        var index = bytes.startIndex
        while index != bytes.endIndex {
            if bytes[index] == UInt8(ascii: ":") {
                let second = bytes.index(after: index)
                if second != bytes.endIndex, bytes[second] == UInt8(ascii: "/") {
                    let third = bytes.index(after: second)
                    if third != bytes.endIndex, bytes[third] == UInt8(ascii: "/") { return index }
                }
            }
            index = bytes.index(after: index)
        }
        return nil
    }
}
