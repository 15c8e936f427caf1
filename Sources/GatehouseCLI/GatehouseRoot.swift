import ArgumentParser
import Foundation
import StrictJSON
import TerminalText

/// The `gatehouse` command tree.
public struct GatehouseRoot: AsyncParsableCommand {
    /// Gatehouse's version (`--version`, the audit report, the proxy's server info).
    public static let version = "0.1.0"

    /// The command tree: `repl` is the default subcommand.
    public static let configuration = CommandConfiguration(
        commandName: "gatehouse",
        abstract: "An MCP host that verifies each server's AI Identity Passport before loading its tools.",
        version: version,
        subcommands: [
            ReplCommand.self, PassportCommand.self, ToolsCommand.self, CallCommand.self, TrustCommand.self, AuditCommand.self, RunCommand.self,
            ProxyCommand.self, WrapCommand.self, UnwrapCommand.self, AuthCommand.self,
        ],
        defaultSubcommand: ReplCommand.self
    )

    /// Creates the root command (ArgumentParser does, when it parses).
    public init() {}

    /// The path of every command below the root, depth first (`["passport"]`, `["passport", "verify"]`, …):
    /// what the golden `--help` test walks, so a new command cannot be left out of it.
    public static var commandPaths: [[String]] {
        func paths(below command: any ParsableCommand.Type, prefix: [String]) -> [[String]] {
            command.configuration.subcommands.flatMap { subcommand in
                let path = prefix + [subcommand._commandName]
                return [path] + paths(below: subcommand, prefix: path)
            }
        }
        return paths(below: Self.self, prefix: [])
    }

    /// Parses `arguments`, runs the command and returns the exit status; never calls `exit` itself.
    ///
    /// Usage errors exit 2 (not ArgumentParser's 64), as SPEC §4 requires; with `--format json` the error
    /// is also printed as `{"error": {"code", "message"}}` on stderr.
    public static func run(arguments: [String]) async -> Int32 {
        let wantsJSON = Self.wantsJSON(arguments)
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return ExitStatus.success
        } catch let exit as CommandExit {
            return exit.status
        } catch let error as CLIError {
            report(code: error.code.rawValue, message: error.message, json: wantsJSON)
            return error.exitCode
        } catch {
            let status = exitCode(for: error).rawValue
            // The argument parser's own text (help, version, a usage error with the usage lines after it):
            // multi-line, and nothing in it came from a server.
            if status == 0 {
                Console.out(TerminalText(multiline: fullMessage(for: error)))
                return 0
            }
            let text = fullMessage(for: error)
            let message = text.hasPrefix("Error: ") ? String(text.dropFirst(7)) : text
            report(code: CLIError.Code.usageInvalid.rawValue, message: message, json: wantsJSON, multiline: true)
            return ExitStatus.usage
        }
    }

    /// Prints a failure: `error[code]: message` (on one line unless `multiline`, since a message may quote
    /// what a server said), and with `--format json` the `{"error": …}` object too.
    static func report(code: String, message: String, json: Bool, multiline: Bool = false) {
        Console.error(multiline ? "error[\(code)]: \(multiline: message)" : "error[\(code)]: \(message)")
        if json {
            let object: JSONValue = ["error": ["code": .string(code), "message": .string(message)]]
            Console.errorDocument(JSONSerializer.string(object))
        }
    }

    static func wantsJSON(_ arguments: [String]) -> Bool {
        for (index, argument) in arguments.enumerated() {
            if argument == "--format=json" { return true }
            if argument == "--format", index + 1 < arguments.count, arguments[index + 1] == "json" { return true }
        }
        return false
    }
}
