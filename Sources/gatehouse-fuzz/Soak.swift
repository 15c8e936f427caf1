import CurlHTTP
import Ed25519
import Foundation
import GatehouseHost
import MCPClient
import StrictJSON
import TrustCore

/// `gatehouse-fuzz soak PYTHON SERVER_SCRIPT CALLS`: the fault-injection soak (issue 7). Five verified
/// servers (three stdio, two Streamable HTTP; `soak_server.py`) behind one `HostSession`; CALLS `echo`
/// calls from eight concurrent tasks while a chaos task kills, stalls (SIGSTOP) or garbles (SIGUSR1)
/// random servers. Prints one JSON summary: every call's outcome (a result whose text is the request's own
/// nonce, or an error with a stable code), the slowest call, reconnections, children and server processes left and descriptors
/// before and after. In its own process, so the descriptor and child counts are this run's alone.
enum Soak {
    static let issuer = "https://registry.soak.example"
    static let stdioServers = ["s1", "s2", "s3"]
    static let httpServers = ["h1", "h2"]

    static func run(python: String, script: String, calls: Int) async -> JSONValue {
        let state = NSTemporaryDirectory() + "gatehouse-soak-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: state) }
        let fleet = SoakFleet(python: python, script: script, state: state)
        defer { fleet.stopAll() }
        guard let profile = fleet.prepare(issuer: issuer, stdio: stdioServers, http: httpServers) else {
            return ["error": "could not prepare the fleet"]
        }
        let registry = RegistrySource(registries: profile.registries)
        let host = HostSession(profile: profile, store: TrustStore(emptyAt: state + "/trust.json"), registry: registry)
        await host.setFollowListChanges(false)
        let names = stdioServers + httpServers
        let first = await host.connect()
        let verifiedAtStart = first.filter { $0.verdict == .verified && $0.loaded }.count
        for name in names { _ = try? await host.call(server: name, tool: "echo", arguments: ["text": "warm-up"]) }
        let descriptorsAtStart = SoakFleet.openDescriptors()

        let chaos = Task { await fleet.chaos(names: names) }
        let outcomes = await withTaskGroup(of: [CallOutcome].self) { group in
            let workers = 8
            for worker in 0..<workers {
                group.addTask {
                    var results: [CallOutcome] = []
                    for index in stride(from: worker, to: calls, by: workers) {
                        // Paced, so the calls span the chaos (about 15 s for 2000 calls).
                        try? await Task.sleep(for: .milliseconds(Int.random(in: 20...100)))
                        results.append(await call(host, server: names[index % names.count], nonce: "soak-\(index)-\(UInt32.random(in: 0...UInt32.max))"))
                    }
                    return results
                }
            }
            var all: [CallOutcome] = []
            for await results in group { all += results }
            return all
        }
        chaos.cancel()
        let injected = await chaos.value
        fleet.restoreAll()
        try? await Task.sleep(for: .milliseconds(1100))  // past the host's one-reconnection-a-second limit
        var finalCalls = JSONObject()
        for name in names {
            let outcome = await call(host, server: name, nonce: "final-\(name)")
            finalCalls[name] = .string(outcome.code)
        }
        let statuses = await host.servers
        let verifiedAtEnd = names.filter { statuses[$0]?.verdict == .verified && statuses[$0]?.loaded == true }.count
        // Connections being closed (a stalled server gets SIGTERM after 2 s and SIGKILL after 4 s) and transfers
        // abandoned while a server was stalled finish in their own time; give them up to 15 s. libcurl keeps up to
        // keptConnections idle connections open for reuse, which are not leaks.
        func settled(_ kinds: [String: Int]) -> Bool {
            kinds.filter { $0.key != "socket" } == descriptorsAtStart.filter { $0.key != "socket" }
                && (kinds["socket"] ?? 0) <= (descriptorsAtStart["socket"] ?? 0) + CurlHTTPClient.keptConnections
        }
        var descriptorsAtEnd = SoakFleet.openDescriptors()
        for _ in 0..<75 where !settled(descriptorsAtEnd) {
            try? await Task.sleep(for: .milliseconds(200))
            descriptorsAtEnd = SoakFleet.openDescriptors()
        }
        let socketsAtEnd = SoakFleet.socketDetails()
        let reconnections = await host.reconnectionCount
        await host.close()
        fleet.stopAll()
        // Closing the host runs the shutdown of SPEC §7 and returns once every server is reaped, so what
        // is counted at once is what leaked.
        let unreapedServers = ManagedProcesses.liveCount
        let processesLeft = fleet.taggedProcesses().count
        let childrenLeft = SoakFleet.waitForChildren(seconds: 20)

        var codes = JSONObject()
        for (code, count) in Dictionary(grouping: outcomes, by: \.code).mapValues(\.count).sorted(by: { $0.key < $1.key }) {
            codes[code] = .number(JSONNumber(Int64(count)))
        }
        return [
            "calls": .number(JSONNumber(Int64(outcomes.count))),
            "outcomes": .object(codes),
            "misrouted": .number(JSONNumber(Int64(outcomes.filter(\.misrouted).count))),
            "slowestCallSeconds": JSONNumber(outcomes.map(\.seconds).max() ?? 0).map(JSONValue.number) ?? .null,
            "chaos": .object(injected),
            "reconnections": .number(JSONNumber(Int64(reconnections))),
            "verifiedAtStart": .number(JSONNumber(Int64(verifiedAtStart))),
            "verifiedAtEnd": .number(JSONNumber(Int64(verifiedAtEnd))),
            "finalCalls": .object(finalCalls),
            "descriptorsAtStart": counts(descriptorsAtStart),
            "descriptorsAtEnd": counts(descriptorsAtEnd),
            "socketsAtEnd": .array(socketsAtEnd.map(JSONValue.string)),
            "keptConnections": .number(JSONNumber(Int64(CurlHTTPClient.keptConnections))),
            "childrenLeft": .number(JSONNumber(Int64(childrenLeft))),
            "processesLeft": .number(JSONNumber(Int64(processesLeft))),
            "unreapedServers": .number(JSONNumber(Int64(unreapedServers))),
        ]
    }

    static func counts(_ kinds: [String: Int]) -> JSONValue {
        var object = JSONObject()
        for (kind, count) in kinds.sorted(by: { $0.key < $1.key }) { object[kind] = .number(JSONNumber(Int64(count))) }
        return .object(object)
    }

    struct CallOutcome: Sendable {
        /// `ok`, or the error's stable code (`unclassified` for an error without one).
        let code: String
        let misrouted: Bool
        let seconds: Double
    }

    static func call(_ host: HostSession, server: String, nonce: String) async -> CallOutcome {
        let start = ContinuousClock.now
        func elapsed() -> Double {
            let duration = ContinuousClock.now - start
            return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
        do {
            let result = try await host.call(server: server, tool: "echo", arguments: ["text": .string(nonce)])
            let text = result["content"]?.arrayValue?.first?["text"]?.stringValue
            return CallOutcome(code: "ok", misrouted: text != nonce, seconds: elapsed())
        } catch let error as MCPClientError {
            return CallOutcome(code: error.code.rawValue, misrouted: false, seconds: elapsed())
        } catch let error as HostError {
            return CallOutcome(code: error.code.rawValue, misrouted: false, seconds: elapsed())
        } catch {
            return CallOutcome(code: "unclassified", misrouted: false, seconds: elapsed())
        }
    }
}
