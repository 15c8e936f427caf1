import Foundation

/// Paths inside the repository, found from this file's location so tests work from any directory.
public enum Repository {
    /// The repository root.
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The bytes of a file under `Tests/Vectors`.
    public static func vector(_ relativePath: String) throws -> Data {
        let path = root + "/Tests/Vectors/" + relativePath
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SupportError("missing test vector file \(path)")
        }
        return data
    }

    /// A script under `Tests/Scripts`.
    public static func script(_ name: String) -> String {
        root + "/Tests/Scripts/" + name
    }

    /// The test venv's Python (`make venv` creates it). A test that needs it fails, never skips, when absent.
    public static func python() throws -> String {
        let path = ProcessInfo.processInfo.environment["GATEHOUSE_TEST_PYTHON"] ?? root + "/.venv/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw SupportError("the test venv is missing (\(path)); run `make venv` (the README's test command does)")
        }
        return path
    }

    /// The `gatehouse` binary built beside the test bundle.
    public static func gatehouseBinary() throws -> String {
        try builtBinary("gatehouse")
    }

    /// An executable of this package built next to the tests (a test target that runs it depends on it).
    public static func builtBinary(_ name: String) throws -> String {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
        for candidate in [bundleDirectory + "/" + name, root + "/.build/debug/" + name]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw SupportError("the \(name) binary was not built next to the tests (\(bundleDirectory))")
    }

    /// A fresh temporary directory.
    public static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "gatehouse-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// A failure of the test scaffolding itself (missing venv, binary, vector).
/// Extra seconds a timing bound allows in a sanitized build (`make sanitize` sets GATEHOUSE_TIMING_SLACK):
/// ASan and TSan slow every process several times over, and a bound that is SPEC's own (e.g. the shutdown
/// grace + 1 s) is checked exactly in the ordinary suite.
public enum TestTiming {
    /// Seconds to add to a timing bound (0 unless GATEHOUSE_TIMING_SLACK says otherwise).
    public static let slack: Double = ProcessInfo.processInfo.environment["GATEHOUSE_TIMING_SLACK"].flatMap(Double.init) ?? 0
}

public struct SupportError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
