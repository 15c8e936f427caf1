import Glibc

/// The token store, SPEC §9 step 6: `$XDG_STATE_HOME/gatehouse/tokens.json` (else
/// `$HOME/.local/state/gatehouse/tokens.json`).
///
/// The file has mode 0600 and is written atomically (a temporary file and a rename in the same folder, which is
/// created 0700). Every read and every read-modify-write holds an exclusive `flock(2)` on the sibling lock file
/// `tokens.json.lock`, so several Gatehouse processes share the store. A file that does not parse is reported
/// (`auth.failed`, naming the file) and never overwritten.
public struct TokenStore: Sendable {
    /// The largest store file read (4 MiB).
    public static let maximumBytes = 4 * 1024 * 1024

    /// The store file.
    public let path: String

    /// The folder holding the file.
    var directory: String {
        let components = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        return components.count == 1 && components.first == "" ? "/" : components.joined(separator: "/")
    }

    /// The lock file beside it.
    var lockPath: String { path + ".lock" }

    /// A store at `path` (nothing is read or written yet).
    public init(path: String) {
        self.path = path
    }

    /// `$XDG_STATE_HOME/gatehouse/tokens.json` when XDG_STATE_HOME is an absolute path, else
    /// `$HOME/.local/state/gatehouse/tokens.json`.
    public static func defaultPath(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/gatehouse/tokens.json" }
        return (environment["HOME"] ?? "") + "/.local/state/gatehouse/tokens.json"
    }

    /// The contents (empty when there is no file yet); takes the lock, reads, releases.
    /// - Throws: `auth.failed` when the file cannot be read or is not a token store.
    public func read() throws(OAuthError) -> TokenStoreContents {
        // Nothing to read, and no reason to create the folder and the lock file for it.
        guard access(directory, F_OK) == 0 else { return TokenStoreContents() }
        let lock = try StoreFileLock.acquire(lockPath)
        defer { withExtendedLifetime(lock) {} }
        return try load()
    }

    /// Runs `body` on the contents with the lock held across the read, `body` and the write; the file is written
    /// only when `body` changed the contents.
    /// - Throws: `auth.failed` for an unreadable store or a failed write, or what `body` throws (nothing is
    ///   written then).
    public func update<T>(_ body: (inout TokenStoreContents) throws(OAuthError) -> T) throws(OAuthError) -> T {
        let lock = try StoreFileLock.acquire(lockPath)
        defer { withExtendedLifetime(lock) {} }
        var contents = try load()
        let before = contents
        let result = try body(&contents)
        if contents != before { try save(contents) }
        return result
    }

    /// Like ``update(_:)`` for a body that awaits (a refresh): the lock is waited for without blocking a
    /// thread, for at most `timeout` seconds, and held until the body's changes are written.
    func updateAsync<T: Sendable>(
        timeout: Double = 30, _ body: (inout TokenStoreContents) async throws(OAuthError) -> T
    ) async throws(OAuthError) -> T {
        let lock = try await StoreFileLock.acquire(lockPath, timeout: timeout)
        defer { withExtendedLifetime(lock) {} }
        var contents = try load()
        let before = contents
        let result = try await body(&contents)
        if contents != before { try save(contents) }
        return result
    }

    /// Reads the file (the lock must be held).
    private func load() throws(OAuthError) -> TokenStoreContents {
        guard let bytes = try StoreFile.read(path, limit: Self.maximumBytes) else { return TokenStoreContents() }
        switch TokenStoreCodec.decode(bytes) {
        case .success(let contents): return contents
        case .failure(let reason):
            throw .failed(
                "\(path) is not a usable Gatehouse token store (\(reason.text)); it was left untouched. Move it aside "
                    + "(the logins in it are then forgotten) or repair it"
            )
        }
    }

    /// Writes the file atomically (the lock must be held).
    private func save(_ contents: TokenStoreContents) throws(OAuthError) {
        try StoreFile.createDirectory(containing: path)
        try StoreFile.replace(path, with: TokenStoreCodec.encode(contents))
    }
}

extension TokenStore {
    /// Removes the tokens of `serverURL`, or every token when it is nil; the registered clients stay.
    /// - Returns: How many tokens were removed.
    public func logout(serverURL: String?) throws(OAuthError) -> Int {
        try update { contents in
            guard let serverURL else {
                defer { contents.tokens = [] }
                return contents.tokens.count
            }
            return contents.removeTokens(forServer: serverURL)
        }
    }
}
