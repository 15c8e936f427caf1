import Locking

/// The one lock every read from the terminal takes, so two readers never share the keyboard.
enum TerminalReading {
    private static let lock = Locked(())
    private static let state = Locked(false)

    /// Runs `read` (a blocking read from the terminal) while no other read runs.
    static func exclusively<T: Sendable>(_ read: () -> T) -> T {
        lock.withLock { _ in read() }
    }

    /// True while libedit shows a prompt and waits for a line.
    static var isPrompting: Bool { state.withLock { $0 } }

    static func setPrompting(_ value: Bool) { state.withLock { $0 = value } }
}
