import Foundation
import GatehouseHost
import MCPClient
import StrictJSON
import TerminalText
import TrustCore

/// Checks a scenario's assertions against the host and the last command's outcome (docs/scenarios.md);
/// the commands themselves run through ``CommandRunner``.
struct ScenarioAssertions {
    let host: HostSession

    /// Checks one expectation against the last outcome; nil when it holds, else why not.
    func check(_ expectation: Scenario.Expectation, after outcome: CommandOutcome?) async -> String? {
        let last = outcome ?? CommandOutcome()
        switch expectation {
        case .ok:
            return last.status == 0 ? nil : "expected ok, got exit \(last.status) (\(last.code?.rawValue ?? "no code")): \(last.text.string.prefix(200))"
        case .error(let code):
            guard last.status != 0 else { return "expected an error, the command succeeded" }
            if let code, last.code?.rawValue != code { return "expected error \(code), got \(last.code?.rawValue ?? "no code")" }
            return nil
        case .exit(let status):
            return last.status == status ? nil : "expected exit \(status), got \(last.status) (\(last.code?.rawValue ?? "no code"))"
        case .trust(let server, let verdict):
            guard let status = await host.servers[server] else { return "no server \(server)" }
            return status.verdict.rawValue == verdict ? nil : "expected \(server) \(verdict), got \(status.verdict.rawValue)"
        case .textContains(let needle):
            return last.text.string.contains(needle) ? nil : "the output does not contain \"\(needle)\": \(last.text.string.prefix(200))"
        case .json(let path, let value):
            let found = JSONPath.evaluate(path, in: last.json)
            return found == value ? nil : "expected \(JSONSerializer.string(value)), got \(found.map { JSONSerializer.string($0) } ?? "nothing")"
        case .toolsInclude(let server, let tool):
            guard let status = await host.servers[server] else { return "no server \(server)" }
            return status.tools.contains { $0.name == tool && $0.loaded } ? nil : "\(server) has no loaded tool \(tool)"
        }
    }
}
