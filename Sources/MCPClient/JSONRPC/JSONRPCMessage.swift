public import StrictJSON

/// A JSON-RPC request id: a string or an integer, never null.
public enum RequestID: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case integer(Int64)

    /// The id as JSON.
    public var json: JSONValue {
        switch self {
        case .string(let text): .string(text)
        case .integer(let number): .number(JSONNumber(number))
        }
    }

    /// Reads an id; nil for null, fractions and other types.
    public init?(_ value: JSONValue) {
        switch value {
        case .string(let text): self = .string(text)
        case .number(let number):
            guard let integer = number.int64Value else { return nil }
            self = .integer(integer)
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .string(let text): "\"\(text)\""
        case .integer(let number): String(number)
        }
    }
}

/// One inbound JSON-RPC message, classified once by which members are present.
public enum JSONRPCMessage: Sendable {
    case request(id: RequestID, method: String, params: JSONValue?)
    case notification(method: String, params: JSONValue?)
    case response(id: RequestID, result: JSONValue)
    case errorResponse(id: RequestID?, error: RPCErrorObject)

    /// Classifies a parsed JSON value; nil when it is not a JSON-RPC 2.0 message.
    public init?(_ value: JSONValue) {
        guard case .object(let object) = value, object["jsonrpc"] == "2.0" else { return nil }
        if case .string(let method)? = object["method"] {
            let params = object["params"]
            if let idValue = object["id"] {
                guard let id = RequestID(idValue) else { return nil }
                self = .request(id: id, method: method, params: params)
            } else {
                self = .notification(method: method, params: params)
            }
            return
        }
        if let result = object["result"] {
            guard let idValue = object["id"], let id = RequestID(idValue) else { return nil }
            self = .response(id: id, result: result)
            return
        }
        if case .object(let error)? = object["error"] {
            guard case .number(let code)? = error["code"], let integer = code.int64Value else { return nil }
            let message = error["message"]?.stringValue ?? ""
            let id = object["id"].flatMap(RequestID.init)
            self = .errorResponse(id: id, error: RPCErrorObject(code: integer, message: message, data: error["data"]))
            return
        }
        return nil
    }

    /// A request object.
    public static func makeRequest(id: RequestID, method: String, params: JSONValue?) -> JSONValue {
        var object = JSONObject()
        object["jsonrpc"] = "2.0"
        object["id"] = id.json
        object["method"] = .string(method)
        if let params { object["params"] = params }
        return .object(object)
    }

    /// A notification object.
    public static func makeNotification(method: String, params: JSONValue?) -> JSONValue {
        var object = JSONObject()
        object["jsonrpc"] = "2.0"
        object["method"] = .string(method)
        if let params { object["params"] = params }
        return .object(object)
    }

    /// A result response object (the client answers server requests in the legacy era).
    public static func makeResponse(id: RequestID, result: JSONValue) -> JSONValue {
        ["jsonrpc": "2.0", "id": id.json, "result": result]
    }

    /// An error response object.
    public static func makeErrorResponse(id: RequestID?, code: Int64, message: String, data: JSONValue? = nil) -> JSONValue {
        var error: JSONObject = ["code": .number(JSONNumber(code)), "message": .string(message)]
        if let data { error["data"] = data }
        return ["jsonrpc": "2.0", "id": id?.json ?? .null, "error": .object(error)]
    }
}
