import Glibc

/// An exclusive `flock(2)` on the store's sibling lock file (`tokens.json.lock`), held while a value lives.
///
/// The lock file is never removed (removing it would let two processes lock two different files). `flock`
/// locks belong to the open file description, so two threads of one process exclude each other as two
/// processes do.
final class StoreFileLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        Glibc.close(descriptor)
    }

    /// Blocks until the lock on `path` is held; the folder is created (0700) when missing.
    static func acquire(_ path: String) throws(OAuthError) -> StoreFileLock {
        let lock = try open(path)
        while flock(lock.descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw .failed("cannot lock \(path): \(String(cString: strerror(errno)))") }
        }
        return lock
    }

    /// Waits without blocking a thread (polling every 20 ms) for at most `timeout` seconds.
    static func acquire(_ path: String, timeout: Double) async throws(OAuthError) -> StoreFileLock {
        let lock = try open(path)
        var waited = 0.0
        while flock(lock.descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                throw .failed("cannot lock \(path): \(String(cString: strerror(errno)))")
            }
            guard waited < timeout else {
                throw .failed("\(path) stayed locked by another Gatehouse process for \(Int(timeout)) s")
            }
            guard !Task.isCancelled else { throw .failed("waiting for the lock on \(path) was cancelled") }
            try? await Task.sleep(nanoseconds: 20_000_000)
            waited += 0.02
        }
        return lock
    }

    private static func open(_ path: String) throws(OAuthError) -> StoreFileLock {
        try StoreFile.createDirectory(containing: path)
        let descriptor = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .failed("cannot open \(path): \(String(cString: strerror(errno)))") }
        return StoreFileLock(descriptor: descriptor)
    }
}
