import Foundation
internal import CProcessShim

/// What to start.
public struct LaunchSpecification: Sendable, Hashable {
    /// The program (a name looked up on PATH, or a path).
    public var command: String
    /// Its arguments.
    public var arguments: [String]
    /// Variables added to the minimal environment.
    public var environment: [String: String]
    /// The working directory (nil: the host's).
    public var workingDirectory: String?

    /// Creates a specification.
    public init(command: String, arguments: [String] = [], environment: [String: String] = [:], workingDirectory: String? = nil) {
        self.command = command
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
    }

    /// The variables a child inherits from the host: the MCP SDKs' allow-list. Values that look like
    /// shell functions (`() {`) are dropped.
    public static let inheritedVariables = ["HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER", "LANG", "LC_ALL", "TMPDIR"]

    /// The child's environment: the allow-listed host variables, then the configured ones.
    public func childEnvironment(host: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        var result: [String: String] = [:]
        for name in Self.inheritedVariables {
            if let value = host[name], !value.hasPrefix("()") { result[name] = value }
        }
        for (name, value) in environment { result[name] = value }
        return result
    }

    /// The absolute program path: as given when it contains `/`, else the first executable on PATH.
    public func resolvedProgram(environment: [String: String]) -> String? {
        if command.contains("/") {
            let path = command.hasPrefix("/") ? command : (workingDirectory ?? FileManager.default.currentDirectoryPath) + "/" + command
            return FileManager.default.isExecutableFile(atPath: path) ? path : nil
        }
        let searchPath = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in searchPath.split(separator: ":") where !directory.isEmpty {
            let candidate = directory + "/" + command
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate)
            {
                return candidate
            }
        }
        return nil
    }
}

/// Starts a server process with `posix_spawn`, not Foundation's `Process`: the child gets an empty signal
/// mask and default dispositions (a child of a Swift program otherwise inherits blocked signals, and
/// SIGTERM would do nothing), its own session and so its own process group (Ctrl-C in the REPL reaches the
/// host, not the servers; shutdown signals the whole group), and exactly three descriptors: the pipes for
/// stdin, stdout and stderr. Every process started is registered with ``ManagedProcesses``.
enum ProcessLauncher {
    static func launch(_ specification: LaunchSpecification, grace: Double) throws(MCPClientError) -> ManagedProcess {
        let environment = specification.childEnvironment()
        guard let program = specification.resolvedProgram(environment: environment) else {
            throw MCPClientError(.spawnFailed, "\(specification.command): no such executable (looked on PATH)")
        }
        _ = Reaper.shared  // its wake pipe is made with the first server, not later in the middle of a run
        var stdinPipe: [Int32] = [-1, -1]
        var stdoutPipe: [Int32] = [-1, -1]
        var stderrPipe: [Int32] = [-1, -1]
        guard cprocess_pipe_cloexec(&stdinPipe) == 0, cprocess_pipe_cloexec(&stdoutPipe) == 0,
            cprocess_pipe_cloexec(&stderrPipe) == 0
        else {
            let reason = OpenFileLimit.describe(errno)
            for descriptor in stdinPipe + stdoutPipe + stderrPipe where descriptor >= 0 { close(descriptor) }
            throw MCPClientError(.spawnFailed, "cannot create pipes: \(reason)")
        }
        let argv = [program] + specification.arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        // The server gets its three pipes and nothing else, its own session, an empty signal mask.
        let status = withCStrings(argv) { argvPointers in
            withCStrings(envp) { envpPointers in
                cprocess_spawn(
                    &pid, program, argvPointers, envpPointers, stdinPipe[0], stdoutPipe[1], stderrPipe[1],
                    specification.workingDirectory, 1, 0
                )
            } ?? EINVAL
        } ?? EINVAL
        close(stdinPipe[0])
        close(stdoutPipe[1])
        close(stderrPipe[1])
        guard status == 0 else {
            close(stdinPipe[1])
            close(stdoutPipe[0])
            close(stderrPipe[0])
            throw MCPClientError(.spawnFailed, "\(program): \(OpenFileLimit.describe(status))")
        }
        let process = ManagedProcess(pid: pid, stdin: stdinPipe[1], stdout: stdoutPipe[0], stderr: stderrPipe[0], grace: grace)
        ManagedProcesses.register(process)
        return process
    }

    /// Calls `body` with a NULL-terminated C array of the strings (nil only if the array has no storage).
    private static func withCStrings<Result>(
        _ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Result
    ) -> Result? {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map(body)
        }
    }
}
