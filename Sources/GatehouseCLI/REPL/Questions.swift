import Foundation
import GatehouseHost
import MCPClient
import StrictJSON
import Locking
import TerminalText
import TrustCore

/// The server the REPL is calling right now, if any (set around each call).
final class RunningCall: Sendable {
    private let current = Locked<String?>(nil)

    /// The server being called.
    var server: String? { current.withLock { $0 } }

    /// A call to `server` starts (nil: it ended).
    func set(_ server: String?) {
        current.withLock { $0 = server }
    }
}

/// Asks the person a server's questions (`elicitation/create`, form mode) — only while a call to that same
/// server runs, so the question belongs to what the person just asked for, and only one reader ever
/// has the terminal (``TerminalReading``). A question at any other time, or from another server, is
/// refused with a JSON-RPC error and nothing reaches the terminal. The host has already refused those of
/// servers whose tools are not loaded. Each prompt names the server and its badge.
final class Prompter: Sendable {
    private let lineReader = Locked<(any LineReader)?>(nil)
    /// Set once before the first command.
    var reader: (any LineReader)? {
        get { lineReader.withLock { $0 } }
        set { lineReader.withLock { $0 = newValue } }
    }
    let running: RunningCall
    let color: Bool

    init(running: RunningCall, color: Bool) {
        self.running = running
        self.color = color
    }

    /// Reads one answer (a prompted tool argument).
    func ask(_ question: TerminalText) async -> String? {
        await read(question)
    }

    func answer(_ input: ServerInput) async -> InputAnswer {
        guard input.request.method == "elicitation/create" else { return await HostSession.declineQuestions(input) }
        guard reader != nil, running.server == input.server else {
            let verdict = input.status.verdict.rawValue
            return .error(HostSession.refusal(
                server: input.server, code: CLIError.Code.unsolicitedRequest.rawValue, verdict: verdict,
                "a question is accepted only during a call to this server"
            ))
        }
        let who: TerminalText = "\(field: input.server, limit: 80) \(ReportRendering.badge(input.status, color: color))"
        let message = input.request.params?["message"]?.stringValue ?? "(no message)"
        Console.out("\n\(who) asks: \(field: message, limit: 500)")
        var content = JSONObject()
        let properties = input.request.params?["requestedSchema"]?["properties"]?.objectValue ?? JSONObject()
        for (name, schema) in properties {
            let description = schema["description"]?.stringValue.map { " (\(field: $0, limit: 120))" as TerminalText } ?? ""
            guard let text = await read("  [\(field: input.server, limit: 80)] \(field: name, limit: 80)\(description): ") else {
                return .result(["action": "cancel"])
            }
            if text.isEmpty { return .result(["action": "decline"]) }
            let built = try? ToolArguments.build(schema: ["properties": .object(properties)], pairs: ["\(name)=\(text)"])
            content[name] = built?[name] ?? .string(text)
        }
        return .result(["action": "accept", "content": .object(content)])
    }

    /// Reads a line on a thread of its own: `readline` blocks, and must not hold a Swift concurrency thread.
    private func read(_ prompt: TerminalText) async -> String? {
        guard let reader else { return nil }
        return await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: reader.readLine(prompt: prompt)) }.start()
        }
    }
}
