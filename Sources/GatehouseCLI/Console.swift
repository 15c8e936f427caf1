import Foundation
import TerminalText

/// Writing to the standard streams. Human-readable lines are ``TerminalText`` (sanitized by
/// construction); machine-readable documents (JSON, JUnit XML) come from serializers that escape every
/// control character, and are written as they are.
enum Console {
    static func out(_ text: TerminalText) {
        FileHandle.standardOutput.write(Data((text.string + "\n").utf8))
    }

    static func error(_ text: TerminalText) {
        FileHandle.standardError.write(Data((text.string + "\n").utf8))
    }

    /// A JSON or XML document on stdout, from `JSONSerializer` or the JUnit writer.
    static func document(_ serialized: String) {
        FileHandle.standardOutput.write(Data((serialized + "\n").utf8))
    }

    /// A JSON document on stderr (`--format json` errors).
    static func errorDocument(_ serialized: String) {
        FileHandle.standardError.write(Data((serialized + "\n").utf8))
    }

    /// Text without a line end (a question before its answer).
    static func prompt(_ text: TerminalText) {
        FileHandle.standardOutput.write(Data(text.string.utf8))
    }
}
