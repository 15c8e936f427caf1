import ArgumentParser
import Foundation
import TerminalText

/// Flags every command accepts (SPEC §4).
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("trust-store"), help: "The trust store file (default $XDG_STATE_HOME/gatehouse/trust.json).")
    var trustStore: String?

    @Flag(name: .customLong("no-color"), help: "Plain text without colour (also NO_COLOR).")
    var noColor = false

    @Flag(help: "Say more about what is happening.")
    var verbose = false

    /// True when output may use ANSI colour: a terminal, no `--no-color`, no `NO_COLOR`.
    var useColor: Bool {
        !noColor && ProcessInfo.processInfo.environment["NO_COLOR"] == nil && isatty(STDOUT_FILENO) == 1
    }
}

/// Output formats of the passport commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text
    case json
}

/// Where Gatehouse keeps state: `$XDG_STATE_HOME/gatehouse`, else `~/.local/state/gatehouse`.
enum StateDirectory {
    static var path: String {
        let environment = ProcessInfo.processInfo.environment
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/gatehouse" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/state/gatehouse"
    }
}

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
