import ArgumentParser

/// A verb of the REPL and of `gatehouse run` scenarios (SPEC §5, docs/scenarios.md): parsed from one line
/// by ``ReplVerbs`` and performed by a ``CommandRunner``.
protocol ReplVerb: ParsableCommand {
    /// Does what the line asks; `line` is the whole line as typed (a call's JSON arguments are read from it).
    func perform(with runner: CommandRunner, line: String) async -> CommandOutcome
}

/// The command tree of one REPL or scenario line, parsed with `parseAsRoot` (never `main()`, so a bad line
/// is an outcome, not an exit).
struct ReplVerbs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatehouse>",
        subcommands: [
            Help.self, Servers.self, Trust.self, Tools.self, Describe.self, Call.self, Resources.self, Read.self,
            Prompts.self, Prompt.self, Allow.self, Reconnect.self, Login.self, Log.self, Quit.self, Exit.self,
        ]
    )

    /// The verbs' names, for completion and to tell an unknown command from a malformed one.
    static let names: [String] = configuration.subcommands.map { $0._commandName }

    /// The verb of one line's words (`parseAsRoot`); throws ArgumentParser's error for a malformed line.
    static func verb(_ words: [String]) throws -> any ReplVerb {
        guard let verb = try parseAsRoot(words) as? any ReplVerb else { throw ValidationError("type help") }
        return verb
    }

    /// What `help` prints.
    static let help = """
        servers                      every server with its trust badge
        trust [SERVER]               the full check list of one server (or all)
        tools [SERVER] [--all]       loaded tools (--all: quarantined ones too)
        describe SERVER.TOOL         schema, annotations and pin, invisible Unicode made visible
        call SERVER.TOOL [K=V…|JSON] call a tool (also: SERVER.TOOL …); Ctrl-C cancels it
        resources | read URI | prompts | prompt NAME [K=V…]
        allow SERVER                 lift a quarantine for this session (says what it overrides)
        trust accept SERVER [TOOL]   accept a changed identity or tool into the trust store
        login SERVER                 OAuth login to a server that asks for one, then reconnect it
        reconnect [SERVER] | log [SERVER] | quit
        """
}
