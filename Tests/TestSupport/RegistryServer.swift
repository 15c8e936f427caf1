import Foundation

/// The Python registry server of `Tests/Scripts/registry_server.py`, running on 127.0.0.1 for one test.
public final class RegistryServer: @unchecked Sendable {
    /// The directory it serves; write files here to change what it answers.
    public let root: String
    /// Its base URL, `http://127.0.0.1:PORT`.
    public let baseURL: String
    private let logPath: String
    private let process: Process

    /// Starts a server (the test venv's Python, or the system one: it needs only the standard library) and
    /// waits for its port without blocking a Swift concurrency thread.
    public static func start() async throws -> RegistryServer {
        let root = try Repository.temporaryDirectory()
        let logPath = root + ".log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        let python = (try? Repository.python()) ?? "/usr/bin/env"
        process.executableURL = URL(fileURLWithPath: python)
        let script = [Repository.script("registry_server.py"), "--root", root, "--log", logPath]
        process.arguments = python == "/usr/bin/env" ? ["python3"] + script : script
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let reader = output.fileHandleForReading
        let line = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: reader.readLine()) }.start()
        }
        guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            throw SupportError("the registry server did not report a port (\(line))")
        }
        return RegistryServer(root: root, logPath: logPath, process: process, port: port)
    }

    private init(root: String, logPath: String, process: Process, port: Int) {
        self.root = root
        self.logPath = logPath
        self.process = process
        self.baseURL = "http://127.0.0.1:\(port)"
    }

    deinit {
        stop()
    }

    /// Stops the server. SIGKILL, because a child started by Foundation's `Process` from a test thread
    /// inherits that thread's blocked-signal mask, in which SIGTERM is blocked.
    public func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Writes `text` as the file served at `path`, with optional behaviour.
    public func serve(_ path: String, _ text: String, status: Int = 200, headers: [String: String] = [:],
                      delay: Double = 0, trickle: Double = 0) throws {
        let file = root + "/" + path
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true
        )
        let meta: [String: Any] = ["status": status, "headers": headers, "delay": delay, "trickle": trickle]
        try JSONSerialization.data(withJSONObject: meta).write(to: URL(fileURLWithPath: file + ".meta.json"))
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
    }

    /// Makes every request fail (connection closed) until ``up()``.
    public func down() {
        _ = FileManager.default.createFile(atPath: root + "/_down", contents: Data())
    }

    /// Undoes ``down()``.
    public func up() {
        try? FileManager.default.removeItem(atPath: root + "/_down")
    }

    /// The requests received so far, as "METHOD PATH" lines.
    public var requests: [String] {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    /// How many requests named `path`.
    public func count(_ path: String) -> Int {
        requests.filter { $0.hasSuffix(" " + path) }.count
    }
}

extension FileHandle {
    /// Reads one line (blocking), without the newline.
    func readLine() -> String {
        var bytes = Data()
        while true {
            let byte = readData(ofLength: 1)
            if byte.isEmpty || byte.first == 0x0A { break }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
