import Foundation
import MCPClient
import StrictJSON

/// `gatehouse-bench calls COUNT ERA PARAMS -- COMMAND [ARGS…]`: Gatehouse's MCP client (the layer every
/// host call goes through) starts COMMAND over stdio, negotiates (ERA `legacy` or `stateless` forces one;
/// `auto` probes as the host does), then sends COUNT sequential `tools/call` requests with PARAMS
/// (`{"name": …, "arguments": {…}}`). Prints the same JSON as bench/rawclient.c and bench/sdk_client.py:
/// per-call latencies in µs, this process's user+system CPU per call (the server's is not counted) and
/// the wall time of the calls.
nonisolated func callBenchmark(count: Int, era: String, params: String, command: [String]) async {
    guard let parsed = try? JSONParser().parse(params), let name = parsed["name"]?.stringValue,
        let program = command.first, count > 0
    else {
        FileHandle.standardError.write(Data("gatehouse-bench calls: COUNT > 0 and PARAMS {\"name\": …, \"arguments\": {…}} needed\n".utf8))
        exit(2)
    }
    let arguments = parsed["arguments"]?.objectValue ?? JSONObject()
    let forced: ProtocolEra? = era == "auto" ? nil : ProtocolEra(rawValue: era)
    let specification = LaunchSpecification(command: program, arguments: Array(command.dropFirst()))
    let configuration = ServerConfiguration(transport: .stdio(specification), timeouts: Timeouts(connect: 30, call: 30), era: forced)
    do {
        let report = try await TaskNursery.withNursery { nursery in
            try await measure(configuration, in: nursery, count: count, name: name, arguments: arguments)
        }
        print(JSONSerializer.string(.object(report)))
    } catch {
        FileHandle.standardError.write(Data("gatehouse-bench calls: \(error)\n".utf8))
        exit(1)
    }
}

/// Connects, makes `count` sequential calls of tool `name` and reports their latencies and CPU.
private func measure(
    _ configuration: ServerConfiguration, in nursery: TaskNursery, count: Int, name: String, arguments: JSONObject
) async throws -> JSONObject {
    let session = try await MCPSession.connect(configuration, in: nursery, eraCache: EraCache())
    var latencies: [Double] = []
    latencies.reserveCapacity(count)
    let cpuStart = cpuSeconds()
    let wallStart = ContinuousClock.now
    for _ in 0..<count {
        let start = ContinuousClock.now
        let result = try await session.callTool(name, arguments: arguments)
        latencies.append(microseconds(ContinuousClock.now - start))
        guard result["isError"] != true else { throw BenchmarkFailure("the tool reported an error: \(result)") }
    }
    let wall = microseconds(ContinuousClock.now - wallStart) / 1e6
    let cpu = cpuSeconds() - cpuStart
    await session.close()
    var report = JSONObject()
    report["era"] = .string(session.handshake.era.rawValue)
    report["latencies_us"] = .array(latencies.compactMap { JSONNumber($0).map(JSONValue.number) })
    report["cpu_us_per_call"] = JSONNumber(cpu / Double(count) * 1e6).map(JSONValue.number) ?? .null
    report["wall_s"] = JSONNumber(wall).map(JSONValue.number) ?? .null
    return report
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func microseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
}

/// This process's user + system CPU time in seconds (all threads; children not included).
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
        + Double(usage.ru_stime.tv_usec) / 1e6
}
