import Foundation

/// A long-running helper server (an HTTP MCP server, say) on a free loopback port, stopped with SIGKILL
/// when the test releases it (see `RegistryServer.stop` for why not SIGTERM).
public final class ServerProcess: @unchecked Sendable {
    /// The port it listens on.
    public let port: Int
    private let process: Process

    /// Starts `executable arguments…` where `{port}` in an argument is replaced by a free port, and waits
    /// (up to `timeout` seconds, without blocking a Swift concurrency thread) until the port accepts
    /// connections.
    public static func start(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], port: Int? = nil, timeout: Double = 30
    ) async throws -> ServerProcess {
        let server = try ServerProcess(executable, arguments, environment: environment, port: port)
        let deadline = ContinuousClock.now + .seconds(timeout)
        while !accepts(server.port) {
            guard ContinuousClock.now < deadline, server.process.isRunning else {
                server.stop()
                throw SupportError("\(executable) did not listen on port \(server.port) within \(timeout) s")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return server
    }

    /// Starts a server that binds ports the kernel picks and reports them as a JSON object of port numbers
    /// in the file given as its last argument; waits (up to `timeout` seconds) for that file. No other test
    /// can be handed the same ports, as it can between `freePort()` and a later bind.
    public static func startReportingPorts(
        _ executable: String, _ arguments: [String], timeout: Double = 30
    ) async throws -> (ServerProcess, [String: Int]) {
        let file = try Repository.temporaryDirectory() + "/ports.json"
        let server = try ServerProcess(executable, arguments + [file], environment: [:], port: 0)
        let deadline = ContinuousClock.now + .seconds(timeout)
        while true {
            if let data = FileManager.default.contents(atPath: file),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Int]
            {
                return (server, object)
            }
            guard ContinuousClock.now < deadline, server.process.isRunning else {
                server.stop()
                throw SupportError("\(executable) did not report its ports within \(timeout) s")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    private init(_ executable: String, _ arguments: [String], environment: [String: String], port: Int?) throws {
        if let port { self.port = port } else { self.port = try Self.freePort() }
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments.map { $0.replacingOccurrences(of: "{port}", with: String(self.port)) }
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        // Not the test runner's stdin: a server that ends when its stdin closes would end at once.
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    deinit { stop() }

    /// Kills the server. It does not wait: `waitUntilExit` spins a run loop on the calling thread, and a
    /// blocked Swift concurrency thread stalls every other test (Foundation reaps the child itself).
    public func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// True while the process runs.
    public var isRunning: Bool { process.isRunning }

    /// A port that is free now.
    public static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw SupportError("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// The Python MCP servers of `Tests/Scripts/servers`.
public enum TestServers {
    /// `.venv` (mcp 2.3.x) or `.venv-legacy` (mcp 1.30.x) Python.
    public static func python(legacy: Bool = false) throws -> String {
        let path = Repository.root + (legacy ? "/.venv-legacy/bin/python3" : "/.venv/bin/python3")
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw SupportError("missing \(path): run `make venv` (the README's test command does)")
        }
        return path
    }

    /// Compiles the benchmark's native echo server (`bench/echo_server.c`) into `directory`; its path.
    public static func nativeEchoServer(in directory: String) async throws -> String {
        let binary = directory + "/echo_server"
        let built = try await ChildProcess.run("/usr/bin/env", ["cc", "-O2", "-o", binary, Repository.root + "/bench/echo_server.c"])
        guard built.status == 0 else { throw SupportError("cc failed: \(built.stderr)") }
        return binary
    }

    /// A server script's path.
    public static func script(_ name: String) -> String {
        Repository.root + "/Tests/Scripts/servers/" + name
    }
}

/// Limits how many tests start Python MCP servers at once: each costs a second or more of CPU to import the
/// SDK, and on a 2-core machine twenty at once push handshakes past their timeouts. A test's time limit
/// counts its wait for a slot, which in the whole suite reaches two minutes (more under the sanitizers);
/// so the suites set five minutes, a bound for a hang, not a timing check.
public actor ServerSlots {
    /// The shared limit.
    public static let shared = ServerSlots(limit: 3)
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        free = limit
    }

    /// Runs `body` holding a slot.
    public static func run<Value: Sendable>(_ body: () async throws -> Value) async throws -> Value {
        await shared.acquire()
        do {
            let value = try await body()
            await shared.release()
            return value
        } catch {
            await shared.release()
            throw error
        }
    }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
