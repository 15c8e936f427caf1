import GatehouseHost
import MCPClient
import StrictJSON
import TerminalText
import TrustCore

extension CommandRunner {
    /// The one tool-call flow (REPL, `gatehouse run`, `gatehouse call`), with `gatehouse call`'s exit
    /// statuses: 1 quarantined, 2 unknown or bad arguments, 3 connection, 4 tool error (SPEC §4).
    ///
    /// `base` is a JSON object of arguments, `pairs` `KEY=VALUE` words converted by the tool's `inputSchema`
    /// (they override `base`). The server must be connected already.
    func call(server: String, tool: String, base: JSONObject, pairs: [String]) async -> CommandOutcome {
        let target = await host.target(server: server, tool: tool)
        if case .unknownServer = target, case .failure(let refusal) = await connected(server) {
            return CommandOutcome(refusal)
        }
        if var refusal = ToolCallParts.refusal(target, server: server, tool: tool) {
            if offersAllow, case .quarantined = target {
                refusal = CLIError(
                    code: refusal.code, message: refusal.message + "; `allow \(server)` lifts it for this session",
                    exitCode: refusal.exitCode
                )
            }
            return CommandOutcome(refusal)
        }
        guard case .callable(let status, let record) = target else {
            return CommandOutcome(.usage("\(server).\(tool) cannot be called"))
        }
        let arguments: JSONObject
        switch await convert(for: record, base: base, pairs: pairs) {
        case .success(let built): arguments = built
        case .failure(let message): return CommandOutcome(.usage("\(server).\(tool): \(message.message)"))
        }
        if status.verdict != .verified {
            note(
                "warning: \(server) is \(ReportRendering.badge(status, color: color)) (\(status.policyNote)); calling anyway"
            )
        }
        running?.set(server)
        defer { running?.set(nil) }
        do {
            let result: JSONValue
            do {
                result = try await host.call(server: server, tool: tool, arguments: arguments, progress: progressHandler)
            } catch let error as MCPClientError where error.code == .insufficientScope && stepsUpScopes {
                ProgressLine.clear()
                if let refusal = await stepUp(server, failure: error) { return CommandOutcome(refusal) }
                result = try await host.call(server: server, tool: tool, arguments: arguments, progress: progressHandler)
            }
            ProgressLine.clear()
            let failed = result["isError"] == true
            return CommandOutcome(
                status: failed ? ExitStatus.toolError : ExitStatus.success, code: failed ? .toolError : nil,
                text: ContentRendering.text(result), json: result
            )
        } catch let error as MCPClientError {
            ProgressLine.clear()
            return CommandOutcome(
                CLIError(
                    code: CLIError.Code(error.code), message: error.message,
                    exitCode: ToolCallParts.exitStatus(for: error)))
        } catch let error as HostError {
            ProgressLine.clear()
            return CommandOutcome(
                CLIError(code: CLIError.Code(error.code), message: error.message, exitCode: ExitStatus.trustFailure))
        } catch {
            ProgressLine.clear()
            let code = CLIError.Code(HostError.Code.toolQuarantined)
            return CommandOutcome(CLIError(code: code, message: "\(error)", exitCode: ExitStatus.trustFailure))
        }
    }

    /// The arguments converted by the schema; when the runner can ask, each missing required one is asked
    /// for and converted like the others.
    private func convert(for record: ToolRecord, base: JSONObject, pairs: [String]) async -> Result<
        JSONObject, CLIError
    > {
        let schema = record.definition["inputSchema"]
        do {
            var arguments = try ToolArguments.build(schema: schema, pairs: pairs, base: base, checkRequired: ask == nil)
            for name in ToolArguments.missingRequired(schema: schema, arguments: arguments) {
                guard let ask, let answer = await ask("  \(field: name, limit: 80) (required): "), !answer.isEmpty
                else {
                    return .failure(.usage("missing required argument: \(name)"))
                }
                arguments = try ToolArguments.build(
                    schema: schema, pairs: ["\(name)=\(answer)"], base: arguments, checkRequired: false)
            }
            return .success(arguments)
        } catch {
            return .failure(.usage(error.message))
        }
    }

    private var progressHandler: (@Sendable (JSONValue) -> Void)? {
        guard showsProgress else { return nil }
        return { params in
            let progress = params["progress"]?.numberValue?.doubleValue ?? 0
            let total = params["total"]?.numberValue?.doubleValue
            let message = params["message"]?.stringValue ?? ""
            let amount = total.map { "\(Int(progress))/\(Int($0))" } ?? "\(progress)"
            ProgressLine.show("… \(amount) \(field: message, limit: 100)")
        }
    }
}
