public import MCPClient
import StrictJSON
import TrustCore

/// A request a connected server sends the client (`elicitation/create`, `sampling/createMessage`,
/// `roots/list`), passed on by the host only when the server's tools are loaded (or allowed for this
/// session).
public struct ServerInput: Sendable {
    /// The server's name in the profile.
    public let server: String
    /// Its status when it asked (verdict, badge).
    public let status: ServerStatus
    /// The request.
    public let request: InputRequest
}

extension HostSession {
    /// What a front end without a person does: declines questions, lists no roots, and refuses sampling
    /// (Gatehouse has no model).
    public static let declineQuestions: @Sendable (ServerInput) async -> InputAnswer = { input in
        await MCPSession.declineInput(input.request)
    }

    /// The host's policy for requests a server sends the client: anything from a server whose tools are
    /// not loaded — including during its handshake, before it was verified — is refused with error
    /// `-32001`; the rest (a question, a sampling request, `roots/list`) goes to the front end, whose
    /// default is ``declineQuestions``.
    func answerInput(from server: String, _ request: InputRequest) async -> InputAnswer {
        guard let status = servers[server], status.loaded else {
            let verdict = servers[server]?.verdict.rawValue ?? "unchecked"
            return .error(Self.refusal(server: server, code: "host.tool_quarantined", verdict: verdict, "its tools are not loaded (\(verdict))"))
        }
        switch request.method {
        case "elicitation/create", "sampling/createMessage", "roots/list":
            return await questionHandler(ServerInput(server: server, status: status, request: request))
        default:
            return .error(RPCErrorObject(code: -32601, message: "method not found: \(request.method)", data: nil))
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
