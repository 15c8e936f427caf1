import Foundation
import Glibc

/// Opens the authorization URL (SPEC §9 step 5), never through a shell.
///
/// A URL is refused (`auth.failed`) unless it is `https://`, or `http://` on a loopback host, and every
/// character is one of RFC 3986's — less the sub-delimiters a shell gives meaning to (`$ ( ) ' * ; !`): no
/// spaces, quotes, backslashes, control or non-ASCII characters. `&` and `=` stay (every query needs them) and
/// are harmless because no shell is involved. Then `$BROWSER` is run with `posix_spawnp` (the URL as its one
/// argument) when set, else `xdg-open` when `DISPLAY` or `WAYLAND_DISPLAY` is set, else nothing is run (the
/// caller prints the URL).
public struct BrowserOpener: Sendable {
    /// What happened.
    public enum Outcome: Sendable, Hashable {
        /// `program` was started with the URL.
        case launched(program: String)
        /// Nothing was started (no browser, no display, or the program could not be started).
        case printedOnly
    }

    private let environment: [String: String]

    /// An opener reading `BROWSER`, `DISPLAY` and `WAYLAND_DISPLAY` from `environment`.
    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// Checks `url` and opens it.
    /// - Throws: `auth.failed` for a URL that may not be opened (nothing is run then).
    public func open(_ url: String) throws(OAuthError) -> Outcome {
        try Self.check(url)
        let program: String
        if let browser = environment["BROWSER"]?.split(separator: ":").first.map(String.init), !browser.isEmpty {
            program = browser
        } else if !(environment["DISPLAY"] ?? "").isEmpty || !(environment["WAYLAND_DISPLAY"] ?? "").isEmpty {
            program = "xdg-open"
        } else {
            return .printedOnly
        }
        return Self.spawn(program, url) ? .launched(program: program) : .printedOnly
    }

    /// `auth.failed` unless `url` may be opened (see the type's documentation).
    public static func check(_ url: String) throws(OAuthError) {
        let shown = url.unicodeScalars.prefix(120).map {
            $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? String($0) : "?"
        }.joined()
        guard let parsed = OAuthURL(url), url.lowercased().hasPrefix(parsed.scheme + "://"), parsed.isSecureEndpoint
        else {
            throw .failed("the authorization URL \(shown) is not https:// (or http:// on loopback); it was not opened")
        }
        guard url.utf8.allSatisfy(allowedCharacters.contains) else {
            throw .failed(
                "the authorization URL \(shown) holds a character that is not allowed in a URL; it was not opened")
        }
    }

    /// RFC 3986's characters less `$ ( ) ' * ; !`.
    private static let allowedCharacters = Set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@&=+,%".utf8)

    /// Starts `program` with the one argument `url` and reaps it on a background thread; false when it could not start.
    private static func spawn(_ program: String, _ url: String) -> Bool {
        var pid: pid_t = 0
        var arguments: [UnsafeMutablePointer<CChar>?] = [strdup(program), strdup(url), nil]
        defer { for argument in arguments { free(argument) } }
        var status = posix_spawnp(&pid, program, nil, nil, &arguments, environ)
        // ETXTBSY: a program just written may still be open for writing in a child another thread is forking.
        for _ in 0..<20 where status == ETXTBSY {
            usleep(20_000)
            status = posix_spawnp(&pid, program, nil, nil, &arguments, environ)
        }
        guard status == 0 else { return false }
        let child = pid
        Thread.detachNewThread {
            var exitStatus: Int32 = 0
            while waitpid(child, &exitStatus, 0) < 0, errno == EINTR {}
        }
        return true
    }
}
