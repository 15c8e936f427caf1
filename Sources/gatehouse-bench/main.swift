// In-process benchmarks (issue 6; bench/run.sh runs them beside their peers):
//   gatehouse-bench verify OUTPUT_DIR                          passport verification (VerifyBenchmark.swift)
//   gatehouse-bench batch                                      10 000 distinct passports from 1 and 2 tasks (same file)
//   gatehouse-bench calls COUNT ERA PARAMS -- COMMAND [ARGS…]  sequential tools/call round trips (CallBenchmark.swift)
// Everything runs off the main actor: top-level code is main-actor isolated, and a closure formed there
// would hop executors on every call, which would dominate the measurement.
import Foundation

func measure(rounds: Int, iterations: Int, _ cases: [(String, () async -> Bool)]) async -> [String: [Double]] {
    var perOperation: [String: [Double]] = [:]
    for (_, body) in cases { for _ in 0..<200 { _ = await body() } }
    for _ in 0..<rounds {
        for (name, body) in cases {
            let start = ContinuousClock.now
            var ok = true
            for _ in 0..<iterations { ok = await body() && ok }
            let elapsed = ContinuousClock.now - start
            precondition(ok, "\(name) failed to verify")  // a benchmark of a failing verification would be meaningless
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            perOperation[name, default: []].append(seconds / Double(iterations) * 1e6)
        }
    }
    return perOperation
}

nonisolated func runBenchmarks() async {
    let arguments = Array(CommandLine.arguments.dropFirst())
    switch arguments.first {
    case "verify" where arguments.count == 2:
        await verifyBenchmark(output: arguments[1])
    case "batch" where arguments.count == 1:
        await batchBenchmark()
    case "calls" where arguments.count >= 6 && arguments[4] == "--":
        await callBenchmark(count: Int(arguments[1]) ?? 0, era: arguments[2], params: arguments[3], command: Array(arguments[5...]))
    default:
        FileHandle.standardError.write(Data("""
            usage: gatehouse-bench verify OUTPUT_DIR
                   gatehouse-bench batch
                   gatehouse-bench calls COUNT legacy|stateless|auto PARAMS_JSON -- COMMAND [ARGS...]

            """.utf8))
        exit(2)
    }
}

await runBenchmarks()
