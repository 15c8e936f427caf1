import Foundation
internal import CProcessShim
import Locking

/// The one thread that learns when started servers exit and runs their stop sequences (SPEC §7), however
/// many servers there are and however many stops are asked for at once.
///
/// It sleeps in `poll(2)` on a wake pipe and one pidfd per process it watches (readable once the process
/// has exited, as a zombie too), with the earliest step deadline as the timeout; with nothing to do it
/// blocks on the wake pipe alone. A process whose pidfd cannot be opened (a kernel before 5.3, a seccomp
/// filter, no descriptor left) is checked every 2 ms instead, only while it runs. Other threads only queue
/// requests and wake it; the table of watched processes belongs to its thread alone.
final class Reaper: Sendable {
    /// The reaper every transport uses.
    static let shared = Reaper()

    /// How long a stopping server gets to exit on end of file before SIGTERM.
    static let endOfFileWindow = Duration.milliseconds(100)
    /// How long the reaper waits for a SIGKILLed leader to be reapable (uninterruptible sleep) before giving up.
    static let reapWindow = Duration.seconds(1)
    /// How often a process without a pidfd is checked while it runs.
    static let fallbackInterval = Duration.milliseconds(2)

    private enum Request {
        case watch(ManagedProcess, @Sendable (Int32?) -> Void)
        case stop(ManagedProcess, @Sendable () -> Void)
    }

    private let requests = Locked<[Request]>([])
    private let wakeDescriptors: (read: Int32, write: Int32)
    private let opensExitDescriptors: Bool
    private let wakeCounter = Locked(0)
    private let threadStarted = Locked(false)

    /// A reaper whose thread starts on first use; `opensExitDescriptors: false` makes it poll every process
    /// as it would where pidfds are refused (for tests of that path).
    init(opensExitDescriptors: Bool = true) {
        var descriptors: [Int32] = [-1, -1]
        if cprocess_pipe_cloexec(&descriptors) == 0 {
            _ = cprocess_set_nonblocking(descriptors[0])
            _ = cprocess_set_nonblocking(descriptors[1])
        }
        wakeDescriptors = (descriptors[0], descriptors[1])
        self.opensExitDescriptors = opensExitDescriptors
    }

    /// How many times the thread has woken up, for tests that check it stays asleep when idle.
    var wakeCount: Int { wakeCounter.withLock { $0 } }

    /// Calls `exited` on the reaper's thread once `process` has exited (with its status) or been reaped
    /// (nil when the status was never learnt).
    func whenExited(_ process: ManagedProcess, _ exited: @escaping @Sendable (Int32?) -> Void) {
        submit(.watch(process, exited))
    }

    /// Runs the stop sequence over `processes`, all at once, then calls `done` on the reaper's thread.
    func stop(_ processes: [ManagedProcess], done: @escaping @Sendable () -> Void) {
        guard !processes.isEmpty else { return done() }
        let remaining = Locked(processes.count)
        let finishedOne: @Sendable () -> Void = {
            if remaining.withLock({ count -> Bool in count -= 1; return count == 0 }) { done() }
        }
        for process in processes { submit(.stop(process, finishedOne)) }
    }

    private func submit(_ request: Request) {
        requests.withLock { $0.append(request) }
        startThreadOnce()
        var byte: UInt8 = 1
        _ = Foundation.write(wakeDescriptors.write, &byte, 1)  // a full pipe already holds a wake-up
    }

    private func startThreadOnce() {
        let starting = threadStarted.withLock { started in
            defer { started = true }
            return !started
        }
        guard starting else { return }
        let thread = Thread { [self] in
            _ = cprocess_name_thread("gatehouse.reap")
            var table = ReaperTable(opensExitDescriptors: opensExitDescriptors)
            while true { turn(&table) }
        }
        thread.start()
    }

    /// One turn of the loop: take requests, advance every process, sleep until the next event.
    private func turn(_ table: inout ReaperTable) {
        for request in requests.withLock({ queued in defer { queued = [] }; return queued }) {
            switch request {
            case .watch(let process, let exited): table.watch(process, exited)
            case .stop(let process, let done): table.stop(process, done, at: .now)
            }
        }
        for callback in table.advance(at: .now) { callback() }
        var descriptors = [pollfd(fd: wakeDescriptors.read, events: Int16(POLLIN), revents: 0)]
        descriptors += table.exitDescriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let timeout = table.nextDeadline(fallback: Self.fallbackInterval).map { deadline -> Int32 in
            let milliseconds = (ContinuousClock.now.duration(to: deadline) / .milliseconds(1)).rounded(.up)
            return Int32(min(max(milliseconds, 0), 60_000))
        } ?? -1
        _ = poll(&descriptors, nfds_t(descriptors.count), timeout)
        var drain = [UInt8](repeating: 0, count: 64)
        while drain.withUnsafeMutableBytes({ read(wakeDescriptors.read, $0.baseAddress, $0.count) }) > 0 {}
        wakeCounter.withLock { $0 += 1 }
    }
}
