@preconcurrency import CEdit
import Foundation
import Locking
import TerminalText

/// The words tab completion may offer, computed for the line being edited. libedit calls back on the
/// thread that called `readline`, which is the only thread that touches these globals.
nonisolated(unsafe) private var completionProvider: ((String, String) -> [String])?
nonisolated(unsafe) private var completionMatches: [String] = []
nonisolated(unsafe) private var completionIndex = 0

/// libedit's readline interface: line editing, history (saved to a file) and tab completion. libedit keeps
/// its state in C globals; every call that reads a line holds ``TerminalReading``'s lock, and the history
/// calls come from the REPL's loop between reads.
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
            // Only words that show as they are: a tool name with a control character is never printed raw.
            completionMatches = (completionProvider?(prefix, word) ?? [])
                .filter { $0.hasPrefix(word) && TerminalSanitizer.sanitize($0, multiline: false) == $0 }.sorted()
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

    func readLine(prompt: TerminalText) -> String? {
        TerminalReading.exclusively {
            TerminalReading.setPrompting(true)
            defer { TerminalReading.setPrompting(false) }
            guard let pointer = readline(Self.ascii(prompt)) else { return nil }
            defer { free(pointer) }
            return String(cString: pointer)
        }
    }

    /// The prompt in ASCII, everything else written out as `<U+2714>`: libedit dereferences a null pointer
    /// on a prompt its locale cannot convert (a server's name with `✔` in the C locale).
    static func ascii(_ prompt: TerminalText) -> String {
        var output = String.UnicodeScalarView()
        for scalar in prompt.string.unicodeScalars {
            if scalar.isASCII {
                output.append(scalar)
            } else {
                output.append(contentsOf: TerminalSanitizer.visible(scalar).unicodeScalars)
            }
        }
        return String(output)
    }

    /// Draws the prompt and the line being edited again, after something was printed above them (only
    /// while a prompt is up: between prompts there is nothing to draw).
    static func redraw() {
        if TerminalReading.isPrompting { rl_forced_update_display() }
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
