import Foundation
internal import CProcessShim
import Locking

/// The write end of a server's stdin, which never blocks its caller.
///
/// The descriptor is non-blocking. A message is written at once when nothing is queued (the common case:
/// no thread hop); what the pipe does not take is queued in order and drained by a short-lived thread that
/// waits for the pipe to become writable. ``close()`` never waits for a write: with nothing queued it closes
/// the descriptor at once, otherwise the draining thread drops the queue and closes it within 50 ms. So a
/// server that stops reading can neither block a Swift concurrency thread nor hold up shutdown.
final class PipeWriter: Sendable {
    /// The most bytes queued for a server that is not reading; past it, sending fails.
    static let queueLimit = 64 * 1024 * 1024

    private struct State {
        var queue: [UInt8] = []
        var queueStart = 0
        var draining = false
        var closeRequested = false
        var closed = false
        var failure: String?
        var queued: Int { queue.count - queueStart }
    }

    private let descriptor: Int32
    private let state = Locked(State())

    /// Takes ownership of `descriptor`.
    init(descriptor: Int32) {
        self.descriptor = descriptor
        _ = cprocess_set_nonblocking(descriptor)
    }

    /// Whether the pipe is still open for messages.
    var isOpen: Bool { state.withLock { !$0.closeRequested && $0.failure == nil } }

    /// Writes `bytes` (or queues them behind earlier ones).
    /// - Throws: ``MCPClientError`` `call.server_exited` when the pipe is closed, broken, or the server has not
    ///   read ``queueLimit`` bytes.
    func write(_ bytes: [UInt8]) throws(MCPClientError) {
        let startDrainer = try state.withLock { state throws(MCPClientError) -> Bool in
            guard !state.closeRequested else { throw MCPClientError(.serverExited, "the server's stdin is closed") }
            if let failure = state.failure { throw MCPClientError(.serverExited, "writing to the server failed: \(failure)") }
            if state.draining {
                guard state.queued + bytes.count <= Self.queueLimit else {
                    throw MCPClientError(.serverExited, "the server is not reading its stdin (\(state.queued) bytes waiting)")
                }
                state.queue.append(contentsOf: bytes)
                return false
            }
            let written = writeNow(bytes[...], state: &state)
            if let failure = state.failure { throw MCPClientError(.serverExited, "writing to the server failed: \(failure)") }
            guard written < bytes.count else { return false }
            state.queue = Array(bytes[written...])
            state.queueStart = 0
            state.draining = true
            return true
        }
        if startDrainer {
            let thread = Thread { [self] in drain() }
            thread.name = "gatehouse.stdio.in"
            thread.start()
        }
    }

    /// Closes the pipe (the server sees end of file) without waiting for queued bytes.
    func close() {
        state.withLock { state in
            state.closeRequested = true
            guard !state.draining, !state.closed else { return }
            state.closed = true
            Foundation.close(descriptor)
        }
    }

    /// Writes as much of `bytes` as the pipe takes now; records a hard failure.
    private func writeNow(_ bytes: ArraySlice<UInt8>, state: inout State) -> Int {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let count = bytes[offset...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if count >= 0 {
                offset += count
                continue
            }
            if errno == EINTR { continue }
            if errno != EAGAIN && errno != EWOULDBLOCK { state.failure = String(cString: strerror(errno)) }
            break
        }
        return offset - bytes.startIndex
    }

    /// Waits for the pipe to take more, in steps of at most 50 ms so a close request is seen promptly.
    private func drain() {
        while true {
            var poller = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            _ = poll(&poller, 1, 50)
            let finished = state.withLock { state -> Bool in
                if !state.closeRequested, state.failure == nil {
                    let written = writeNow(state.queue[state.queueStart...], state: &state)
                    state.queueStart += written
                    if state.failure == nil, state.queued > 0 { return false }
                }
                state.queue = []
                state.queueStart = 0
                state.draining = false
                if state.closeRequested || state.failure != nil, !state.closed {
                    state.closed = true
                    Foundation.close(descriptor)
                }
                return true
            }
            if finished { return }
        }
    }
}
