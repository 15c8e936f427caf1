import ArgumentParser
import Foundation
import GatehouseHost
import MCPClient
import StrictJSON
import TerminalText
import TrustCore

/// `gatehouse call SERVER TOOL [KEY=VALUE…]` (SPEC §4, §4.1): one verified call, with exit codes 0–4.
struct CallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call", abstract: "Call one tool of a verified server."
    )

    @OptionGroup var profileOptions: ProfileOptions

    @Argument(help: "The server.")
    var server: String

    @Argument(help: "The tool.")
    var tool: String

    @Argument(help: "Arguments as KEY=VALUE, converted by the tool's inputSchema.")
    var pairs: [String] = []

    @Option(help: "Arguments as a JSON object, @FILE, or - for standard input (KEY=VALUE pairs override).")
    var args: String?

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let profile = try profileOptions.load()
        guard profile.server(named: server) != nil else {
            throw CLIError.usage("no server named \"\(server)\" in \(profile.files.joined(separator: ", "))")
        }
        let base = try baseArguments()
        let host = try HostFactory.make(profile, common: common)
        await host.setFollowListChanges(false)
        _ = await host.connect([server])
        await HostFactory.save(host)
        defer { Task { await host.close() } }
        var runner = CommandRunner(host: host, profile: profile, color: false)
        runner.announce = { @Sendable text in Console.error(text) }
        runner.offersAllow = false
        let outcome = await runner.call(server: server, tool: tool, base: base, pairs: pairs)
        if let error = outcome.error { throw error }
        if let result = outcome.json, let status = await host.servers[server] { output(result, status: status) }
        await host.close()
        if outcome.status != ExitStatus.success { throw CommandExit(status: outcome.status) }
    }

    private func baseArguments() throws -> JSONObject {
        guard let args else { return JSONObject() }
        let text: String
        if args == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else if args.hasPrefix("@") {
            guard let data = FileManager.default.contents(atPath: String(args.dropFirst())) else {
                throw CLIError.usage("cannot read \(args.dropFirst())")
            }
            text = String(decoding: data, as: UTF8.self)
        } else {
            text = args
        }
        guard let value = try? JSONParser().parse(text), case .object(let object) = value else {
            throw CLIError.usage("--args must be a JSON object")
        }
        return object
    }

    private func output(_ result: JSONValue, status: ServerStatus) {
        switch format {
        case .json:
            var object = result.objectValue ?? JSONObject()
            object["server"] = .string(server)
            object["tool"] = .string(tool)
            object["trust"] = TrustRendering.trustObject(status)
            Console.document(JSONSerializer.string(.object(object), style: .pretty))
        case .text:
            Console.out(ContentRendering.text(result))
        }
    }
}
