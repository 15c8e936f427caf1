import Glibc

/// Reading and atomically replacing the token store file (SPEC §9 step 6).
enum StoreFile {
    /// Creates the folder holding `path` (and its parents) with mode 0700 when missing.
    static func createDirectory(containing path: String) throws(OAuthError) {
        var components = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        var missing: [String] = []
        while !components.isEmpty {
            let directory = components.joined(separator: "/")
            if directory.isEmpty || access(directory, F_OK) == 0 { break }
            missing.append(directory)
            components = components.dropLast()
        }
        for directory in missing.reversed() where mkdir(directory, 0o700) != 0 && errno != EEXIST {
            throw .failed("cannot create \(directory): \(String(cString: strerror(errno)))")
        }
    }

    /// The bytes of `path`, nil when it does not exist; `auth.failed` when it cannot be read or is over `limit`.
    static func read(_ path: String, limit: Int) throws(OAuthError) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw .failed("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw .failed("cannot read \(path): \(String(cString: strerror(errno)))") }
            if count == 0 { return bytes }
            bytes.append(contentsOf: buffer[..<count])
            guard bytes.count <= limit else {
                throw .failed("\(path) is larger than the \(limit) bytes a token store may hold; it was left untouched")
            }
        }
    }

    /// Replaces `path` with `bytes`: a temporary file (mode 0600) in the same folder, flushed, renamed over it.
    static func replace(_ path: String, with bytes: [UInt8]) throws(OAuthError) {
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .failed("cannot write beside \(path): \(String(cString: strerror(errno)))") }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                unlink(temporary)
                throw .failed("cannot write \(temporary): \(reason)")
            }
            written += count
        }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard synced, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .failed("cannot replace \(path): \(reason)")
        }
    }
}
