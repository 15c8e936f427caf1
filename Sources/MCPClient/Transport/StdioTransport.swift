import Foundation
public import StrictJSON
import Locking

/// A server process spoken to over its stdin and stdout, one JSON-RPC message per line.
///
/// A dedicated thread reads stdout through a byte-counting ``LineFramer`` (16 MiB cap: a larger frame kills
/// the process group and closes the transport with `protocol.frame_too_large` at once); lines that are not
/// JSON become `.skipped` events, handed to the connection's engine on that thread (``DeliversInline``) or
/// to the ``events`` stream. Another thread drains stderr into a bounded ring buffer, so a chatty server
/// never blocks on a full pipe. Writes go through a ``PipeWriter`` and never block. When stdout ends the
/// reader waits for the process to exit (without reaping it) and reports its exit. Shutdown is SPEC §7's,
/// run by ``ManagedProcesses``: close stdin, SIGTERM to the group, the grace period, SIGKILL, reap.
public final class StdioTransport: MessageTransport, DisposableTransport, SendsInline, DeliversInline {
    /// Where the reader thread puts inbound events: kept until a reader is chosen, then the stream (``events``)
    /// or the sink called on the reader thread (``deliverInline(to:)``), whichever was asked for first.
    private enum Delivery {
        case undecided([TransportEvent])
        case stream
        case sink(@Sendable (TransportEvent) -> Void)
        /// The closing event was passed to the sink, which is let go (with the connection it holds).
        case ended
    }

    private let stream: AsyncStream<TransportEvent>
    private let continuation: AsyncStream<TransportEvent>.Continuation
    private let delivery = Locked(Delivery.undecided([]))
    private let process: ManagedProcess
    /// The last 64 KiB the server wrote to stderr.
    public let stderrLog = RingBuffer(capacity: 64 * 1024)
    /// The process id (also its process group id).
    public var pid: Int32 { process.pid }

    /// Starts the process; `shutdownGrace` is the seconds between SIGTERM and SIGKILL when it is stopped.
    /// - Throws: ``MCPClientError`` `connect.spawn_failed`.
    public init(_ specification: LaunchSpecification, maximumFrameBytes: Int = 16 * 1024 * 1024, shutdownGrace: Double = 2) throws {
        _ = Self.ignoreBrokenPipes
        process = try ProcessLauncher.launch(specification, grace: shutdownGrace)
        (stream, continuation) = AsyncStream.makeStream(of: TransportEvent.self, bufferingPolicy: .unbounded)
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
        let process = self.process
        if !process.isReaped { ManagedProcesses.stopInBackground([process]) }
    }

    /// Inbound events (the ones that arrived before the first read included), unless they are already
    /// delivered inline.
    public var events: AsyncStream<TransportEvent> {
        delivery.withLock { delivery in
            guard case .undecided(let kept) = delivery else { return }
            for event in kept { continuation.yield(event) }
            delivery = .stream
        }
        return stream
    }

    func deliverInline(to sink: @escaping @Sendable (TransportEvent) -> Void) -> Bool {
        delivery.withLock { delivery in
            guard case .undecided(let kept) = delivery else { return false }
            for event in kept { sink(event) }
            delivery = .sink(sink)
            return true
        }
    }

    /// Passes one event on from the reader thread, in order: the lock is held while the sink runs.
    private func deliver(_ event: TransportEvent) {
        delivery.withLock { delivery in
            switch delivery {
            case .undecided(var kept):
                delivery = .stream  // not left holding a second reference while appending
                kept.append(event)
                delivery = .undecided(kept)
            case .stream: continuation.yield(event)
            case .sink(let sink):
                sink(event)
                if case .closed = event { delivery = .ended }
            case .ended: break
            }
        }
    }

    public func send(_ message: JSONValue, options: SendOptions) async throws -> SendReceipt {
        try sendInline(message)
        return .none
    }

    func sendInline(_ message: JSONValue) throws(MCPClientError) {
        var bytes = JSONSerializer.bytes(message)
        bytes.append(0x0A)
        try process.stdin.write(bytes)
    }

    public func abandon(_ requestID: RequestID) async {}

    public func negotiated(version: String, modern: Bool) async {}

    /// The exit status once the process has exited.
    public var terminationStatus: Int32? { process.exitStatus }

    /// Stops the server (SPEC §7) and returns once it is reaped.
    public func close() async {
        await ManagedProcesses.stop([process])
    }

    /// Starts the stop sequence on a thread of its own and returns at once.
    func dispose() {
        ManagedProcesses.stopInBackground([process])
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
                process.signalGroup(SIGKILL)
                break reading
            }
            for frame in frames where !frame.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                for event in TransportEvent.decoding(Array(frame), parser: parser, excerpt: Self.excerpt(frame)) {
                    deliver(event)
                }
            }
        }
        Foundation.close(process.stdout)
        // End of file usually means the process exited; one that closed stdout and lives on is waited for
        // (it is stopped when the connection is closed) by the reaper, not by this thread.
        Reaper.shared.whenExited(process) { [self, closing] status in
            process.stdin.close()
            let description = status.map(Self.describe) ?? "was stopped"
            deliver(.closed(closing ?? MCPClientError(.connectClosed, "the server \(description)")))
            continuation.finish()
        }
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
public final class RingBuffer: Sendable {
    private let bytes = Locked<[UInt8]>([])
    private let capacity: Int

    /// Creates a buffer.
    public init(capacity: Int) {
        self.capacity = capacity
    }

    /// Appends bytes, dropping the oldest beyond the capacity.
    public func append(_ newBytes: [UInt8]) {
        bytes.withLock { bytes in
            bytes.append(contentsOf: newBytes)
            if bytes.count > capacity { bytes.removeFirst(bytes.count - capacity) }
        }
    }

    /// The kept text (invalid UTF-8 replaced).
    public var text: String {
        bytes.withLock { String(decoding: $0, as: UTF8.self) }
    }
}
