import CProcessShim
import Foundation

/// What a finished child process produced.
public struct ProcessOutput: Sendable {
    /// The exit status, or 128 + the signal number when a signal ended it.
    public let status: Int32
    public let stdout: String
    public let stderr: String
    /// The child's peak resident memory (`ru_maxrss` from `wait4`), in bytes.
    public var peakResidentBytes = 0
}

/// Runs programs for tests without blocking Swift's cooperative threads.
///
/// It uses `posix_spawn` and `waitpid`, not Foundation's `Process`: on Linux `Process` learns that a child
/// exited when a socket it hands the child closes, so a child that leaves a daemon behind (the first
/// `tmux new-session` starts the tmux server) is never seen to exit while the daemon lives
/// (swift-corelibs-foundation issue 4795), and the test that waits hangs. Here the child gets only its
/// three pipes, and its exit is learnt from `waitpid`.
public enum ChildProcess {
    /// Runs `executable` (an absolute path) with `arguments`, feeding `input`, and waits until it has exited
    /// and closed its output (at most `timeout` seconds; then its process group is killed and this throws).
    /// `environment` nil means this process's environment.
    public static func run(
        _ executable: String, _ arguments: [String], input: Data? = nil, environment: [String: String]? = nil,
        timeout: Double = 60
    ) async throws -> ProcessOutput {
        _ = ignoreBrokenPipes
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(
                    with: Result {
                        try runBlocking(executable, arguments, input: input, environment: environment, timeout: timeout)
                    }
                )
            }
            thread.start()
        }
    }

    /// A child that exits before reading all its input must not kill the test process with SIGPIPE.
    private static let ignoreBrokenPipes: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()

    private static func runBlocking(
        _ executable: String, _ arguments: [String], input: Data?, environment: [String: String]?, timeout: Double
    ) throws -> ProcessOutput {
        let deadline = DispatchTime.now() + timeout
        let child = try SpawnedChild(executable, arguments, environment: environment ?? ProcessInfo.processInfo.environment)
        let finished = DispatchGroup()
        let collected = Collected()
        for (descriptor, keep) in [(child.stdout, collected.setStdout), (child.stderr, collected.setStderr)] {
            finished.enter()
            Thread {
                keep(readToEnd(descriptor))
                close(descriptor)
                finished.leave()
            }.start()
        }
        Thread {
            if let input { writeAll(input, to: child.stdin) }
            close(child.stdin)
        }.start()
        let exited = DispatchSemaphore(value: 0)
        let status = StatusBox()
        let peak = StatusBox()
        Thread {
            var raw: Int32 = 0
            var usage = rusage()
            while wait4(child.pid, &raw, 0, &usage) < 0 && errno == EINTR {}
            status.set(raw)
            peak.set(Int32(clamping: usage.ru_maxrss))  // kilobytes on Linux
            exited.signal()
        }.start()
        guard exited.wait(timeout: deadline) == .success, finished.wait(timeout: deadline) == .success else {
            kill(-child.pid, SIGKILL)
            kill(child.pid, SIGKILL)
            throw SupportError("\(executable) \(arguments.prefix(3)) did not finish within \(timeout) s")
        }
        var output = ProcessOutput(
            status: status.exitStatus, stdout: String(decoding: collected.stdout, as: UTF8.self),
            stderr: String(decoding: collected.stderr, as: UTF8.self)
        )
        output.peakResidentBytes = Int(peak.raw) * 1024
        return output
    }

    private static func readToEnd(_ descriptor: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return data }
            data.append(contentsOf: buffer[0..<count])
        }
    }

    private static func writeAll(_ data: Data, to descriptor: Int32) {
        var offset = 0
        while offset < data.count {
            let written = data[data.startIndex + offset..<data.endIndex].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            offset += written
        }
    }
}

/// A child started in its own process group with three pipes, an empty signal mask and default signal
/// dispositions, and no other descriptor.
private struct SpawnedChild {
    let pid: pid_t
    let stdin: Int32
    let stdout: Int32
    let stderr: Int32

    init(_ executable: String, _ arguments: [String], environment: [String: String]) throws {
        var pipes: [[Int32]] = [[-1, -1], [-1, -1], [-1, -1]]
        for index in pipes.indices where cprocess_pipe_cloexec(&pipes[index]) != 0 {
            throw SupportError("cannot create pipes: \(String(cString: strerror(errno)))")
        }
        var strings = ([executable] + arguments).map { strdup($0) } + [nil]
        var environmentStrings = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in strings + environmentStrings { free(pointer) } }
        var pid: pid_t = 0
        let status = cprocess_spawn(
            &pid, executable, &strings, &environmentStrings, pipes[0][0], pipes[1][1], pipes[2][1], nil, 0, 1
        )
        close(pipes[0][0])
        close(pipes[1][1])
        close(pipes[2][1])
        guard status == 0 else {
            close(pipes[0][1])
            close(pipes[1][0])
            close(pipes[2][0])
            throw SupportError("cannot start \(executable): \(String(cString: strerror(status)))")
        }
        self.pid = pid
        stdin = pipes[0][1]
        stdout = pipes[1][0]
        stderr = pipes[2][0]
    }
}

private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()

    func setStdout(_ data: Data) { lock.withLock { out = data } }
    func setStderr(_ data: Data) { lock.withLock { err = data } }
    var stdout: Data { lock.withLock { out } }
    var stderr: Data { lock.withLock { err } }
}

private final class StatusBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int32 = 0

    func set(_ new: Int32) { lock.withLock { value = new } }

    /// The value as set.
    var raw: Int32 { lock.withLock { value } }

    /// `WEXITSTATUS`, or 128 + `WTERMSIG` for a child a signal ended.
    var exitStatus: Int32 {
        let value = raw
        let signal = value & 0x7F
        return signal == 0 ? (value >> 8) & 0xFF : 128 + signal
    }
}
