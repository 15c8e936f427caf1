import ArgumentParser
import Foundation
import GatehouseHost
import MCPClient
import StrictJSON
import TerminalText
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
        let running = RunningCall()
        let prompter = Prompter(running: running, color: common.useColor)
        let host = try HostFactory.make(profile, common: common, questionHandler: { input in await prompter.answer(input) })
        Console.out("connecting \(profile.servers.count) server(s)…")
        let startUp = ReplStartUp(servers: profile.servers.map(\.name), color: common.useColor)
        let session = ReplSession(
            host: host, color: common.useColor, profile: profile, running: running,
            ask: interactive ? { @Sendable question in await prompter.ask(question) } : nil
        )
        let words = CompletionWords()
        let connecting = Task {
            _ = await host.connect { status in startUp.finished(status) }
            await HostFactory.save(host)
            words.set(await session.completionWords())
        }
        await startUp.waitForPrompt()
        words.set(await session.completionWords())
        let reader: any LineReader = interactive
            ? EditLineReader(historyPath: StateDirectory.path + "/history") { prefix, word in
                ReplCompletion.candidates(prefix: prefix, word: word, words: words.get())
            }
            : PlainLineReader()
        if interactive { startUp.redraw = { @Sendable in EditLineReader.redraw() } }
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
        connecting.cancel()
        await host.close()
    }
}

/// The words completion offers, replaced when late servers finish connecting.
final class CompletionWords: @unchecked Sendable {
    private let lock = NSLock()
    private var words = ReplCompletion.Words(commands: ReplSession.commands, servers: [], tools: [:])

    func set(_ new: ReplCompletion.Words) { lock.withLock { words = new } }
    func get() -> ReplCompletion.Words { lock.withLock { words } }
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
