import ArgumentParser
import GatehouseHost
import MCPClient
import TerminalText

/// `gatehouse trust list | forget SERVER|--all|--move-aside | accept SERVER [TOOL]` (SPEC §2.7, §4).
struct TrustCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust", abstract: "Show or change the trust store (first-seen identities and tool pins).",
        subcommands: [List.self, Forget.self, Accept.self]
    )

    static func load(_ common: CommonOptions) throws -> TrustStore {
        do {
            return try TrustStore.load(common.trustStore ?? TrustStore.defaultPath())
        } catch {
            throw CLIError(code: .trustStoreInvalid, message: error.message, exitCode: ExitStatus.usage)
        }
    }

    static func save(_ store: TrustStore) throws {
        do {
            try store.save()
        } catch {
            throw CLIError(code: .trustStoreWrite, message: error.message, exitCode: ExitStatus.usage)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the servers the trust store knows.")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            let store = try TrustCommand.load(common)
            guard !store.records.isEmpty else {
                Console.out("the trust store \(store.path) is empty")
                return
            }
            for record in store.records.sorted(by: { ($0.name, $0.endpoint) < ($1.name, $1.endpoint) }) {
                Console.out("\(record.name)  \(record.identity ?? "(no identity)")  first seen \(record.firstSeen)  \(record.pins.count) tool pin(s)")
                Console.out("  \(EndpointText.withoutUserInfo(record.endpoint))")
            }
        }
    }

    struct Forget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "forget",
            abstract: "Forget a server's identity and tool pins (or all of them, or move an unreadable store aside).",
            discussion: """
                A trust store that cannot be read is never changed by `forget SERVER` or `--all`; `--move-aside` \
                renames it to <file>.corrupt-<time> (nothing is deleted) so that the next command starts an empty store.
                """
        )
        @Argument(help: "The server name.") var server: String?
        @Flag(help: "Forget every server.") var all = false
        @Flag(help: "Rename a trust store that cannot be read to <file>.corrupt-<time>.") var moveAside = false
        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard [server != nil, all, moveAside].filter({ $0 }).count == 1 else {
                throw ValidationError("give a SERVER, --all or --move-aside (one of them)")
            }
        }

        func run() async throws {
            let path = common.trustStore ?? TrustStore.defaultPath()
            if moveAside {
                guard (try? TrustStore.load(path)) == nil else {
                    throw CLIError.usage("the trust store \(path) is readable; forget servers by name or with --all")
                }
                do {
                    let target = try TrustStore.moveAside(path)
                    Console.out("moved \(path) aside to \(target); the next command starts an empty trust store")
                } catch {
                    throw CLIError(code: .trustStoreWrite, message: error.message, exitCode: ExitStatus.usage)
                }
                return
            }
            var store = try TrustCommand.load(common)
            if all {
                let removed = store.forgetAll()
                try TrustCommand.save(store)
                Console.out("forgot every server (\(removed) record(s)); each next connection is a first sighting")
                return
            }
            let name = server ?? ""
            let removed = store.forget(name: name)
            guard removed > 0 else { throw CLIError.usage("the trust store has no server named \"\(name)\"") }
            try TrustCommand.save(store)
            Console.out("forgot \(name) (\(removed) record(s)); its next connection is a first sighting")
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "accept",
            abstract: "Connect to a server and accept its current identity and tools (or one tool)."
        )
        @OptionGroup var profileOptions: ProfileOptions
        @Argument(help: "The server name.") var server: String
        @Argument(help: "Only this tool.") var tool: String?
        @OptionGroup var common: CommonOptions

        func run() async throws {
            let profile = try profileOptions.load()
            guard profile.server(named: server) != nil else { throw CLIError.usage("no server named \"\(server)\"") }
            let host = try HostFactory.make(profile, common: common)
            await host.setFollowListChanges(false)
            let status = await host.connect([server]).first
            if let error = status?.connectionError {
                await host.close()
                throw CLIError(code: CLIError.Code(error.code), message: error.message, exitCode: ExitStatus.connection)
            }
            let accepted = await host.accept(server: server, tool: tool)
            await HostFactory.save(host)
            await host.close()
            if accepted.isEmpty {
                Console.out("nothing to accept for \(server)\(tool.map { ".\($0)" } ?? "")")
            } else {
                for line in accepted { Console.out("accepted \(server): \(line)") }
            }
        }
    }
}
