import GatehouseHost
import MCPClient
import StrictJSON
import TrustCore

/// The pieces of a tool call that `gatehouse call`, the REPL and `gatehouse run` share.
enum ToolCallParts {
    /// Splits a command's argument words into a JSON base object (when the first word opens one: the rest
    /// of the raw line is that object) and `KEY=VALUE` pairs.
    static func arguments(words: [String], raw: String) throws -> (base: JSONObject, pairs: [String]) {
        guard words.first?.hasPrefix("{") == true, let brace = raw.firstIndex(of: "{") else { return (JSONObject(), words) }
        guard case .object(let object)? = try? JSONParser().parse(String(raw[brace...])) else {
            throw CLIError.usage("the arguments are not a JSON object")
        }
        return (object, [])
    }

    /// Why `SERVER.TOOL` may not be called, with the exit status of SPEC §4 (nil when it is callable).
    static func refusal(_ target: HostSession.CallTarget, server: String, tool: String) -> CLIError? {
        switch target {
        case .callable: return nil
        case .unknownServer: return .usage("no server named \"\(server)\"")
        case .notConnected(let status):
            let error = status.connectionError
            return CLIError(
                code: CLIError.Code(error?.code ?? .connectClosed), message: "\(server): \(error?.message ?? "not connected")",
                exitCode: ExitStatus.connection
            )
        case .unknownTool(let status):
            let names = status.tools.map(\.name).joined(separator: ", ")
            return .usage("\(server) has no tool \"\(tool)\" (it has: \(names))")
        case .quarantined(let status, let record):
            let refusal = HostSession.quarantineRefusal(status, record)
            return CLIError(code: CLIError.Code(refusal.code), message: refusal.message, exitCode: ExitStatus.trustFailure)
        }
    }

    /// A failed call's exit status: a JSON-RPC error from the server is the tool's error (4), anything else
    /// is the connection's (3).
    static func exitStatus(for error: MCPClientError) -> Int32 {
        error.code == .rpcError ? ExitStatus.toolError : ExitStatus.connection
    }
}
