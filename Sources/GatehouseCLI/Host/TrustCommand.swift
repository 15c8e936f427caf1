import ArgumentParser
import GatehouseHost
import MCPClient
import TerminalText

/// `gatehouse trust list | forget SERVER | accept SERVER [TOOL]` (SPEC §2.7, §4).
struct TrustCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust", abstract: "Show or change the trust store (first-seen identities and tool pins).",
        subcommands: [List.self, Forget.self, Accept.self]
    )

    static func load(_ common: CommonOptions) throws -> TrustStore {
        do {
            return try TrustStore.load(common.trustStore ?? TrustStore.defaultPath())
        } catch {
            throw CLIError(code: "trust_store.invalid", message: error.message, exitCode: ExitStatus.usage)
        }
    }

    static func save(_ store: TrustStore) throws {
        do {
            try store.save()
        } catch {
            throw CLIError(code: "trust_store.write", message: error.message, exitCode: ExitStatus.usage)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the servers the trust store knows.")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            let store = try TrustCommand.load(common)
            guard !store.records.isEmpty else {
                Console.out("the trust store \(store.path) is empty")
                return
            }
            for record in store.records.sorted(by: { ($0.name, $0.endpoint) < ($1.name, $1.endpoint) }) {
                Console.out("\(record.name)  \(record.identity ?? "(no identity)")  first seen \(record.firstSeen)  \(record.pins.count) tool pin(s)")
                Console.out("  \(record.endpoint)")
            }
        }
    }

    struct Forget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Forget a server's identity and tool pins.")
        @Argument(help: "The server name.") var server: String
        @OptionGroup var common: CommonOptions

        func run() async throws {
            var store = try TrustCommand.load(common)
            let removed = store.forget(name: server)
            guard removed > 0 else { throw CLIError.usage("the trust store has no server named \"\(server)\"") }
            try TrustCommand.save(store)
            Console.out("forgot \(server) (\(removed) record(s)); its next connection is a first sighting")
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
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
                throw CLIError(code: error.code.rawValue, message: error.message, exitCode: ExitStatus.connection)
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
