import Foundation
import Glibc
import Locking

/// The loopback redirect listener (RFC 8252 §7.3): 127.0.0.1 on an OS-chosen port, redirect URI
/// `http://127.0.0.1:<port>/callback`. A later login first tries the ports its registered clients were
/// given (authorization servers that compare redirect URIs exactly, as the MCP SDK's does, then accept the
/// stored client), and takes an OS-chosen port when none is free.
///
/// Only connections from 127.0.0.1 are read (any other peer is closed unanswered). It answers one
/// `GET /callback?…` with a short HTML page and checks it against the login's expectation (``expect(_:)``, which
/// ``LoginFlow/prepare(challenge:listener:extraScopes:)`` sets): a wrong `state` or `iss` or an `error=` is
/// `auth.failed`. Other paths get a 404 and the wait goes on.
public final class LoopbackListener: Sendable {
    private struct State {
        var expectation: CallbackExpectation?
        var closed = false
        var waiting = false
        var descriptorOpen = true
    }

    private let descriptor: Int32
    private let port: UInt16
    private let state = Locked(State())

    /// Binds 127.0.0.1 on the first free port of `preferredPorts`, else on one the OS chooses, and listens.
    /// - Throws: `auth.failed` when no socket can be bound.
    public init(preferredPorts: [UInt16] = []) throws(OAuthError) {
        for preferred in preferredPorts where preferred != 0 {
            if let (bound, port) = try Self.listen(on: preferred) {
                (descriptor, self.port) = (bound, port)
                return
            }
        }
        guard let (bound, port) = try Self.listen(on: 0) else {
            throw .failed("cannot listen on 127.0.0.1: \(String(cString: strerror(errno)))")
        }
        (descriptor, self.port) = (bound, port)
    }

    /// A listening socket on 127.0.0.1:`port` (0: the OS chooses) and its port; nil when it cannot be bound.
    private static func listen(on port: UInt16) throws(OAuthError) -> (Int32, UInt16)? {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socketDescriptor >= 0 else {
            throw .failed("cannot open a loopback socket: \(String(cString: strerror(errno)))")
        }
        // A registered port may still hold the last login's connection in TIME_WAIT; SO_REUSEADDR lets it be
        // bound again (on Linux it never lets two sockets listen on one port).
        var reuse: Int32 = 1
        _ = setsockopt(socketDescriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(socketDescriptor, raw, length) == 0 && Glibc.listen(socketDescriptor, 8) == 0
                    && getsockname(socketDescriptor, raw, &length) == 0
            }
        }
        guard bound else {
            let saved = errno
            Glibc.close(socketDescriptor)
            errno = saved
            return nil
        }
        return (socketDescriptor, UInt16(bigEndian: address.sin_port))
    }

    deinit {
        state.withLock { state in
            if state.descriptorOpen { Glibc.close(descriptor) }
            state.descriptorOpen = false
        }
    }

    /// `http://127.0.0.1:<port>/callback`.
    public var redirectURI: String { "http://127.0.0.1:\(port)/callback" }

    /// Sets what the callback must match (the login's `state` and issuer).
    func expect(_ expectation: CallbackExpectation) {
        state.withLock { $0.expectation = expectation }
    }

    /// Waits up to `timeout` seconds for the one authorization response and returns its parameters.
    /// - Throws: `auth.failed` for a wrong `state` (the message says "state"), an `iss` mismatch, an `error=`
    ///   response, no login prepared, a closed listener, or the timeout.
    public func waitForCallback(timeout: Double) async throws(OAuthError) -> CallbackParameters {
        let result: Result<CallbackParameters, OAuthError> = await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: self.serve(timeout: timeout)) }
        }
        return try result.get()
    }

    /// Stops listening; a wait in progress ends with `auth.failed`.
    public func close() {
        state.withLock { state in
            state.closed = true
            if !state.waiting, state.descriptorOpen {
                Glibc.close(descriptor)
                state.descriptorOpen = false
            }
        }
    }

    /// The accept loop, on its own thread.
    private func serve(timeout: Double) -> Result<CallbackParameters, OAuthError> {
        let started: Bool = state.withLock { state in
            guard !state.closed, !state.waiting else { return false }
            state.waiting = true
            return true
        }
        guard started else { return .failure(.failed("the loopback listener is closed or already waiting")) }
        defer {
            state.withLock { state in
                state.waiting = false
                if state.closed, state.descriptorOpen {
                    Glibc.close(descriptor)
                    state.descriptorOpen = false
                }
            }
        }
        let deadline = Date().addingTimeInterval(timeout)
        var refusedPeer = false
        while Date() < deadline {
            if state.withLock({ $0.closed }) {
                return .failure(.failed("the loopback listener was closed before the login finished"))
            }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let remaining = Int32(max(1, min(100, deadline.timeIntervalSinceNow * 1000)))
            guard poll(&poller, 1, remaining) > 0 else { continue }
            var peer = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let connection = withUnsafeMutablePointer(to: &peer) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(descriptor, $0, &length) }
            }
            guard connection >= 0 else { continue }
            guard peer.sin_family == sa_family_t(AF_INET), peer.sin_addr.s_addr == UInt32(0x7F00_0001).bigEndian else {
                refusedPeer = true
                Glibc.close(connection)
                continue
            }
            if let outcome = CallbackConnection(descriptor: connection).handle(
                expectation: state.withLock { $0.expectation })
            {
                return outcome
            }
        }
        let note = refusedPeer ? " (a connection from an address other than 127.0.0.1 was refused)" : ""
        return .failure(.failed("no authorization response reached \(redirectURI) within \(Int(timeout)) s\(note)"))
    }
}
