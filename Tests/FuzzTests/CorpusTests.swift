import Foundation
import FuzzTargets
import Testing
import TestSupport
import TrustCore

/// Every committed seed and every input that once crashed a fuzz target (`Tests/Fuzz/Regressions/TARGET/`)
/// goes through its target again on every test run: a crash here fails the whole suite.
@Suite struct CorpusTests {
    /// The files of `Tests/Fuzz/FOLDER/TARGET`, without hidden ones (`.gitkeep`). A missing directory fails the
    /// test instead of reading as empty: a renamed or uncommitted folder would otherwise test nothing.
    static func inputs(_ folder: String, _ target: FuzzTarget) throws -> [String] {
        let directory = Repository.root + "/Tests/Fuzz/\(folder)/\(target.rawValue)"
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory)
        try #require(exists && isDirectory.boolValue, "Tests/Fuzz/\(folder)/\(target.rawValue) is missing")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory + "/" + $0 }
    }

    @Test("every seed and every past crash runs through its target", arguments: FuzzTarget.allCases)
    func corpus(_ target: FuzzTarget) async throws {
        let seeds = try Self.inputs("Corpus", target)
        #expect(seeds.count >= 3, "the \(target.rawValue) corpus has seeds")
        for path in try seeds + Self.inputs("Regressions", target) {
            let bytes = try #require(FileManager.default.contents(atPath: path))
            await target.run([UInt8](bytes))
        }
    }

    @Test("the jws fixture's own token verifies, so fuzzing reaches the steps after the signature")
    func fixtureVerifies() async throws {
        #expect(await FuzzFixture.report(FuzzFixture.validToken()).verdict == .verified)
        let seed = try #require(FileManager.default.contents(atPath: Repository.root + "/Tests/Fuzz/Corpus/jws/fixture-valid"))
        #expect(await FuzzFixture.report(String(decoding: seed, as: UTF8.self)).verdict == .verified)
        let tampered = String(FuzzFixture.validToken().dropLast(2)) + "AA"
        #expect(await FuzzFixture.report(tampered).verdict == .rejected)
    }
}
