import Foundation
import MCPClient
import Locking
import TerminalText

/// The write end of the signal pipe; a signal handler may only do async-signal-safe things.
nonisolated(unsafe) private var signalWriteDescriptor: Int32 = -1

/// SIGTERM, SIGHUP and SIGINT end Gatehouse the way a finished command does (SPEC §7): every server it
/// started is stopped (stdin closed, SIGTERM to its group, the grace period, SIGKILL, reaped), the
/// terminal's settings are put back, and the process exits with 128 + the signal number.
///
/// The handlers only write the signal number to a pipe; a watcher thread does the work. SIGINT is first
/// offered to ``interruptHandler`` (the REPL cancels a running call with it, SPEC §5); only when nothing
/// took it does Ctrl-C end Gatehouse.
public enum ShutdownSignals {
    private static let handler = Locked<(@Sendable () -> Bool)?>(nil)
    /// The terminal's settings at start-up, put back on the way out. Heap storage with room to spare:
    /// under AddressSanitizer, `tcgetattr` into a Swift `termios()` global was reported as writing past the
    /// global's end (its interceptor's idea of the size and the global's storage disagree), so nothing here
    /// depends on the two agreeing.
    nonisolated(unsafe) private static let savedTerminal: UnsafeMutablePointer<termios> = {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(256, MemoryLayout<termios>.stride), alignment: 16)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: max(256, MemoryLayout<termios>.stride))
        return raw.bindMemory(to: termios.self, capacity: 1)
    }()
    nonisolated(unsafe) private static var terminalSaved = false

    /// Called on the watcher thread for each SIGINT; returns true when it dealt with the interrupt.
    public static var interruptHandler: (@Sendable () -> Bool)? {
        get { handler.withLock { $0 } }
        set { handler.withLock { $0 = newValue } }
    }

    /// Installs the handlers and starts the watcher (once, at start-up, before any server is started).
    public static func install() {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else { return }
        signalWriteDescriptor = descriptors[1]
        if isatty(STDIN_FILENO) == 1, tcgetattr(STDIN_FILENO, savedTerminal) == 0 { terminalSaved = true }
        let readDescriptor = descriptors[0]
        let watcher = Thread { watch(readDescriptor) }
        watcher.name = "gatehouse.signals"
        watcher.start()
        for number in [SIGTERM, SIGHUP, SIGINT] {
            signal(number) { received in
                var byte = UInt8(truncatingIfNeeded: received)
                _ = write(signalWriteDescriptor, &byte, 1)
            }
        }
    }

    private static func watch(_ descriptor: Int32) {
        var byte: UInt8 = 0
        while true {
            let count = read(descriptor, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            guard count == 1 else { return }
            let number = Int32(byte)
            if number == SIGINT, interruptHandler?() == true { continue }
            shutDown(status: 128 + number, announce: number == SIGINT ? "\n^C: stopping the servers" : nil)
        }
    }

    /// Stops every server process still running, in parallel (the end of every command).
    public static func stopServers() async {
        await ManagedProcesses.stopAll()
    }

    /// Stops every server, restores the terminal and exits.
    static func shutDown(status: Int32, announce: TerminalText?) -> Never {
        for number in [SIGTERM, SIGHUP, SIGINT] { signal(number, SIG_IGN) }
        if terminalSaved { tcsetattr(STDIN_FILENO, TCSANOW, savedTerminal) }
        if let announce, isatty(STDERR_FILENO) == 1 { Console.error(announce) }
        ManagedProcesses.stopAllBlocking()
        fflush(nil)
        _exit(status)
    }
}
