@preconcurrency import CEdit
import Foundation

/// Where the REPL reads lines from.
protocol LineReader: AnyObject {
    /// One line without its newline; nil at end of input.
    func readLine(prompt: String) -> String?
    /// Remembers a line in the history.
    func remember(_ line: String)
    /// Saves the history (after each command, so a signal that ends Gatehouse loses none of it).
    func close()
}

/// Standard input read plainly, when it is not a terminal (scripts, pipes): no prompt, no editing.
final class PlainLineReader: LineReader {
    func readLine(prompt: String) -> String? {
        Swift.readLine(strippingNewline: true)
    }

    func remember(_ line: String) {}
    func close() {}
}

/// The words tab completion may offer, computed for the line being edited. libedit calls back on the
/// thread that called `readline`, which is the only thread that touches these globals.
nonisolated(unsafe) private var completionProvider: ((String, String) -> [String])?
nonisolated(unsafe) private var completionMatches: [String] = []
nonisolated(unsafe) private var completionIndex = 0

/// libedit's readline interface: line editing, history (saved to a file) and tab completion.
final class EditLineReader: LineReader {
    private let historyPath: String

    /// Sets up libedit; `complete(lineBeforeWord, word)` returns candidate words.
    init(historyPath: String, complete: @escaping (String, String) -> [String]) {
        self.historyPath = historyPath
        completionProvider = complete
        rl_readline_name = UnsafePointer(strdup("gatehouse"))
        // libedit's own handlers would pass SIGTERM, SIGHUP and SIGINT on with kill(0, …) to the whole
        // process group (a wrapper script too); ``ShutdownSignals`` handles them and restores the terminal.
        rl_catch_signals = 0
        using_history()
        _ = read_history(historyPath)
        rl_attempted_completion_function = { text, start, _ in
            rl_attempted_completion_over = 1
            let word = text.map { String(cString: $0) } ?? ""
            let line = rl_line_buffer.map { String(cString: $0) } ?? ""
            let prefix = String(line.utf8.prefix(Int(start))) ?? ""
            completionMatches = (completionProvider?(prefix, word) ?? []).filter { $0.hasPrefix(word) }.sorted()
            completionIndex = 0
            // `name=` is completed without a following space, so the value can be typed straight after it.
            rl_completion_append_character = completionMatches.allSatisfy { $0.hasSuffix("=") } ? 0 : 32
            return rl_completion_matches(text) { _, state in
                if state == 0 { completionIndex = 0 }
                guard completionIndex < completionMatches.count else { return nil }
                defer { completionIndex += 1 }
                return strdup(completionMatches[completionIndex])
            }
        }
    }

    func readLine(prompt: String) -> String? {
        guard let pointer = readline(prompt) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    func remember(_ line: String) {
        add_history(line)
    }

    func close() {
        let directory = (historyPath as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        _ = write_history(historyPath)
    }
}
