import ArgumentParser
import Foundation
import GatehouseHost
import MCPClient
import StrictJSON
import TrustCore

/// `gatehouse [repl]` (SPEC §5): the interactive host.
struct ReplCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl", abstract: "Explore and call the profile's tools interactively (the default command)."
    )

    @OptionGroup var profileOptions: ProfileOptions
    @OptionGroup var common: CommonOptions

    func run() async throws {
        let profile = try profileOptions.load()
        let interactive = isatty(STDIN_FILENO) == 1
        let prompter = Prompter()
        let host = try HostFactory.make(profile, common: common, inputHandler: { request in await prompter.answer(request) })
        Console.out("connecting \(profile.servers.count) server(s)…")
        let statuses = await host.connect()
        await HostFactory.save(host)
        let session = ReplSession(
            host: host, color: common.useColor, profile: profile,
            ask: interactive ? { @Sendable question in prompter.ask(question) } : nil
        )
        for status in statuses { Console.out(TrustRendering.badgeLine(status, color: common.useColor)) }
        let names = await session.completionWords()
        let reader: any LineReader = interactive
            ? EditLineReader(historyPath: StateDirectory.path + "/history") { prefix, word in
                ReplCompletion.candidates(prefix: prefix, word: word, words: names)
            }
            : PlainLineReader()
        prompter.reader = reader
        let interrupts = InterruptWatcher()
        Console.out("type help for commands")
        while let line = reader.readLine(prompt: interactive ? "gatehouse> " : "") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            reader.remember(trimmed)
            if trimmed == "quit" || trimmed == "exit" { break }
            let task = Task { await session.execute(trimmed) }
            interrupts.current = task
            await task.value
            interrupts.current = nil
            reader.close()
        }
        reader.close()
        await host.close()
    }
}

/// Ctrl-C cancels the running command (its call), never the REPL (SPEC §5); at the prompt, with nothing
/// running, it ends Gatehouse like `quit` (``ShutdownSignals``).
final class InterruptWatcher: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<Void, Never>?

    init() {
        ShutdownSignals.interruptHandler = { [weak self] in
            guard let self, let running = self.lock.withLock({ self.task }) else { return false }
            Console.error("\n^C: cancelling the call")
            running.cancel()
            return true
        }
    }

    /// The running command; while it is set, Ctrl-C cancels it.
    var current: Task<Void, Never>? {
        get { lock.withLock { task } }
        set { lock.withLock { task = newValue } }
    }
}

/// Answers elicitation requests by asking the user for each field.
final class Prompter: @unchecked Sendable {
    /// Set once before the first command; libedit is only used from the command in progress.
    var reader: (any LineReader)?

    func ask(_ question: String) -> String? {
        reader?.readLine(prompt: question)
    }

    func answer(_ request: InputRequest) async -> JSONValue {
        guard request.method == "elicitation/create", let reader else { return MCPSessionDefaults.decline(request) }
        Console.out("\nthe server asks: \(request.params?["message"]?.stringValue ?? "(no message)")")
        var content = JSONObject()
        let properties = request.params?["requestedSchema"]?["properties"]?.objectValue ?? JSONObject()
        for (name, schema) in properties {
            guard let text = reader.readLine(prompt: "  \(name)\(schema["description"]?.stringValue.map { " (\($0))" } ?? ""): ") else {
                return ["action": "cancel"]
            }
            if text.isEmpty { return ["action": "decline"] }
            content[name] = (try? ToolArguments.build(schema: ["properties": .object(properties)], pairs: ["\(name)=\(text)"]))?[name] ?? .string(text)
        }
        return ["action": "accept", "content": .object(content)]
    }
}

enum MCPSessionDefaults {
    static func decline(_ request: InputRequest) -> JSONValue {
        request.method == "roots/list" ? ["roots": []] : ["action": "decline"]
    }
}
