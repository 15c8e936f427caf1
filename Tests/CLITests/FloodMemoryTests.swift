import Foundation
import StrictJSON
import TestSupport
import Testing

/// A server that writes 20 MiB without a newline (SPEC §7: cut off at 16 MiB with
/// `protocol.frame_too_large`) costs a `gatehouse` process a bounded amount of memory.
@Suite(.timeLimit(.minutes(5)))
struct FloodMemoryTests {
    /// Memory is measured in a `gatehouse` process of its own: this test process's resident size also
    /// holds every test running beside this one.
    @Test("the same flood costs a gatehouse process a bounded amount of memory")
    func floodMemory() async throws {
        try await ServerSlots.run {
            let directory = try Repository.temporaryDirectory()
            func profile(_ mode: String) throws -> String {
                let path = directory + "/\(mode).json"
                let entry: JSONValue = [
                    "command": .string(try TestServers.python()), "args": [.string(TestServers.script("misbehaving_server.py")), .string(mode)],
                    "trust": ["allowUnverified": true],
                ]
                try Data(JSONSerializer.bytes(["mcpServers": ["server": entry]])).write(to: URL(fileURLWithPath: path))
                return path
            }
            let gatehouse = try Gatehouse()
            let store = ["--trust-store", directory + "/trust.json"]
            let calm = try await gatehouse.run(["tools", "--profile", try profile("noisy")] + store, timeout: 120)
            let flooded = try await gatehouse.run(["tools", "--profile", try profile("flood")] + store, timeout: 120)
            #expect(flooded.stdout.contains("protocol.frame_too_large"), "\(flooded.stdout)\(flooded.stderr)")
            let growth = flooded.peakResidentBytes - calm.peakResidentBytes
            #expect(calm.peakResidentBytes > 0)
            #expect(growth < 48 * 1024 * 1024, "peak resident memory (a calm run: about 35 MB; the 16 MiB frame cap adds about 16) \(flooded.peakResidentBytes) bytes, \(growth) above a calm run")
        }
    }
}
