import Foundation
internal import CProcessShim

/// The reaper thread's own table: the processes it watches, each one's stop step, and who waits for what.
///
/// Only the reaper's thread touches it, and only it reaps (``ManagedProcess/reap()``), so a process it
/// finds unreaped cannot be reaped, and its id recycled, before the pidfd for it is open.
///
/// The stop sequence of one process, from the moment it is asked for: its stdin is closed; it gets
/// ``Reaper/endOfFileWindow`` to exit; then SIGTERM to its group; until its own grace (`timeouts.shutdown`)
/// has passed since the stdin closed; then SIGKILL to its group (the leader's zombie still holds the group
/// id, so this reaches a launcher's background children and never a stranger); then it is reaped, or given
/// up on after ``Reaper/reapWindow`` (it stays in ``ManagedProcesses``' table). A leader that has exited skips
/// the waits: its group gets SIGTERM and SIGKILL at once and the leader is reaped.
struct ReaperTable {
    private enum Step {
        case endOfFile(until: ContinuousClock.Instant)
        case terminate(until: ContinuousClock.Instant)
        case kill(until: ContinuousClock.Instant)
    }

    private struct Entry {
        let process: ManagedProcess
        /// A pidfd, or -1 (the process is checked every ``Reaper/fallbackInterval`` instead).
        let exitDescriptor: Int32
        var exitSeen = false
        var exitWaiters: [@Sendable (Int32?) -> Void] = []
        var stopStarted: ContinuousClock.Instant?
        var step: Step?
        var stopWaiters: [@Sendable () -> Void] = []
    }

    private var entries: [ObjectIdentifier: Entry] = [:]
    private let opensExitDescriptors: Bool

    init(opensExitDescriptors: Bool) {
        self.opensExitDescriptors = opensExitDescriptors
    }

    /// Adds a waiter for the exit of `process`.
    mutating func watch(_ process: ManagedProcess, _ exited: @escaping @Sendable (Int32?) -> Void) {
        var entry = entries[ObjectIdentifier(process)] ?? makeEntry(process)
        entry.exitWaiters.append(exited)
        entries[ObjectIdentifier(process)] = entry
    }

    /// Starts the stop sequence of `process` (or joins the one under way) and adds `done` to its waiters.
    mutating func stop(_ process: ManagedProcess, _ done: @escaping @Sendable () -> Void, at now: ContinuousClock.Instant) {
        var entry = entries[ObjectIdentifier(process)] ?? makeEntry(process)
        entry.stopWaiters.append(done)
        if entry.step == nil, !process.isReaped {
            process.stdin.close()
            entry.stopStarted = now
            entry.step = .endOfFile(until: now + Reaper.endOfFileWindow)
        }
        entries[ObjectIdentifier(process)] = entry
    }

    private func makeEntry(_ process: ManagedProcess) -> Entry {
        let descriptor = opensExitDescriptors && !process.isReaped ? cprocess_pidfd_open(process.pid) : -1
        return Entry(process: process, exitDescriptor: descriptor)
    }

    /// The pidfds to sleep on: those of processes whose exit has not been seen yet.
    var exitDescriptors: [Int32] {
        entries.values.compactMap { !$0.exitSeen && $0.exitDescriptor >= 0 ? $0.exitDescriptor : nil }
    }

    /// The next time something is due: a step's deadline, or the next check of a process without a pidfd;
    /// nil when only an exit (or a request) can change anything.
    func nextDeadline(fallback: Duration) -> ContinuousClock.Instant? {
        var earliest: ContinuousClock.Instant?
        for entry in entries.values {
            var due: ContinuousClock.Instant?
            switch entry.step {
            case .endOfFile(let until), .terminate(let until), .kill(let until): due = until
            case nil: break
            }
            if !entry.exitSeen, entry.exitDescriptor < 0 { due = min(due ?? .now + fallback, .now + fallback) }
            if let due { earliest = min(earliest ?? due, due) }
        }
        return earliest
    }

    /// Learns which processes have exited and takes every step that is due; returns the callbacks to run
    /// (exit waiters and finished stops), for the caller to call outside any lock.
    mutating func advance(at now: ContinuousClock.Instant) -> [@Sendable () -> Void] {
        var callbacks: [@Sendable () -> Void] = []
        for key in Array(entries.keys) {
            guard var entry = entries[key] else { continue }
            let status = entry.process.exitStatus
            let exited = status != nil || entry.process.isReaped
            entry.exitSeen = entry.exitSeen || exited
            if exited {
                callbacks += entry.exitWaiters.map { waiter in { waiter(status) } }
                entry.exitWaiters = []
            }
            if entry.step != nil, Self.takeSteps(&entry, exited: exited, now: now) {
                entry.step = nil
                callbacks += entry.stopWaiters
                entry.stopWaiters = []
            }
            if entry.step == nil, entry.exitWaiters.isEmpty {
                callbacks += entry.stopWaiters  // a stop asked for after the process was reaped
                if entry.exitDescriptor >= 0 { close(entry.exitDescriptor) }
                entries[key] = nil
            } else {
                entries[key] = entry
            }
        }
        return callbacks
    }

    /// Takes the steps of one stop that are due; true when the sequence is over (reaped, or given up on).
    private static func takeSteps(_ entry: inout Entry, exited: Bool, now: ContinuousClock.Instant) -> Bool {
        let process = entry.process
        guard !process.isReaped, let started = entry.stopStarted else { return true }
        while let step = entry.step {
            switch step {
            case .endOfFile(let until):
                if !exited && now < until { return false }
                process.signalGroup(SIGTERM)
                let grace = Duration.seconds(max(process.grace, 0))
                entry.step = .terminate(until: started + max(grace, Reaper.endOfFileWindow))
            case .terminate(let until):
                if !exited && now < until { return false }
                process.signalGroup(SIGKILL)
                entry.step = .kill(until: now + Reaper.reapWindow)
            case .kill(let until):
                return process.reap() || now >= until
            }
        }
        return true
    }
}
