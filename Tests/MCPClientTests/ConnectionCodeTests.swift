import Foundation
import MCPClient
import StrictJSON
import TestSupport
import Testing

/// SPEC §7: each way of failing to connect has one code, whatever the transport, the era negotiation or the
/// load — checked on each path alone, then all at once inside one 40-server audit with `--parallel 64`.
@Suite(.timeLimit(.minutes(5)))
struct ConnectionCodeTests {
    /// A way to fail, and the code it must produce.
    enum Fault: String, CaseIterable, Sendable {
        case refusedIPv4, refusedIPv6, closesAtOnce, neverAnswers, notFound, serverError

        var code: String {
            switch self {
            case .refusedIPv4, .refusedIPv6: "connect.refused"
            case .closesAtOnce: "connect.closed"
            case .neverAnswers: "connect.timeout"
            case .notFound, .serverError: "connect.http_status"
            }
        }
    }

    /// How the client reaches the URL: Streamable HTTP with the era probe, with either era forced (no
    /// probe), or the legacy HTTP+SSE transport.
    enum Route: String, CaseIterable, Sendable {
        case probe, forcedLegacy, forcedStateless, sse
    }

    /// The listeners of `socket_faults.py`, and its two ports held without listening (refused).
    struct Listeners {
        let server: ServerProcess
        let close: Int, silent: Int, notFound: Int, serverError: Int, unused: Int, unusedIPv6: Int

        static func start() async throws -> Listeners {
            let (server, ports) = try await ServerProcess.startReportingPorts(
                "/usr/bin/env", ["python3", TestServers.script("socket_faults.py")]
            )
            func port(_ name: String) throws -> Int {
                guard let port = ports[name] else { throw SupportError("socket_faults.py reported no \(name) port") }
                return port
            }
            return Listeners(
                server: server, close: try port("close"), silent: try port("silent"), notFound: try port("notFound"),
                serverError: try port("serverError"), unused: try port("refused"), unusedIPv6: try port("refusedIPv6")
            )
        }

        func url(_ fault: Fault) -> String {
            switch fault {
            case .refusedIPv4: "http://127.0.0.1:\(unused)/mcp"
            case .refusedIPv6: "http://[::1]:\(unusedIPv6)/mcp"
            case .closesAtOnce: "http://127.0.0.1:\(close)/mcp"
            case .neverAnswers: "http://127.0.0.1:\(silent)/mcp"
            case .notFound: "http://127.0.0.1:\(notFound)/mcp"
            case .serverError: "http://127.0.0.1:\(serverError)/mcp"
            }
        }
    }

    func connectCode(_ url: String, route: Route) async -> String? {
        let transport: ServerTransport = route == .sse ? .legacySSE(url: url, headers: [:]) : .streamableHTTP(url: url, headers: [:])
        let era: ProtocolEra? = switch route {
        case .forcedLegacy: .legacy
        case .forcedStateless: .stateless
        case .probe, .sse: nil
        }
        // 4 s: in the first seconds of the whole suite (every suite starting its servers on 2 cores) a refused
        // connection once took longer than 2 s to be reported, and came back as connect.timeout.
        let configuration = ServerConfiguration(transport: transport, timeouts: Timeouts(connect: 4), era: era)
        do {
            let session = try await MCPSession.connect(configuration, in: .forTests, eraCache: EraCache())
            await session.close()
            return nil
        } catch let error as MCPClientError {
            return error.code.rawValue
        } catch {
            return "\(error)"
        }
    }

    @Test("each fault has its code on every route", arguments: Route.allCases)
    func alone(route: Route) async throws {
        let listeners = try await Listeners.start()
        defer { listeners.server.stop() }
        for fault in Fault.allCases {
            let code = await connectCode(listeners.url(fault), route: route)
            #expect(code == fault.code, "\(fault) over \(route): \(code ?? "connected")")
        }
    }

    @Test("a stdio command that does not exist is connect.spawn_failed")
    func missingCommand() async throws {
        let specification = LaunchSpecification(command: "gatehouse-no-such-server-\(UUID().uuidString.prefix(6))")
        do {
            _ = try await MCPSession.connect(ServerConfiguration(transport: .stdio(specification)), in: .forTests, eraCache: EraCache())
            Issue.record("a missing command connected")
        } catch let error as MCPClientError {
            #expect(error.code == .spawnFailed)
        }
    }

    @Test("inside a 40-server audit with --parallel 64, every server has its own fault's code")
    func underLoad() async throws {
        let listeners = try await Listeners.start()
        defer { listeners.server.stop() }
        let directory = try Repository.temporaryDirectory()
        var servers = JSONObject()
        var expected: [String: String] = [:]
        for index in 0..<40 {
            let name = "s\(index)"
            if index % 8 == 7 {
                servers[name] = ["command": "gatehouse-no-such-server", "timeouts": ["connect": 2]]
                expected[name] = "connect.spawn_failed"
                continue
            }
            let fault = Fault.allCases[index % Fault.allCases.count]
            var entry: JSONObject = ["url": .string(listeners.url(fault)), "timeouts": ["connect": 2]]
            if index % 2 == 1 { entry["type"] = "sse" }
            servers[name] = .object(entry)
            expected[name] = fault.code
        }
        let profile = directory + "/fleet.json"
        try Data(JSONSerializer.bytes(["mcpServers": .object(servers)])).write(to: URL(fileURLWithPath: profile))
        let output = try await Gatehouse().run(
            ["audit", "--profile", profile, "--parallel", "64", "--format", "json", "--trust-store", directory + "/store.json"],
            timeout: 60
        )
        #expect(output.status == 3, "\(output.stderr)")
        let report = try JSONParser().parse(output.stdout)
        let entries = report["servers"]?.arrayValue ?? []
        #expect(entries.count == 40)
        for entry in entries {
            let name = entry["name"]?.stringValue ?? "?"
            let code = entry["connection"]?["error"]?["code"]?.stringValue
            #expect(code == expected[name], "\(name) (\(entry["transport"]?.stringValue ?? "?")): \(code ?? "none")")
        }
    }
}
