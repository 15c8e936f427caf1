import MCPClient
public import StrictJSON

/// Caps on what one server may list (docs/decisions.md "Caps on tool listings"). A listing past a cap fails
/// with `protocol.limit_exceeded` as soon as the page that passes it arrives, and none of the server's
/// tools is loaded or pinned.
public struct ToolLimits: Sendable, Hashable {
    /// Tools per server: a hundred times the largest real servers (a few hundred tools).
    public var maximumTools = 10_000
    /// Canonical JSON bytes of one tool definition: fifty times a large real one (about 20 KiB with enums).
    public var maximumDefinitionBytes = 1 << 20
    /// Canonical JSON bytes of all of one server's definitions, so that memory stays bounded even when every
    /// tool is just under the per-definition cap.
    public var maximumListingBytes = 32 << 20

    /// The defaults above.
    public init() {}
}

/// One listed tool with its pin, computed once from its canonical JSON.
public struct ListedTool: Sendable {
    /// Its name.
    public let name: String
    /// The tool object as the server sent it.
    public let definition: JSONValue
    /// `sha256:` of its canonical JSON (SPEC §2.7).
    public let pin: String
}

enum ToolListing {
    /// Every page of `tools/list`, checked as it arrives: at most 1000 pages, no repeated cursor, no tool name
    /// twice (`protocol.invalid_message`), and `limits` (`protocol.limit_exceeded`). Entries without a string
    /// `name` are skipped, as before.
    static func list(_ session: MCPSession, limits: ToolLimits) async throws -> [ListedTool] {
        var tools: [ListedTool] = []
        var names = Set<String>()
        var cursors = Set<String>()
        var listingBytes = 0
        var cursor: JSONValue?
        for _ in 0..<1000 {
            var params = JSONObject()
            if let cursor { params["cursor"] = cursor }
            let result = try await session.request("tools/list", params: params)
            guard case .array(let page)? = result["tools"] else {
                throw MCPClientError(.invalidMessage, "tools/list result has no tools array")
            }
            guard tools.count + page.count <= limits.maximumTools else {
                throw MCPClientError(
                    .limitExceeded, "the server lists more than \(limits.maximumTools) tools (\(tools.count + page.count) so far)"
                )
            }
            for definition in page {
                let canonical = JSONSerializer.bytes(definition, style: .canonical)
                let name = definition["name"]?.stringValue
                guard canonical.count <= limits.maximumDefinitionBytes else {
                    throw MCPClientError(
                        .limitExceeded,
                        "the definition of tool \(quoted(name)) is \(canonical.count) bytes, more than \(limits.maximumDefinitionBytes)"
                    )
                }
                listingBytes += canonical.count
                guard listingBytes <= limits.maximumListingBytes else {
                    throw MCPClientError(.limitExceeded, "the server's tool definitions exceed \(limits.maximumListingBytes) bytes")
                }
                guard let name else { continue }
                guard names.insert(name).inserted else {
                    throw MCPClientError(.invalidMessage, "tools/list names the tool \(quoted(name)) twice")
                }
                tools.append(ListedTool(name: name, definition: definition, pin: ToolPin.pin(canonical: canonical)))
            }
            guard let next = result["nextCursor"], next != .null else { return tools }
            let text = JSONSerializer.string(next)
            guard cursors.insert(text).inserted else {
                throw MCPClientError(.invalidMessage, "tools/list repeated cursor \(text.prefix(40))")
            }
            cursor = next
        }
        throw MCPClientError(.invalidMessage, "tools/list returned more than 1000 pages")
    }

    /// A server-chosen name for a message: at most 60 characters, JSON-escaped and quoted.
    private static func quoted(_ name: String?) -> String {
        guard let name else { return "(without a name)" }
        return JSONSerializer.string(.string(String(name.prefix(60)))) + (name.dropFirst(60).isEmpty ? "" : "…")
    }
}
