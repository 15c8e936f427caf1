@preconcurrency import CEdit
import Foundation
import Locking
import TerminalText

/// Where the REPL reads lines from.
protocol LineReader: AnyObject, Sendable {
    /// One line without its newline; nil at end of input. Only one line is read at a time, whichever
    /// thread asks (the prompt, or a question a server asks during a call): the others wait.
    func readLine(prompt: TerminalText) -> String?
    /// Remembers a line in the history.
    func remember(_ line: String)
    /// Saves the history (after each command, so a signal that ends Gatehouse loses none of it).
    func close()
}

/// Standard input read plainly, when it is not a terminal (scripts, pipes): no prompt, no editing.
final class PlainLineReader: LineReader {
    func readLine(prompt: TerminalText) -> String? {
        TerminalReading.exclusively { Swift.readLine(strippingNewline: true) }
    }

    func remember(_ line: String) {}
    func close() {}
}
