import ArgumentParser
import Foundation
import GatehouseHost
import MCPClient
import StrictJSON
import Locking
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
        var runner = CommandRunner(host: host, profile: profile, color: common.useColor)
        runner.announce = { @Sendable text in Console.error(text) }
        runner.ask = interactive ? { @Sendable question in await prompter.ask(question) } : nil
        runner.running = running
        runner.showsProgress = true
        runner.stepsUpScopes = true
        let words = CompletionWords()
        let connecting = Task {
            _ = await host.connect { status in startUp.finished(status) }
            await HostFactory.save(host)
            words.set(await ReplCompletion.words(of: host))
        }
        await startUp.waitForPrompt()
        words.set(await ReplCompletion.words(of: host))
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
            let task = Task { [runner] in await runner.run(trimmed) }
            interrupts.current = task
            let outcome = await task.value
            interrupts.current = nil
            if outcome.quits { break }
            Self.print(outcome)
            reader.close()
        }
        reader.close()
        connecting.cancel()
        await host.close()
    }

    /// A command's outcome as the REPL shows it: its text on stdout, a refusal as `error[CODE]: …` on stderr.
    static func print(_ outcome: CommandOutcome) {
        if outcome.refused {
            Console.error("error[\(outcome.code ?? .usageInvalid)]: \(outcome.text)")
        } else if !outcome.text.isEmpty {
            Console.out(outcome.text)
        }
    }
}
