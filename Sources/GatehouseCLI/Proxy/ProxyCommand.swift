import ArgumentParser
import Foundation
import GatehouseHost
import MCPClient
import StrictJSON
import TerminalText

/// `gatehouse proxy SERVER` (SPEC §8): an MCP server on stdin and stdout in front of one profile server
/// (or, with `--all`, every one: ``ProxyAllSession``), which it connects and verifies first; the host sees and calls only what the policy loads. Everything
/// goes through ``HostSession`` (its call target, its content gate), never a raw MCP session, so nothing
/// reaches a server or a tool that is not loaded.
struct ProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy", abstract: "Serve one profile server's verified tools to another MCP host over stdio."
    )

    @OptionGroup var profileOptions: ProfileOptions
    @OptionGroup var common: CommonOptions

    @Argument(help: "The profile server to stand in front of.")
    var server: String?

    @Flag(name: .customLong("all"), help: "Stand in front of every server of the profiles; tools are named SERVER__TOOL.")
    var all = false

    @Option(help: "With --all: what joins a server's name and its tool's.")
    var separator = "__"

    @Option(name: .customLong("on-reject"), help: "fail (every request refused with -32001) or empty (no tools).")
    var onReject: RejectMode = .fail

    /// What the host sees of a server that is not loaded.
    enum RejectMode: String, ExpressibleByArgument, CaseIterable, Sendable {
        case fail, empty
    }

    func validate() throws {
        guard (server == nil) == all else { throw ValidationError("name one SERVER, or give --all") }
        guard !separator.isEmpty else { throw ValidationError("--separator cannot be empty") }
    }

    func run() async throws {
        let profile = try profileOptions.load()
        let downstream = DownstreamServer()
        let declared = DeclaredCapabilities()
        let host = try HostFactory.make(profile, common: common) { input in
            await ProxyRequests.forward(input, declared: declared, downstream: downstream)
        }
        await host.setInventoriesQuarantined(false)  // SPEC §8: nothing upstream after a rejected server's handshake
        guard let server else { return try await serveAll(host, downstream: downstream, declared: declared) }
        guard profile.servers.contains(where: { $0.name == server }) else {
            throw CLIError(code: CLIError.Code(HostError.Code.unknownServer), message: "the profile has no server named \(server)", exitCode: ExitStatus.usage)
        }
        let statuses = await host.connect([server])
        await HostFactory.save(host)
        guard let status = statuses.first else { throw CommandExit(status: ExitStatus.connection) }
        Console.error(TrustRendering.badgeLine(status, color: false))
        let proxy = ProxySession(host: host, server: server, downstream: downstream, onReject: onReject, declared: declared)
        await Self.serve(
            host, downstream: downstream, answer: proxy.answer, notified: proxy.notified,
            changed: { name in if name == server { await proxy.upstreamChanged() } }
        )
        let loaded = await host.servers[server]?.loaded ?? false
        if !loaded && onReject == .fail { throw CommandExit(status: ExitStatus.trustFailure) }
    }

    private func serveAll(_ host: HostSession, downstream: DownstreamServer, declared: DeclaredCapabilities) async throws {
        for status in await host.connect() { Console.error(TrustRendering.badgeLine(status, color: false)) }
        await HostFactory.save(host)
        let proxy = ProxyAllSession(host: host, separator: separator, downstream: downstream, declared: declared)
        await Self.serve(host, downstream: downstream, answer: proxy.answer, notified: { _, _ in }, changed: { _ in await proxy.upstreamChanged() })
    }

    /// Answers the host until its end of the pipe closes (each answer in the era it asked in), passes the
    /// host's changes of verdict or tools on, then stops the upstream servers.
    private static func serve(
        _ host: HostSession, downstream: DownstreamServer, answer: @escaping DownstreamServer.RequestHandler,
        notified: @escaping DownstreamServer.NotificationHandler, changed: @escaping @Sendable (String) async -> Void
    ) async {
        let changes = await host.changes()
        let watcher = Task {
            for await name in changes { await changed(name) }
        }
        await downstream.run(
            requests: { method, params in ProxyModernEra.finish(method, params: params, await answer(method, params)) },
            notifications: notified
        )
        watcher.cancel()
        await host.close()
    }
}
