import Foundation
import GatehouseCLI
import TestSupport
import Testing

/// The `--help` of `gatehouse` and of every subcommand, compared with `Tests/CLITests/Golden/help/`, so any
/// change to the command-line surface shows up in review. `GATEHOUSE_UPDATE_GOLDEN=1 swift test --filter
/// HelpGoldenTests` rewrites the files. COLUMNS is fixed, so the wrapping does not depend on the terminal.
@Suite(.timeLimit(.minutes(2)))
struct HelpGoldenTests {
    static let directory = Repository.root + "/Tests/CLITests/Golden/help"
    static let updating = ProcessInfo.processInfo.environment["GATEHOUSE_UPDATE_GOLDEN"] == "1"

    /// `gatehouse.txt` for the root, `gatehouse-passport-verify.txt` for `gatehouse passport verify`.
    static func file(_ path: [String]) -> String {
        directory + "/" + (["gatehouse"] + path).joined(separator: "-") + ".txt"
    }

    @Test("every command's --help matches its golden file", arguments: [[]] + GatehouseRoot.commandPaths)
    func help(_ path: [String]) async throws {
        let gatehouse = try Gatehouse()
        let output = try await gatehouse.run(path + ["--help"], environment: ["COLUMNS": "100", "LINES": "40"])
        #expect(output.status == 0, "\(output.stderr)")
        let file = Self.file(path)
        if Self.updating {
            try FileManager.default.createDirectory(atPath: Self.directory, withIntermediateDirectories: true)
            try Data(output.stdout.utf8).write(to: URL(fileURLWithPath: file))
        }
        let golden = try #require(
            FileManager.default.contents(atPath: file), "no \(file); run with GATEHOUSE_UPDATE_GOLDEN=1 to write it"
        )
        #expect(output.stdout == String(decoding: golden, as: UTF8.self), "gatehouse \(path.joined(separator: " ")) --help")
    }

    @Test("the golden directory holds a file for each command and nothing else")
    func noStaleFiles() throws {
        let expected = Set(([[]] + GatehouseRoot.commandPaths).map { URL(fileURLWithPath: Self.file($0)).lastPathComponent })
        let present = try FileManager.default.contentsOfDirectory(atPath: Self.directory).filter { !$0.hasPrefix(".") }
        #expect(Set(present) == expected)
    }
}
