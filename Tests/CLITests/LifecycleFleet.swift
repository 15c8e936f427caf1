import Foundation
import StrictJSON
import TestSupport

/// A fleet of stdio servers that are hard to stop (`stubborn_server.py`), each tagged through its
/// environment so that every process it leaves behind — a grandchild in its group, a shell wrapper's
/// background `sleep` — can be found in `/proc` after Gatehouse has exited.
struct LifecycleFleet {
    /// Grace period and timeouts the fleet's profile sets (seconds).
    static let grace = 3.0
    static let connect = 2.0
    static let call = 2.0

    let tag = "lifecycle-\(UUID().uuidString.prefix(12))"
    let directory: String
    let profile: String

    /// Five servers that ignore SIGTERM and EOF and never answer, one that also forks a grandchild into its
    /// group, one started through a shell wrapper that leaves `sleep 300 &` behind, one that stops reading
    /// its stdin after the handshake, and two that answer, fork a grandchild, and ignore SIGTERM and EOF
    /// (the last four allowed unverified, so that a call reaches them and they stay connected).
    /// `stubborn` sets how many of the silent, signal-ignoring servers there are.
    init(stubborn: Int = 5) throws {
        directory = try Repository.temporaryDirectory()
        let python = try TestServers.python()
        let script = TestServers.script("stubborn_server.py")
        let timeouts: JSONValue = [
            "connect": .number(JSONNumber(Int64(Self.connect))), "call": .number(JSONNumber(Int64(Self.call))),
            "shutdown": .number(JSONNumber(Int64(Self.grace))),
        ]
        let environment: JSONValue = ["GATEHOUSE_LIFECYCLE_TAG": .string(tag)]
        func entry(_ command: String, _ arguments: [String], allowed: Bool = false) -> JSONValue {
            var entry: JSONObject = [
                "command": .string(command), "args": .array(arguments.map(JSONValue.string)),
                "env": environment, "timeouts": timeouts,
            ]
            if allowed { entry["trust"] = ["allowUnverified": true] }
            return .object(entry)
        }
        var servers = JSONObject()
        for index in 1...stubborn { servers["stubborn\(index)"] = entry(python, [script, "stubborn"]) }
        servers["forking"] = entry(python, [script, "stubborn-fork"])
        servers["wrapped"] = entry("/bin/sh", ["-c", "sleep 300 & exec \(python) \(script) polite"], allowed: true)
        servers["reader"] = entry(python, [script, "never-reads"], allowed: true)
        for index in 1...2 { servers["clingy\(index)"] = entry(python, [script, "clingy"], allowed: true) }
        profile = directory + "/fleet.json"
        try Data(JSONSerializer.bytes(["mcpServers": .object(servers)])).write(to: URL(fileURLWithPath: profile))
    }

    /// The trust store option every run of the fleet uses.
    var store: [String] { ["--trust-store", directory + "/trust.json"] }

    /// The pids of live processes that carry this fleet's tag (zombies have no environment to read).
    func survivors() -> [Int32] {
        let needle = Data("GATEHOUSE_LIFECYCLE_TAG=\(tag)".utf8)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                  let handle = FileHandle(forReadingAtPath: "/proc/\(entry)/environ") else { return nil }
            defer { try? handle.close() }
            let environment = handle.readDataToEndOfFile()
            let isTagged = environment.split(separator: 0).contains { Data($0) == needle }
            return isTagged ? pid : nil
        }
    }

    /// Runs `body` (a whole Gatehouse command) and returns its result with the time from the moment the
    /// fleet's first process appeared to the end of `body`: the servers' timeouts and the shutdown, without
    /// the start-up of Gatehouse itself, which a loaded 2-core machine can stretch by seconds.
    func measured<Value: Sendable>(_ body: () async throws -> Value) async throws -> (Value, Duration) {
        let firstSeen = Task { () -> ContinuousClock.Instant in
            while survivors().isEmpty, !Task.isCancelled { try? await Task.sleep(for: .milliseconds(10)) }
            return ContinuousClock.now
        }
        let value = try await body()
        let end = ContinuousClock.now
        firstSeen.cancel()
        return (value, end - (await firstSeen.value))
    }

    /// The survivors once Gatehouse has exited: the ones still there 2 s later (SIGKILL is delivered, not
    /// awaited, to a launcher's background children, so one may take a moment to die; one that escaped
    /// the group lives on and is returned). Returns as soon as none is left.
    func survivorsAfterExit() async throws -> [Int32] {
        let deadline = ContinuousClock.now + .seconds(2)
        var left = survivors()
        while !left.isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            left = survivors()
        }
        return left
    }

    /// Kills whatever a failed test left behind so that it does not outlive the test run.
    func killSurvivors() {
        for pid in survivors() { kill(pid, SIGKILL) }
    }

    /// Waits until `pid` has exited, at most `timeout` seconds; returns how long it took, or nil when it was
    /// still running. A zombie has exited: its parent (the tmux server) may take a second to reap it.
    static func waitForExit(of pid: Int32, timeout: Double = 30) async throws -> Duration? {
        let start = ContinuousClock.now
        while isRunning(pid) {
            guard ContinuousClock.now - start < .seconds(timeout) else { return nil }
            try await Task.sleep(for: .milliseconds(10))
        }
        return ContinuousClock.now - start
    }

    /// True while `pid` exists and is not a zombie (field 3 of `/proc/PID/stat` is its state).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: "/proc/\(pid)/stat") else { return false }
        defer { try? handle.close() }
        let stat = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        guard let afterName = stat.range(of: ") ", options: .backwards) else { return false }
        return !stat[afterName.upperBound...].hasPrefix("Z")
    }
}
