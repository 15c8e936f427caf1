import Foundation
import Locking

/// Every server process this program started and has not reaped yet, and the entry points of SPEC §7's
/// shutdown sequence, which the one ``Reaper`` thread runs (the steps are in ``ReaperTable``).
///
/// The sequence runs for any number of servers at once, so 50 stubborn servers take one grace period, not
/// 50, and is bounded by the longest grace plus about a second, whatever the servers do. The command line
/// runs it over every remaining process before it exits, on SIGTERM, SIGHUP and Ctrl-C too (``stopAll()``).
public enum ManagedProcesses {
    private static let live = Locked<[pid_t: ManagedProcess]>([:])

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
        let processes = live.withLock { Array($0.values) }
        let finished = DispatchSemaphore(value: 0)
        Reaper.shared.stop(processes) { finished.signal() }
        finished.wait()
    }

    /// Runs the shutdown sequence over `processes` and returns when it is over.
    static func stop(_ processes: [ManagedProcess]) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Reaper.shared.stop(processes) { continuation.resume() }
        }
    }

    /// Starts the shutdown sequence over `processes` and returns at once.
    static func stopInBackground(_ processes: [ManagedProcess]) {
        Reaper.shared.stop(processes) {}
    }
}
