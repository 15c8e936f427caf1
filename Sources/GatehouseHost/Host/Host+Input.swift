public import MCPClient
import StrictJSON
import TrustCore

/// A question a connected server asks the person (`elicitation/create`), passed on by the host only when
/// the server's tools are loaded (or allowed for this session).
public struct ServerInput: Sendable {
    /// The server's name in the profile.
    public let server: String
    /// Its status when it asked (verdict, badge).
    public let status: ServerStatus
    /// The request.
    public let request: InputRequest
}

extension HostSession {
    /// What a front end without a person does with a question: declines it.
    public static let declineQuestions: @Sendable (ServerInput) async -> InputAnswer = { _ in .result(["action": "decline"]) }

    /// The host's policy for requests a server sends the client: sampling is a JSON-RPC error (Gatehouse
    /// has no model); anything from a server whose tools are not loaded — including during its handshake,
    /// before it was verified — is refused with error `-32001`; `roots/list` is an empty list; a question
    /// goes to the front end, which decides whether a person may be asked now.
    func answerInput(from server: String, _ request: InputRequest) async -> InputAnswer {
        if request.method == "sampling/createMessage" {
            return .error(RPCErrorObject(code: -32601, message: "gatehouse has no model: sampling/createMessage is not supported", data: nil))
        }
        guard let status = servers[server], status.loaded || allowed.contains(server) else {
            let verdict = servers[server]?.report.verdict.rawValue ?? "unchecked"
            return .error(Self.refusal(server: server, code: "host.tool_quarantined", verdict: verdict, "its tools are not loaded (\(verdict))"))
        }
        switch request.method {
        case "roots/list": return .result(["roots": []])
        case "elicitation/create": return await questionHandler(ServerInput(server: server, status: status, request: request))
        default: return .error(RPCErrorObject(code: -32601, message: "method not found: \(request.method)", data: nil))
        }
    }

    /// The JSON-RPC error of a refused server request: code `-32001`, a message that starts
    /// `gatehouse: SERVER`, and `data.gatehouse` with a stable code.
    public static func refusal(server: String, code: String, verdict: String, _ why: String) -> RPCErrorObject {
        RPCErrorObject(
            code: -32001, message: "gatehouse: \(server): request refused: \(why)",
            data: ["gatehouse": ["code": .string(code), "server": .string(server), "verdict": .string(verdict)]]
        )
    }
}
