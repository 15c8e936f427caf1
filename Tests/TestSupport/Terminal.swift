import Foundation

/// A real terminal for REPL tests: a tmux session running a command, driven with send-keys and read with
/// capture-pane.
public final class Terminal: @unchecked Sendable {
    public let name: String

    /// Starts `command` (a shell command line) in a detached 200×50 tmux session.
    public init(_ command: String) async throws {
        name = "gatehouse-test-\(UUID().uuidString.prefix(8))"
        let output = try await ChildProcess.run("/usr/bin/env", ["tmux", "new-session", "-d", "-s", name, "-x", "200", "-y", "50", command])
        guard output.status == 0 else { throw SupportError("tmux could not start: \(output.stderr) (is tmux installed? make setup installs it)") }
    }

    /// Ends the session if the test has not (quietly: a session whose program already exited is gone).
    deinit {
        let name = self.name
        Thread {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["tmux", "kill-session", "-t", name]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try? process.run()
        }.start()
    }

    /// Types keys (tmux key names such as `Tab`, `Enter`, `C-c`, or literal text).
    public func send(_ keys: String...) async throws {
        _ = try await ChildProcess.run("/usr/bin/env", ["tmux", "send-keys", "-t", name] + keys)
    }

    /// The process id of the program in the pane (the command itself when it was started with `exec`).
    public func programPID() async throws -> Int32 {
        let output = try await ChildProcess.run("/usr/bin/env", ["tmux", "display-message", "-p", "-t", name, "#{pane_pid}"])
        guard let pid = Int32(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw SupportError("tmux gave no pane pid: \(output.stdout) \(output.stderr)")
        }
        return pid
    }

    /// Types literal text.
    public func type(_ text: String) async throws {
        _ = try await ChildProcess.run("/usr/bin/env", ["tmux", "send-keys", "-t", name, "-l", text])
    }

    /// The visible screen.
    public func screen() async throws -> String {
        try await ChildProcess.run("/usr/bin/env", ["tmux", "capture-pane", "-p", "-t", name, "-S", "-200"]).stdout
    }

    /// The visible screen with wrapped lines joined (a long URL is one line).
    public func joinedScreen() async throws -> String {
        try await ChildProcess.run("/usr/bin/env", ["tmux", "capture-pane", "-p", "-J", "-t", name, "-S", "-200"]).stdout
    }

    /// Waits until the screen satisfies `condition` (at most `timeout` seconds); returns the screen.
    @discardableResult
    public func waitFor(timeout: Double = 30, _ condition: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while true {
            let text = try await screen()
            if condition(text) { return text }
            guard ContinuousClock.now < deadline else { throw SupportError("the terminal never showed what was expected:\n\(text)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Waits until the program in the pane has exited (tmux ends a session whose only pane's program
    /// exits), at most `timeout` seconds.
    public func waitForExit(timeout: Double = 30) async throws {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while try await ChildProcess.run("/usr/bin/env", ["tmux", "has-session", "-t", name]).status == 0 {
            guard ContinuousClock.now < deadline else { throw SupportError("the program in the terminal never exited") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Waits until the screen contains `text`.
    @discardableResult
    public func waitFor(_ text: String, timeout: Double = 30) async throws -> String {
        try await waitFor(timeout: timeout) { $0.contains(text) }
    }
}
