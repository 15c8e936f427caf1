/// The canonical form used to compare a protected resource's `resource` with the server URL (SPEC §9 step 1),
/// and to key stored tokens by server.
///
/// The rule, where SPEC and RFC 9728 leave it open: the scheme and host are lowercased, a default port
/// (`:80` for http, `:443` for https) is dropped, a trailing slash is dropped only when the whole path is `/`,
/// and any fragment is dropped. Everything else — the rest of the path (case, trailing slashes, percent
/// escapes) and the query — is compared exactly, so `https://h/mcp` and `https://h/mcp/` are different
/// resources.
public enum CanonicalURL {
    /// The canonical form of `url`; nil unless it is an absolute http(s) URL with a host.
    public static func canonical(_ url: String) -> String? {
        OAuthURL(url)?.canonical
    }

    /// True when both are http(s) URLs with the same canonical form.
    public static func same(_ first: String, _ second: String) -> Bool {
        guard let first = canonical(first), let second = canonical(second) else { return false }
        return first == second
    }
}
