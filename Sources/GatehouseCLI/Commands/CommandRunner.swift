import ArgumentParser
import GatehouseHost
import MCPClient
import TerminalText

/// The one place a REPL or scenario line, or `gatehouse call`, becomes an action on the host: a line is
/// parsed by ``ReplVerbs`` (ArgumentParser, per line) and run here, and every tool call goes through
/// ``call(server:tool:base:pairs:)``. Nothing here prints a result; the front end prints, asserts on, or
/// exits with the ``CommandOutcome``.
struct CommandRunner: Sendable {
    let host: HostSession
    let profile: Profile
    let color: Bool
    /// Lines for stderr as they happen (a warning before a call, a server still connecting); nil drops them.
    var announce: (@Sendable (TerminalText) -> Void)?
    /// Asks the user for a missing required argument (interactive REPL only); nil makes it a usage error.
    var ask: (@Sendable (TerminalText) async -> String?)?
    /// The server being called, so its questions are accepted meanwhile (the REPL).
    var running: RunningCall?
    /// Shows MCP progress notifications on the progress line (the REPL).
    var showsProgress = false
    /// `allow SERVER` exists in this front end (REPL and scenarios), so a quarantine refusal mentions it.
    var offersAllow = true
    /// A call refused with `403 insufficient_scope` runs the login again for the union of the scopes held and
    /// those asked for, then is sent once more (SPEC §9 step 4: interactive only, so the REPL).
    var stepsUpScopes = false

    init(host: HostSession, profile: Profile, color: Bool) {
        self.host = host
        self.profile = profile
        self.color = color
    }

    /// Parses and runs one line (`SERVER.TOOL …` alone is a call).
    func run(_ line: String) async -> CommandOutcome {
        var words = ReplTokenizer.split(line)
        guard let first = words.first else { return CommandOutcome() }
        if first.contains("."), !ReplVerbs.names.contains(first) { words.insert("call", at: 0) }
        guard ReplVerbs.names.contains(words[0]) else {
            return CommandOutcome(.usage("unknown command \"\(first)\"; type help"))
        }
        let verb: any ReplVerb
        do {
            verb = try ReplVerbs.verb(words)
        } catch {
            return CommandOutcome(.usage("\(words[0]): \(ReplVerbs.message(for: error))"))
        }
        return await verb.perform(with: self, line: line)
    }

    func note(_ text: TerminalText) {
        announce?(text)
    }

    /// The status of a connected server, or the refusal for a name that is not one (yet).
    func connected(_ name: String) async -> Result<ServerStatus, CLIError> {
        if let status = await host.servers[name] { return .success(status) }
        if let entry = profile.server(named: name) {
            return .failure(
                .usage("\(name) is still connecting (its connect timeout is \(Seconds.text(entry.timeouts.connect)) s)")
            )
        }
        return .failure(.usage("no server named \"\(name)\""))
    }

    /// `SERVER.TOOL` split in two, or the refusal.
    func qualified(_ name: String) -> Result<(server: String, tool: String), CLIError> {
        guard let dot = name.firstIndex(of: ".") else { return .failure(.usage("name a tool as SERVER.TOOL")) }
        return .success((String(name[..<dot]), String(name[name.index(after: dot)...])))
    }
}
