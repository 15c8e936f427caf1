internal import CSodium
import Ed25519
import Foundation

/// PKCE S256 (RFC 7636) and the random values of a login.
enum PKCE {
    /// A verifier: 32 random bytes, base64url (43 characters).
    static func makeVerifier() throws(OAuthError) -> String {
        try base64URL(randomBytes(32))
    }

    /// A `state`: 32 random bytes, base64url.
    static func makeState() throws(OAuthError) -> String {
        try base64URL(randomBytes(32))
    }

    /// The S256 challenge of `verifier`: base64url(SHA-256(ASCII(verifier))) (RFC 7636 §4.2).
    static func challenge(for verifier: String) -> String {
        base64URL(SHA256.digest(Array(verifier.utf8)))
    }

    /// `count` bytes from libsodium's `randombytes_buf`.
    static func randomBytes(_ count: Int) throws(OAuthError) -> [UInt8] {
        guard sodium_init() >= 0 else { throw .failed("libsodium could not be initialised for random numbers") }
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress { randombytes_buf(base, buffer.count) }
        }
        return bytes
    }

    /// Unpadded base64url (RFC 4648 §5).
    static func base64URL(_ bytes: [UInt8]) -> String {
        String(
            Data(bytes).base64EncodedString().compactMap { character -> Character? in
                switch character {
                case "+": "-"
                case "/": "_"
                case "=": nil
                default: character
                }
            }
        )
    }
}
