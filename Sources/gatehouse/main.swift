import GatehouseCLI
import Foundation

// A write to a server that has gone away must be an error, not a silent death of the host.
signal(SIGPIPE, SIG_IGN)
exit(await GatehouseRoot.run(arguments: Array(CommandLine.arguments.dropFirst())))
