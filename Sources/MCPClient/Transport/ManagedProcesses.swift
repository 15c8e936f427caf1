import Foundation
import Locking

/// Every server process this program started and has not reaped yet, and the shutdown sequence of SPEC §7.
///
/// The sequence, for any number of servers at once (so 50 stubborn servers take one grace period, not 50):
/// close each stdin; give the servers up to 100 ms to exit on end of file; send SIGTERM to each process
/// group; wait until each leader has exited or its own grace (`timeouts.shutdown`, default 2 s) has passed
/// since the stdin was closed; send SIGKILL to each group (the leader's zombie still holds the group id, so
/// this reaches a launcher's background children and never a stranger); reap. The whole sequence is bounded
/// by the longest grace plus about a second, whatever the servers do. The command line runs it over every
/// remaining process before it exits, on SIGTERM, SIGHUP and Ctrl-C too (``stopAll()``).
public enum ManagedProcesses {
    private static let live = Locked<[pid_t: ManagedProcess]>([:])

    /// How long the servers get to exit on end of file before SIGTERM.
    static let endOfFileWindow = 0.1
    /// How long the sequence waits for reaping after SIGKILL (a process in uninterruptible sleep).
    static let reapWindow = 1.0

    static func register(_ process: ManagedProcess) {
        live.withLock { $0[process.pid] = process }
    }

    static func forget(_ process: ManagedProcess) {
        live.withLock { table in
            if table[process.pid] === process { table[process.pid] = nil }
        }
    }

    /// How many started server processes have not been reaped yet.
    public static var liveCount: Int { live.withLock { $0.count } }

    /// The process ids of the started servers that have not been reaped yet.
    public static var livePIDs: [Int32] { live.withLock { Array($0.keys) } }

    /// Stops every server process still running (or not yet reaped), in parallel; returns when all are reaped.
    public static func stopAll() async {
        await stop(live.withLock { Array($0.values) })
    }

    /// ``stopAll()`` for a signal handler's thread: blocks the calling thread (never a Swift concurrency one).
    public static func stopAllBlocking() {
        stopBlocking(live.withLock { Array($0.values) })
    }

    /// Runs the shutdown sequence over `processes` on a thread of its own and waits for it.
    static func stop(_ processes: [ManagedProcess]) async {
        guard !processes.isEmpty else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            stopInBackground(processes) { continuation.resume() }
        }
    }

    /// Runs the shutdown sequence over `processes` on a thread of its own, then `done`; returns at once.
    static func stopInBackground(_ processes: [ManagedProcess], done: @escaping @Sendable () -> Void = {}) {
        let thread = Thread {
            stopBlocking(processes)
            done()
        }
        thread.name = "gatehouse.stop"
        thread.start()
    }

    /// The shutdown sequence, blocking.
    static func stopBlocking(_ processes: [ManagedProcess]) {
        let pending = processes.filter { !$0.isReaped }
        guard !pending.isEmpty else { return }
        let started = Date()
        for process in pending { process.stdin.close() }
        waitForExit(pending) { _ in started.addingTimeInterval(endOfFileWindow) }
        for process in pending { process.signalGroup(SIGTERM) }
        waitForExit(pending) { started.addingTimeInterval(max($0.grace, endOfFileWindow)) }
        for process in pending { process.signalGroup(SIGKILL) }
        let reapBy = Date().addingTimeInterval(reapWindow)
        var unreaped = pending
        while !unreaped.isEmpty, Date() < reapBy {
            unreaped.removeAll { $0.reap() }
            if !unreaped.isEmpty { usleep(2_000) }
        }
    }

    /// Polls until every leader has exited or passed its own deadline.
    private static func waitForExit(_ processes: [ManagedProcess], deadline: (ManagedProcess) -> Date) {
        var waiting = processes.filter { $0.exitStatus == nil }
        while !waiting.isEmpty {
            let now = Date()
            waiting.removeAll { $0.exitStatus != nil || deadline($0) <= now }
            if !waiting.isEmpty { usleep(2_000) }
        }
    }
}
