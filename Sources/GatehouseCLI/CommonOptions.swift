import ArgumentParser
import Foundation
import TerminalText

/// Flags every command accepts (SPEC §4).
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("trust-store"), help: "The trust store file (default $XDG_STATE_HOME/gatehouse/trust.json).")
    var trustStore: String?

    @Flag(name: .customLong("no-color"), help: "Plain text without colour (also NO_COLOR).")
    var noColor = false

    @Flag(help: "Describe each server's connection on stderr: transport, protocol, identity evidence, verdict, tools loaded.")
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
