import GatehouseHost
import MCPClient
import StrictJSON

/// Resources, resource templates, prompts and completions under `gatehouse proxy --all` (SPEC §8): every
/// loaded server's, through ``HostSession/content(_:server:)`` (the load gate), names kept except where two
/// servers collide, where each is prefixed `SERVER` + separator like a tool.
struct ProxyAllContent {
    let host: HostSession
    let separator: String

    /// A listing: its method, the host's content request, the result's key and the item's identifying member.
    enum Kind: CaseIterable {
        case resources, templates, prompts

        var resultKey: String {
            switch self {
            case .resources: "resources"
            case .templates: "resourceTemplates"
            case .prompts: "prompts"
            }
        }
        var nameKey: String {
            switch self {
            case .resources: "uri"
            case .templates: "uriTemplate"
            case .prompts: "name"
            }
        }
        var capability: String { self == .prompts ? "prompts" : "resources" }
        var request: HostSession.ContentRequest {
            switch self {
            case .resources: .listResources
            case .templates: .listResourceTemplates
            case .prompts: .listPrompts
            }
        }
    }

    /// One exposed item: the name the host sees, its server, and the server's own name for it.
    struct Exposed {
        let name: String
        let server: String
        let original: String
        let item: JSONObject
    }

    /// The loaded servers that declare `capability`, in profile order.
    func servers(declaring capability: String) async -> [String] {
        var names: [String] = []
        for entry in await host.profile.servers {
            guard let status = await host.servers[entry.name], status.loaded, status.handshake?.capabilities?[capability] != nil else { continue }
            names.append(entry.name)
        }
        return names
    }

    /// Every loaded server's items of `kind`, with colliding names prefixed. A server whose listing fails
    /// contributes nothing.
    func exposed(_ kind: Kind) async -> [Exposed] {
        var listed: [(server: String, item: JSONObject, name: String)] = []
        for server in await servers(declaring: kind.capability) {
            guard let result = try? await host.content(kind.request, server: server) else { continue }
            for item in result[kind.resultKey]?.arrayValue ?? [] {
                guard let object = item.objectValue, let name = object[kind.nameKey]?.stringValue else { continue }
                listed.append((server, object, name))
            }
        }
        var owners: [String: Set<String>] = [:]
        for entry in listed { owners[entry.name, default: []].insert(entry.server) }
        return listed.map { entry in
            let name = (owners[entry.name]?.count ?? 0) > 1 ? entry.server + separator + entry.name : entry.name
            var item = entry.item
            item[kind.nameKey] = .string(name)
            return Exposed(name: name, server: entry.server, original: entry.name, item: item)
        }
    }

    /// `resources/list`, `resources/templates/list` or `prompts/list`.
    func list(_ kind: Kind) async -> JSONValue {
        [kind.resultKey: .array(await exposed(kind).map { .object($0.item) })]
    }

    /// The server and its own URI for a URI the host read: a listed resource, a `SERVER` + separator
    /// prefix, or the one server whose template's literal start matches.
    func owner(ofURI uri: String) async -> (server: String, uri: String)? {
        if let listed = await exposed(.resources).first(where: { $0.name == uri }) { return (listed.server, listed.original) }
        for server in await servers(declaring: "resources") where uri.hasPrefix(server + separator) {
            return (server, String(uri.dropFirst(server.count + separator.count)))
        }
        let matching = Set(await exposed(.templates).filter { template in
            let literal = template.original.prefix { $0 != "{" }
            return !literal.isEmpty && uri.hasPrefix(literal)
        }.map(\.server))
        guard matching.count == 1, let server = matching.first else { return nil }
        return (server, uri)
    }

    /// Runs `resources/read`, `prompts/get` or `completion/complete` on the server that owns its name.
    func answer(_ method: String, _ params: JSONValue?) async -> Result<JSONValue, RPCErrorObject> {
        var params = params?.objectValue ?? JSONObject()
        let server: String
        let request: HostSession.ContentRequest
        switch method {
        case "resources/read":
            guard let owner = await owner(ofURI: params["uri"]?.stringValue ?? "") else { return .failure(Self.unknown("resource", params["uri"])) }
            (server, request) = (owner.server, .readResource(uri: owner.uri))
        case "prompts/get":
            guard let owner = await exposed(.prompts).first(where: { $0.name == params["name"]?.stringValue }) else {
                return .failure(Self.unknown("prompt", params["name"]))
            }
            (server, request) = (owner.server, .getPrompt(name: owner.original, arguments: ProxyHandshake.promptArguments(.object(params))))
        default:
            guard var reference = params["ref"]?.objectValue else { return .failure(Self.unknown("reference", nil)) }
            if reference["type"]?.stringValue == "ref/prompt" {
                guard let owner = await exposed(.prompts).first(where: { $0.name == reference["name"]?.stringValue }) else {
                    return .failure(Self.unknown("prompt", reference["name"]))
                }
                reference["name"] = .string(owner.original)
                server = owner.server
            } else {
                guard let owner = await exposed(.templates).first(where: { $0.name == reference["uri"]?.stringValue }) else {
                    return .failure(Self.unknown("resource template", reference["uri"]))
                }
                reference["uri"] = .string(owner.original)
                server = owner.server
            }
            params["ref"] = .object(reference)
            request = .complete(params)
        }
        do {
            return .success(try await host.content(request, server: server))
        } catch {
            return .failure(ProxyErrors.upstream(error))
        }
    }

    private static func unknown(_ what: String, _ name: JSONValue?) -> RPCErrorObject {
        RPCErrorObject(code: -32602, message: "gatehouse: no exposed \(what) \(name?.stringValue ?? "")", data: nil)
    }
}
