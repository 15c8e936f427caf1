import Ed25519
public import StrictJSON

/// Tool pins (SPEC §2.7): `sha256:` and the lowercase hex SHA-256 of the RFC 8785 canonical JSON of the
/// whole tool object as the server sent it.
public enum ToolPin {
    /// The pin of `tool`.
    public static func pin(_ tool: JSONValue) -> String {
        pin(canonical: JSONSerializer.bytes(tool, style: .canonical))
    }

    /// The pin of a tool whose canonical JSON is `canonical`.
    public static func pin(canonical: [UInt8]) -> String {
        "sha256:" + SHA256.hexDigest(canonical)
    }
}

/// How a tool compares with the trust store.
public enum PinState: String, Sendable, Hashable {
    /// First sight of the server: pinned now and loaded.
    case new
    /// Unchanged since pinned.
    case pinned
    /// Its definition differs from the pin: quarantined, with a diff.
    case changed
    /// The server is known but did not offer this tool before: quarantined until accepted.
    case added
}
