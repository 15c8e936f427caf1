import MCPClient
import StrictJSON

extension EntryReader {
    static let serverKeys: Set<String> = [
        "command", "args", "env", "cwd", "url", "serverUrl", "httpUrl", "type", "transport", "headers", "trust",
        "timeouts", "disabled", "description", "name", "envFile", "alwaysAllow", "autoApprove", "timeout", "auth",
    ]

    /// One server entry; nil for a disabled one.
    func readServer(name: String, _ value: JSONValue) throws(ProfileProblem) -> ServerEntry? {
        guard !name.isEmpty, !name.contains("."), !name.contains(where: \.isWhitespace) else {
            throw problem(name, nil, "a server name may not be empty or contain dots or spaces (tools are named server.tool)")
        }
        guard case .object(let object) = value else { throw problem(name, nil, "is not an object") }
        if object["disabled"] == true { return nil }
        for key in object.keys where !Self.serverKeys.contains(key) {
            throw problem(name, key, "is not a server setting")
        }
        let trust = try object["trust"].map { value throws(ProfileProblem) in try readServerTrust(value, server: name) } ?? ServerTrust()
        var timeouts = Timeouts()
        if let value = object["timeouts"] {
            guard case .object(let limits) = value else { throw problem(name, "timeouts", "is not an object") }
            for (key, limit) in limits {
                switch key {
                case "connect": timeouts.connect = try seconds(limit, server: name, field: "timeouts.connect")
                case "call": timeouts.call = try seconds(limit, server: name, field: "timeouts.call")
                case "max": timeouts.maximum = try seconds(limit, server: name, field: "timeouts.max")
                case "shutdown": timeouts.shutdown = try seconds(limit, server: name, field: "timeouts.shutdown")
                default: throw problem(name, "timeouts.\(key)", "is not connect, call, max or shutdown")
                }
            }
        }
        var entry = ServerEntry(
            name: name, source: file, transport: try transport(object, name: name), trust: trust, timeouts: timeouts,
            endpoint: EndpointText.endpoint(object)
        )
        if let value = object["auth"] { entry.auth = try readAuth(value, server: name) }
        return entry
    }

    /// `auth`: `false`, `true`, or `{clientId, clientSecret, clientMetadataUrl, scopes}` (SPEC §9).
    private func readAuth(_ value: JSONValue, server name: String) throws(ProfileProblem) -> ServerAuth {
        var auth = ServerAuth()
        switch value {
        case .bool(let enabled):
            auth.enabled = enabled
        case .object(let object):
            for (key, member) in object {
                switch key {
                case "clientId": auth.clientID = try string(member, server: name, field: "auth.clientId")
                case "clientSecret": auth.clientSecret = try string(member, server: name, field: "auth.clientSecret")
                case "clientMetadataUrl": auth.clientMetadataURL = try string(member, server: name, field: "auth.clientMetadataUrl")
                case "scopes":
                    guard case .array(let items) = member, let scopes = Optional(items.compactMap(\.stringValue)), scopes.count == items.count else {
                        throw problem(name, "auth.scopes", "is not an array of strings")
                    }
                    auth.scopes = scopes
                default: throw problem(name, "auth.\(key)", "is not clientId, clientSecret, clientMetadataUrl or scopes")
                }
            }
        default:
            throw problem(name, "auth", "is not false or an object")
        }
        return auth
    }

    private func transport(_ object: JSONObject, name: String) throws(ProfileProblem) -> ServerTransport {
        let type = try object["type"].map { value throws(ProfileProblem) in try string(value, server: name, field: "type") }
            ?? object["transport"].flatMap(\.stringValue)
        let urlKey = ["httpUrl", "url", "serverUrl"].first { object[$0] != nil }
        if let command = object["command"] {
            guard urlKey == nil else { throw problem(name, "command", "a server has a command or a URL, not both") }
            guard type == nil || type == "stdio" else { throw problem(name, "type", "\"\(type ?? "")\" does not go with a command") }
            return .stdio(try launch(command, object, name: name))
        }
        guard let urlKey, let urlValue = object[urlKey] else {
            throw problem(name, nil, "needs a command (stdio) or a url (HTTP)")
        }
        let url = try string(urlValue, server: name, field: urlKey)
        let lowered = url.lowercased()
        guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://") else {
            throw problem(name, urlKey, "\"\(url.prefix(60))\" is not an http(s) URL")
        }
        let headers = try stringMap(object["headers"], name: name, field: "headers")
        switch type?.lowercased() {
        case "sse": return .legacySSE(url: url, headers: headers)
        case nil, "http", "streamable-http", "streamablehttp", "streamable_http": return .streamableHTTP(url: url, headers: headers)
        case let other?: throw problem(name, "type", "\"\(other)\" is not stdio, http, streamable-http or sse")
        }
    }

    private func launch(_ command: JSONValue, _ object: JSONObject, name: String) throws(ProfileProblem) -> LaunchSpecification {
        let program = try string(command, server: name, field: "command")
        guard !program.isEmpty else { throw problem(name, "command", "is empty") }
        var arguments: [String] = []
        if let value = object["args"] {
            guard case .array(let list) = value else { throw problem(name, "args", "is not an array of strings") }
            for (index, argument) in list.enumerated() {
                arguments.append(try string(argument, server: name, field: "args[\(index)]"))
            }
        }
        let environment = try stringMap(object["env"], name: name, field: "env")
        let directory = try object["cwd"].map { value throws(ProfileProblem) in try string(value, server: name, field: "cwd") }
        return LaunchSpecification(command: program, arguments: arguments, environment: environment, workingDirectory: directory)
    }

    private func stringMap(_ value: JSONValue?, name: String, field: String) throws(ProfileProblem) -> [String: String] {
        guard let value else { return [:] }
        guard case .object(let object) = value else { throw problem(name, field, "is not an object of strings") }
        var map: [String: String] = [:]
        for (key, member) in object { map[key] = try string(member, server: name, field: "\(field).\(key)") }
        return map
    }
}
