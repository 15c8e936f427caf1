import GatehouseCLI
import Foundation

// A write to a server that has gone away must be an error, not a silent death of the host.
signal(SIGPIPE, SIG_IGN)
// A parent may hand down blocked signals (children of Foundation's Process do); the REPL's Ctrl-C and the
// shutdown of servers need them delivered, so start from an empty mask.
var unblocked = sigset_t()
sigemptyset(&unblocked)
sigprocmask(SIG_SETMASK, &unblocked, nil)
exit(await GatehouseRoot.run(arguments: Array(CommandLine.arguments.dropFirst())))
