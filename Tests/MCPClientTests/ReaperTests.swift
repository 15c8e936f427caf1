import Foundation
@testable import MCPClient
import Locking
import TestSupport
import Testing

/// The one reaper thread: SPEC §7's stop sequence step by step on real processes, with pidfds and with the
/// fallback that checks every 2 ms, and that it stays one thread, asleep when there is nothing to do.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct ReaperTests {
    /// Scheduling slack for a busy 2-core machine (more under the sanitizers).
    static let slack = Duration.seconds(3 + 5 * TestTiming.slack)

    static func launch(_ script: String, grace: Double) throws -> ManagedProcess {
        try ProcessLauncher.launch(LaunchSpecification(command: "/bin/sh", arguments: ["-c", script]), grace: grace)
    }

    /// Reads the process's stdout until its first line (the script's "ready"), so it is really running; on a
    /// thread of its own, since the read blocks.
    static func awaitReady(_ process: ManagedProcess) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                var byte: UInt8 = 0
                while read(process.stdout, &byte, 1) == 1, byte != 0x0A {}
                continuation.resume()
            }.start()
        }
    }

    static func stop(_ processes: [ManagedProcess], with reaper: Reaper) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            reaper.stop(processes) { continuation.resume() }
        }
        for process in processes {
            close(process.stdout)
            close(process.stderr)
        }
    }

    /// The thread ids of this process's threads named `gatehouse.reap`.
    static func reaperThreads() -> Set<String> {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return Set(tasks.filter { task in
            let name = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)
            return name?.trimmingCharacters(in: .whitespacesAndNewlines) == "gatehouse.reap"
        })
    }

    /// Whether `pid` is gone (or only a zombie waiting for its new parent to reap it).
    static func isGone(_ pid: String) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
    }

    @Test("a server that exits on end of file is reaped with its own status, no signal, well inside its grace",
          arguments: [true, false])
    func endOfFile(pidfds: Bool) async throws {
        let reaper = Reaper(opensExitDescriptors: pidfds)
        // A first stop through a cold reaper is slow enough (lazy binding, first allocations) that a server
        // could exit on end of file before a premature SIGTERM went out; warm it so the check can fail.
        await Self.stop([try Self.launch("exit 0", grace: 1)], with: reaper)
        let process = try Self.launch("echo ready; read line; exit 3", grace: 60)
        await Self.awaitReady(process)
        let started = ContinuousClock.now
        await Self.stop([process], with: reaper)
        #expect(process.isReaped)
        #expect(process.exitStatus == 3 << 8, "exited by itself with status 3, not signalled: \(String(describing: process.exitStatus))")
        // Loose (a stop beside the whole suite under ThreadSanitizer took 12 s), yet far from the 60 s grace.
        #expect(ContinuousClock.now - started < .seconds(30), "did not wait for the grace period")
    }

    @Test("a group that ignores SIGTERM lives out its grace, then SIGKILL ends the leader and its background child",
          arguments: [true, false])
    func stubbornGroup(pidfds: Bool) async throws {
        let reaper = Reaper(opensExitDescriptors: pidfds)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("reaper-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        let process = try Self.launch("trap '' TERM; sleep 300 & echo $! > '\(file.path)'; wait", grace: 0.4)
        var child: String?
        for _ in 0..<500 where child == nil {
            child = (try? String(contentsOf: file, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            if child?.isEmpty == true { child = nil }
            if child == nil { try await Task.sleep(for: .milliseconds(10)) }  // polls a file the script writes
        }
        let background = try #require(child, "the script wrote its background child's id")
        let started = ContinuousClock.now
        await Self.stop([process], with: reaper)
        let took = ContinuousClock.now - started
        #expect(process.exitStatus.map { $0 & 0x7F } == SIGKILL, "ended by SIGKILL")
        #expect(took >= .milliseconds(360), "lived out its grace: \(took)")
        #expect(took < .seconds(1.4) + Self.slack, "grace + 1 s: \(took)")
        #expect(Self.isGone(background), "the background child \(background) was killed with its group")
    }

    @Test("twenty stubborn servers stop in one grace period, on one thread")
    func manyStopsOneThread() async throws {
        let before = Self.reaperThreads()
        let reaper = Reaper()
        let processes = try (0..<20).map { _ in try Self.launch("trap '' TERM; exec sleep 300", grace: 0.5) }
        let seen = Locked(Set<String>())
        let stopping = Task {
            await withTaskGroup(of: Void.self) { group in
                for process in processes { group.addTask { await Self.stop([process], with: reaper) } }
            }
        }
        let started = ContinuousClock.now
        while ContinuousClock.now - started < .milliseconds(400) {
            let now = Self.reaperThreads()
            seen.withLock { $0.formUnion(now) }
            try await Task.sleep(for: .milliseconds(20))  // samples the thread list while the stops run
        }
        await stopping.value
        let took = ContinuousClock.now - started
        #expect(processes.allSatisfy { $0.isReaped })
        #expect(took < .seconds(1.5) + Self.slack, "one grace period for all twenty, not twenty: \(took)")
        let new = seen.withLock { $0.subtracting(before) }
        #expect(new.count == 1, "one reaper thread for twenty stops, saw \(new.count) new")
    }

    @Test("an idle reaper sleeps: watching a running server with a pidfd wakes it for the exit, not before")
    func idleReaperSleeps() async throws {
        let reaper = Reaper()
        let process = try Self.launch("read line; exit 5", grace: 2)
        let exited = Locked<CheckedContinuation<Int32?, Never>?>(nil)
        let status = await withCheckedContinuation { (continuation: CheckedContinuation<Int32?, Never>) in
            exited.withLock { $0 = continuation }
            reaper.whenExited(process) { status in exited.withLock { $0?.resume(returning: status); $0 = nil } }
            Task {
                // An observation window, not a synchronisation: with a timeout-driven loop the reaper would
                // wake every few milliseconds while the server runs.
                try? await Task.sleep(for: .milliseconds(50))
                let asleep = reaper.wakeCount
                try? await Task.sleep(for: .milliseconds(300))
                #expect(reaper.wakeCount - asleep <= 1, "woke \(reaper.wakeCount - asleep) times with nothing to do")
                process.stdin.close()
            }
        }
        #expect(status == 5 << 8, "the exit waiter got the server's own status")
        await Self.stop([process], with: reaper)
        #expect(process.isReaped)
        let settled = reaper.wakeCount
        try await Task.sleep(for: .milliseconds(300))  // the same observation window, after the stop
        #expect(reaper.wakeCount - settled <= 1, "an idle reaper woke \(reaper.wakeCount - settled) times")
    }
}
