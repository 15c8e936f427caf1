internal import CSodium

extension Ed25519 {
    /// Why a 32-byte string is not acceptable as an Ed25519 public key.
    public enum PublicKeyProblem: String, Sendable, Hashable {
        case wrongLength = "the key is not 32 bytes"
        case nonCanonical = "the key is a non-canonical encoding (y ≥ p)"
        case smallOrder = "the key is a small-order point"
        case notOnCurve = "the key is not a point in the prime-order subgroup"
    }

    /// The encodings libsodium 1.0.18 lists as small-order (bytes 0–30 compared exactly, byte 31 with its
    /// sign bit masked): 0, the identity, two points of order 8, p−1, p and p+1.
    static let smallOrderEncodings: [[UInt8]] = [
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    ].compactMap(Hex.decode)

    /// Checks a public key before it is trusted for anything: exactly 32 bytes, canonical, not one of the
    /// small-order encodings, and (through `crypto_core_ed25519_is_valid_point`) a point of the prime-order
    /// subgroup. A small-order registry key would let anyone forge passports, so this is mandatory at import.
    /// - Returns: nil when the key is acceptable, else the first problem found.
    public static func problem(withPublicKey key: [UInt8]) -> PublicKeyProblem? {
        guard key.count == publicKeyLength else { return .wrongLength }
        if isNonCanonical(key) { return .nonCanonical }
        for encoding in smallOrderEncodings where encoding.count == 32 {
            if key[0..<31].elementsEqual(encoding[0..<31]) && (key[31] & 0x7F) == encoding[31] { return .smallOrder }
        }
        guard isReady, crypto_core_ed25519_is_valid_point(key) == 1 else { return .notOnCurve }
        return nil
    }

    /// y ≥ p: byte 31 (sign bit masked) is 0x7f, bytes 1–30 are 0xff, byte 0 is ≥ 0xed.
    static func isNonCanonical(_ key: [UInt8]) -> Bool {
        guard (key[31] & 0x7F) == 0x7F else { return false }
        for index in 1...30 where key[index] != 0xFF { return false }
        return key[0] >= 0xED
    }
}
