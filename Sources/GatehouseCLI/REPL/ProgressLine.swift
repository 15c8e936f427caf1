import Foundation
import TerminalText

/// The progress line of a running call, on stderr, only when stderr is a terminal.
enum ProgressLine {
    static let enabled = isatty(STDERR_FILENO) == 1

    static func show(_ text: TerminalText) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\(text.string)\u{1B}[K".utf8))
    }

    static func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
