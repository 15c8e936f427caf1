import Foundation
import Testing
import TestSupport

/// The trust core against an independent verifier (PyJWT with SPEC's policy written out in Python) over
/// 12 000 tokens mutated from a passport signed with a fresh key (`Tests/Fuzz/differential.py`).
@Suite struct DifferentialTests {
    @Test("12 000 mutated tokens: every disagreement with PyJWT is a documented, intended difference")
    func differential() async throws {
        let seed = String(Int.random(in: 1...1_000_000))
        let output = try await ChildProcess.run(
            try Repository.python(),
            [Repository.root + "/Tests/Fuzz/differential.py", try Repository.builtBinary("gatehouse-fuzz"), "12000", seed],
            timeout: 300
        )
        #expect(output.status == 0, "seed \(seed):\n\(output.stdout)\n\(output.stderr)")
        #expect(output.stdout.contains("tokens: 12000;"))
        #expect(output.stdout.contains("unexplained: 0"))
        // The mutations reach both outcomes, so the check compares something.
        let verifiedBoth = output.stdout.firstMatch(of: /both verified: (\d+)/).flatMap { Int($0.1) } ?? 0
        #expect(verifiedBoth > 500, "\(output.stdout)")
    }
}
