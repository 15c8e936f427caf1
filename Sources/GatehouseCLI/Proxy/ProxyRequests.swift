import GatehouseHost
import MCPClient
import StrictJSON
import Locking

/// The client capabilities the host declared in its `initialize`.
final class DeclaredCapabilities: Sendable {
    private let capabilities = Locked<JSONValue?>(nil)

    func set(_ value: JSONValue?) { capabilities.withLock { $0 = value } }

    func has(_ name: String) -> Bool { capabilities.withLock { $0?[name] != nil } }
}

/// A loaded upstream server's requests to the client (elicitation, sampling, roots), passed on to the
/// host when it declared that capability, and answered with a JSON-RPC error otherwise (SPEC §8). The
/// host has already refused those of servers that are not loaded.
enum ProxyRequests {
    static let capabilityOf = ["elicitation/create": "elicitation", "sampling/createMessage": "sampling", "roots/list": "roots"]

    static func forward(_ input: ServerInput, declared: DeclaredCapabilities, downstream: DownstreamServer) async -> InputAnswer {
        let method = input.request.method
        guard let capability = capabilityOf[method], declared.has(capability) else {
            return .error(RPCErrorObject(code: -32601, message: "gatehouse: the host did not declare the \(method) capability", data: nil))
        }
        // A person may take a while to answer; the upstream call's own timeout bounds the wait too.
        switch await downstream.request(method, params: input.request.params, timeout: 600) {
        case .success(let result): return .result(result)
        case .failure(let error): return .error(error)
        }
    }
}
