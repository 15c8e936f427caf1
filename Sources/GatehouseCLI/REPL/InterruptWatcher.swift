import Locking
import TerminalText

/// Ctrl-C cancels the running command (its call), never the REPL (SPEC §5); at the prompt, with nothing
/// running, it ends Gatehouse like `quit` (``ShutdownSignals``).
final class InterruptWatcher: Sendable {
    private let task = Locked<Task<CommandOutcome, Never>?>(nil)

    init() {
        ShutdownSignals.interruptHandler = { [weak self] in
            guard let self, let running = self.task.withLock({ $0 }) else { return false }
            Console.error("\n^C: cancelling the call")
            running.cancel()
            return true
        }
    }

    /// The running command; while it is set, Ctrl-C cancels it.
    var current: Task<CommandOutcome, Never>? {
        get { task.withLock { $0 } }
        set { task.withLock { $0 = newValue } }
    }
}
