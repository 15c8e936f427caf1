import StrictJSON

/// The JSON form of the token store: `{"version": 1, "tokens": […], "clients": […]}`.
enum TokenStoreCodec {
    /// Serialises `contents` (pretty, so that a person can read the file).
    static func encode(_ contents: TokenStoreContents) -> [UInt8] {
        let document: JSONValue = [
            "version": 1,
            "tokens": .array(contents.tokens.map(encode)),
            "clients": .array(contents.clients.map(encode)),
        ]
        return JSONSerializer.bytes(document, style: .pretty) + [0x0A]
    }

    /// Reads a store document; nil (with the reason) when it is not one.
    static func decode(_ bytes: [UInt8]) -> Result<TokenStoreContents, Reason> {
        let document: JSONValue
        do {
            document = try JSONParser(maximumDepth: 16, maximumBytes: TokenStore.maximumBytes).parse(bytes)
        } catch {
            // Only the offset: the parser's message may quote the file, which holds secrets.
            return .failure(Reason(text: "it is not valid JSON (at byte \(error.offset))"))
        }
        guard let object = document.objectValue, object["version"]?.numberValue?.int64Value == 1 else {
            return .failure(Reason(text: "it is not a version 1 token store object"))
        }
        var contents = TokenStoreContents()
        for (index, entry) in (object["tokens"]?.arrayValue ?? []).enumerated() {
            guard let token = decodeToken(entry) else {
                return .failure(Reason(text: "tokens[\(index)] is incomplete"))
            }
            contents.tokens.append(token)
        }
        for (index, entry) in (object["clients"]?.arrayValue ?? []).enumerated() {
            guard let client = decodeClient(entry) else {
                return .failure(Reason(text: "clients[\(index)] is incomplete"))
            }
            contents.clients.append(client)
        }
        return .success(contents)
    }

    /// Why a file is not a token store (never quoting it).
    struct Reason: Error {
        let text: String
    }

    private static func encode(_ token: StoredToken) -> JSONValue {
        var object: JSONObject = [
            "serverURL": .string(token.serverURL), "issuer": .string(token.issuer), "resource": .string(token.resource),
            "tokenEndpoint": .string(token.tokenEndpoint), "clientId": .string(token.clientId),
            "tokenEndpointAuthMethod": .string(token.tokenEndpointAuthMethod),
            "accessToken": .string(token.accessToken),
            "tokenType": .string(token.tokenType), "scopes": .array(token.scopes.map { .string($0) }),
            "obtainedAt": number(token.obtainedAt),
        ]
        if let secret = token.clientSecret { object["clientSecret"] = .string(secret) }
        if let refresh = token.refreshToken { object["refreshToken"] = .string(refresh) }
        if let expiresAt = token.expiresAt { object["expiresAt"] = number(expiresAt) }
        return .object(object)
    }

    private static func encode(_ client: StoredClient) -> JSONValue {
        var object: JSONObject = [
            "issuer": .string(client.issuer), "clientId": .string(client.clientId),
            "redirectURIs": .array(client.redirectURIs.map { .string($0) }), "kind": .string(client.kind),
        ]
        if let secret = client.clientSecret { object["clientSecret"] = .string(secret) }
        return .object(object)
    }

    private static func number(_ value: Double) -> JSONValue {
        JSONNumber(value).map { .number($0) } ?? .null
    }

    private static func decodeToken(_ value: JSONValue) -> StoredToken? {
        guard let serverURL = value["serverURL"]?.stringValue, let issuer = value["issuer"]?.stringValue,
            let resource = value["resource"]?.stringValue, let tokenEndpoint = value["tokenEndpoint"]?.stringValue,
            let clientId = value["clientId"]?.stringValue, let accessToken = value["accessToken"]?.stringValue,
            let obtainedAt = value["obtainedAt"]?.numberValue?.doubleValue
        else { return nil }
        return StoredToken(
            serverURL: serverURL, issuer: issuer, resource: resource, tokenEndpoint: tokenEndpoint, clientId: clientId,
            clientSecret: value["clientSecret"]?.stringValue,
            tokenEndpointAuthMethod: value["tokenEndpointAuthMethod"]?.stringValue ?? "none", accessToken: accessToken,
            refreshToken: value["refreshToken"]?.stringValue, tokenType: value["tokenType"]?.stringValue ?? "Bearer",
            scopes: AuthorizationServerMetadata.strings(value["scopes"]) ?? [],
            expiresAt: value["expiresAt"]?.numberValue?.doubleValue,
            obtainedAt: obtainedAt
        )
    }

    private static func decodeClient(_ value: JSONValue) -> StoredClient? {
        guard let issuer = value["issuer"]?.stringValue, let clientId = value["clientId"]?.stringValue,
            let kind = value["kind"]?.stringValue
        else { return nil }
        return StoredClient(
            issuer: issuer, clientId: clientId, clientSecret: value["clientSecret"]?.stringValue,
            redirectURIs: AuthorizationServerMetadata.strings(value["redirectURIs"]) ?? [], kind: kind
        )
    }
}
