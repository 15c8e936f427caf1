internal import CSodium

/// Ed25519 signatures (RFC 8032) through libsodium.
///
/// Verification is libsodium's `crypto_sign_verify_detached`, which (in the Debian 1.0.18 build) rejects
/// S ≥ L, a non-canonical or small-order public key, a small-order R and any R that is not the canonical
/// encoding of the recomputed point. That is the strictest common Ed25519 policy; the tests pin it with
/// the Wycheproof and ed25519-speccheck vectors.
public enum Ed25519 {
    /// Length of a public key in bytes.
    public static let publicKeyLength = 32
    /// Length of a signature in bytes.
    public static let signatureLength = 64
    /// Length of a seed (the RFC 8032 secret key) in bytes.
    public static let seedLength = 32

    /// True once libsodium initialised; every entry point checks it.
    static let isReady: Bool = sodium_init() >= 0

    /// Returns true when `signature` is a valid Ed25519 signature of `message` under `publicKey`.
    ///
    /// Wrong lengths are simply invalid (false), never a crash.
    public static func isValidSignature(_ signature: [UInt8], of message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard isReady, signature.count == signatureLength, publicKey.count == publicKeyLength else { return false }
        return message.withUnsafeBufferPointer { messageBuffer in
            crypto_sign_verify_detached(
                signature, messageBuffer.baseAddress, UInt64(messageBuffer.count), publicKey
            ) == 0
        }
    }

    /// A key pair, held as the 32-byte seed plus the derived 32-byte public key.
    public struct KeyPair: Sendable {
        /// The RFC 8032 secret key (seed).
        public let seed: [UInt8]
        /// The public key.
        public let publicKey: [UInt8]
        /// libsodium's 64-byte expanded secret key (seed followed by the public key).
        let secretKey: [UInt8]

        /// Derives the key pair from a 32-byte seed; nil when the seed has the wrong length.
        public init?(seed: [UInt8]) {
            guard Ed25519.isReady, seed.count == Ed25519.seedLength else { return nil }
            var publicKey = [UInt8](repeating: 0, count: Int(crypto_sign_PUBLICKEYBYTES))
            var secretKey = [UInt8](repeating: 0, count: Int(crypto_sign_SECRETKEYBYTES))
            guard crypto_sign_seed_keypair(&publicKey, &secretKey, seed) == 0 else { return nil }
            self.seed = seed
            self.publicKey = publicKey
            self.secretKey = secretKey
        }

        /// Generates a fresh key pair from libsodium's system random source.
        public static func generate() -> KeyPair? {
            guard Ed25519.isReady else { return nil }
            var seed = [UInt8](repeating: 0, count: Ed25519.seedLength)
            randombytes_buf(&seed, seed.count)
            return KeyPair(seed: seed)
        }

        /// Signs `message`, returning the 64-byte signature.
        public func sign(_ message: [UInt8]) -> [UInt8] {
            var signature = [UInt8](repeating: 0, count: Ed25519.signatureLength)
            var length: UInt64 = 0
            _ = message.withUnsafeBufferPointer { messageBuffer in
                crypto_sign_detached(
                    &signature, &length, messageBuffer.baseAddress, UInt64(messageBuffer.count), secretKey
                )
            }
            return signature
        }
    }
}
