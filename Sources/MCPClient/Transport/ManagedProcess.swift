import Foundation
internal import CProcessShim
import Locking

/// One server process Gatehouse started, leader of its own process group (it is started in its own
/// session), and the one place that signals and reaps it.
///
/// The process is not reaped when it exits by itself: its zombie keeps the process id, and so the process
/// group id, reserved until its stop sequence (``ReaperTable``) has signalled the whole group (a launcher's
/// background children, `sleep 300 &` under `sh -c` as npx and uvx leave, are in that group). Only the
/// reaper's thread reaps, and only after the group's SIGKILL, so no signal ever reaches a recycled id.
final class ManagedProcess: Sendable {
    /// The process id, equal to its process group id.
    let pid: pid_t
    /// Its stdin.
    let stdin: PipeWriter
    /// Read ends of its stdout and stderr (owned by the transport's reader threads).
    let stdout: Int32
    let stderr: Int32
    /// Seconds between SIGTERM and SIGKILL (profile `timeouts.shutdown`).
    let grace: Double

    private struct State {
        var exitStatus: Int32?
        var reaped = false
    }

    private let state = Locked(State())

    init(pid: pid_t, stdin: Int32, stdout: Int32, stderr: Int32, grace: Double) {
        self.pid = pid
        self.stdin = PipeWriter(descriptor: stdin)
        self.stdout = stdout
        self.stderr = stderr
        self.grace = grace
    }

    /// The exit status (waitpid's encoding) once the process has exited, without reaping it.
    var exitStatus: Int32? {
        state.withLock { state in
            if let status = state.exitStatus { return status }
            var status: Int32 = 0
            guard !state.reaped, cprocess_has_exited(pid, &status) == 1 else { return nil }
            state.exitStatus = status
            return status
        }
    }

    /// Whether the process has been reaped.
    var isReaped: Bool { state.withLock { $0.reaped } }

    /// Sends `signal` to the whole process group; nothing once the leader is reaped.
    func signalGroup(_ signal: Int32) {
        state.withLock { state in
            guard !state.reaped else { return }
            kill(-pid, signal)
        }
    }

    /// Reaps the leader if it has exited; true once reaped.
    @discardableResult
    func reap() -> Bool {
        let reaped = state.withLock { state -> Bool in
            if state.reaped { return true }
            var status: Int32 = 0
            switch cprocess_reap(pid, &status) {
            case 1:
                state.exitStatus = state.exitStatus ?? status
                state.reaped = true
            case -1 where errno == ECHILD:
                state.reaped = true
            default:
                break
            }
            return state.reaped
        }
        if reaped { ManagedProcesses.forget(self) }
        return reaped
    }
}
