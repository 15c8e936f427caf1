import Foundation
public import StrictJSON

/// A server process spoken to over its stdin and stdout, one JSON-RPC message per line.
///
/// A dedicated thread reads stdout through a byte-counting ``LineFramer`` (16 MiB cap: a larger frame kills
/// the process and closes the transport with `protocol.frame_too_large` at once); lines that are not JSON
/// become `.skipped` events. Another thread drains stderr into a bounded ring buffer, so a chatty server
/// never blocks on a full pipe. When stdout ends the reader reaps the process and reports its exit.
/// Shutdown is MCP's: close stdin, wait, SIGTERM, wait, SIGKILL.
public final class StdioTransport: MessageTransport, @unchecked Sendable {
    /// Inbound events.
    public let events: AsyncStream<TransportEvent>
    private let continuation: AsyncStream<TransportEvent>.Continuation
    private let process: LaunchedProcess
    private let lock = NSLock()
    private var stdinOpen = true
    private var exitStatus: Int32?
    private let exited = DispatchSemaphore(value: 0)
    /// The last 64 KiB the server wrote to stderr.
    public let stderrLog = RingBuffer(capacity: 64 * 1024)
    /// The process id.
    public var pid: Int32 { process.pid }

    /// Starts the process.
    /// - Throws: ``MCPClientError`` `connect.spawn_failed`.
    public init(_ specification: LaunchSpecification, maximumFrameBytes: Int = 16 * 1024 * 1024) throws {
        _ = Self.ignoreBrokenPipes
        process = try ProcessLauncher.launch(specification)
        (events, continuation) = AsyncStream.makeStream(of: TransportEvent.self, bufferingPolicy: .unbounded)
        let reader = Thread { [self] in readStdout(maximumFrameBytes: maximumFrameBytes) }
        reader.name = "gatehouse.stdio.out"
        reader.start()
        let drainer = Thread { [self] in drainStderr() }
        drainer.name = "gatehouse.stdio.err"
        drainer.start()
    }

    /// Writing to a server that just exited must fail with EPIPE, not kill the host with SIGPIPE. This is
    /// process-wide; the `gatehouse` executable also sets it at start.
    private static let ignoreBrokenPipes: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()

    deinit {
        if lock.withLock({ exitStatus == nil }) { kill(process.pid, SIGKILL) }
        lock.withLock { if stdinOpen { Foundation.close(process.stdin) } }
    }

    public func send(_ message: JSONValue, options: SendOptions) async throws -> SendReceipt {
        var bytes = JSONSerializer.bytes(message)
        bytes.append(0x0A)
        try lock.withLock {
            guard stdinOpen else { throw MCPClientError(.serverExited, "the server's stdin is closed") }
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { write(process.stdin, $0.baseAddress, $0.count) }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw MCPClientError(.serverExited, "writing to the server failed: \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }
        return .none
    }

    public func abandon(_ requestID: RequestID) async {}

    public func negotiated(version: String, modern: Bool) async {}

    /// The exit status once the process has been reaped.
    public var terminationStatus: Int32? { lock.withLock { exitStatus } }

    public func close() async {
        lock.withLock {
            if stdinOpen {
                stdinOpen = false
                Foundation.close(process.stdin)
            }
        }
        if await waitForExit(seconds: 2) { return }
        kill(process.pid, SIGTERM)
        if await waitForExit(seconds: 2) { return }
        kill(process.pid, SIGKILL)
        _ = await waitForExit(seconds: 5)
    }

    private func waitForExit(seconds: Double) async -> Bool {
        if terminationStatus != nil { return true }
        let semaphore = exited
        return await withCheckedContinuation { continuation in
            Thread {
                let done = semaphore.wait(timeout: .now() + seconds) == .success
                if done { semaphore.signal() }
                continuation.resume(returning: done)
            }.start()
        }
    }

    private func readStdout(maximumFrameBytes: Int) {
        var framer = LineFramer(maximumFrameBytes: maximumFrameBytes)
        let parser = JSONParser(maximumDepth: 256, maximumBytes: maximumFrameBytes)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var closing: MCPClientError?
        reading: while true {
            let count = buffer.withUnsafeMutableBytes { read(process.stdout, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            guard let frames = buffer.withUnsafeBytes({ framer.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }) else {
                closing = MCPClientError(.frameTooLarge, "the server sent a line longer than \(maximumFrameBytes) bytes")
                kill(process.pid, SIGKILL)
                break reading
            }
            for frame in frames where !frame.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                if let value = try? parser.parse(frame) {
                    continuation.yield(.message(value))
                } else {
                    continuation.yield(.skipped(Self.excerpt(frame)))
                }
            }
        }
        Foundation.close(process.stdout)
        var status: Int32 = 0
        while waitpid(process.pid, &status, 0) < 0 && errno == EINTR {}
        lock.withLock {
            exitStatus = status
            if stdinOpen {
                stdinOpen = false
                Foundation.close(process.stdin)
            }
        }
        exited.signal()
        let description = Self.describe(status)
        continuation.yield(.closed(closing ?? MCPClientError(.connectClosed, "the server \(description)")))
        continuation.finish()
    }

    private func drainStderr() {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(process.stderr, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            stderrLog.append(Array(buffer[0..<count]))
        }
        Foundation.close(process.stderr)
    }

    /// A printable excerpt of a skipped line: at most 200 characters, control characters escaped.
    static func excerpt(_ frame: [UInt8]) -> String {
        let text = String(decoding: frame.prefix(200), as: UTF8.self)
        let cleaned = text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "\\u{\(String($0.value, radix: 16))}" : String($0) }
        return cleaned.joined() + (frame.count > 200 ? "… (\(frame.count) bytes)" : "")
    }

    static func describe(_ status: Int32) -> String {
        let signal = status & 0x7F
        if signal == 0 { return "exited with status \((status >> 8) & 0xFF)" }
        return "was killed by signal \(signal)"
    }
}

/// A bounded byte log: keeps the newest `capacity` bytes.
public final class RingBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    private let capacity: Int

    /// Creates a buffer.
    public init(capacity: Int) {
        self.capacity = capacity
    }

    /// Appends bytes, dropping the oldest beyond the capacity.
    public func append(_ newBytes: [UInt8]) {
        lock.withLock {
            bytes.append(contentsOf: newBytes)
            if bytes.count > capacity { bytes.removeFirst(bytes.count - capacity) }
        }
    }

    /// The kept text (invalid UTF-8 replaced).
    public var text: String {
        lock.withLock { String(decoding: bytes, as: UTF8.self) }
    }
}
