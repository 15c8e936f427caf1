import Foundation
import GatehouseCLI
import MCPClient

// A write to a server that has gone away must be an error, not a silent death of the host.
signal(SIGPIPE, SIG_IGN)
// A parent may hand down blocked signals (children of Foundation's Process do); the REPL's Ctrl-C and the
// shutdown of servers need them delivered, so start from an empty mask.
var unblocked = sigset_t()
sigemptyset(&unblocked)
sigprocmask(SIG_SETMASK, &unblocked, nil)
// Each stdio server takes three pipes: a fleet needs more descriptors than the usual soft limit of 1 024.
OpenFileLimit.raiseToHardLimit()
// SIGTERM, SIGHUP and Ctrl-C stop every server before Gatehouse exits (SPEC §7).
ShutdownSignals.install()
let status = await GatehouseRoot.run(arguments: Array(CommandLine.arguments.dropFirst()))
// Whatever a command left running (an abandoned handshake's process, a server still in its grace period)
// is stopped before the process ends: no server outlives Gatehouse.
await ShutdownSignals.stopServers()
exit(status)
