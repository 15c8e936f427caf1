/// Splits a byte stream into newline-terminated frames, counting bytes so that a peer that never sends a
/// newline is cut off as soon as it passes the cap (SPEC §7: `protocol.frame_too_large`), without ever
/// holding more than the cap in memory. UTF-8 is not decoded here; a frame is decoded only when complete.
public struct LineFramer: Sendable {
    /// The largest frame accepted, in bytes (16 MiB by default).
    public let maximumFrameBytes: Int
    private var pending: [UInt8] = []

    /// Creates a framer.
    public init(maximumFrameBytes: Int = 16 * 1024 * 1024) {
        self.maximumFrameBytes = maximumFrameBytes
    }

    /// The frames completed by `bytes`, or nil when the unfinished frame now exceeds the cap (the framer
    /// is then unusable: the stream must be closed).
    public mutating func append(_ bytes: UnsafeRawBufferPointer) -> [[UInt8]]? {
        var frames: [[UInt8]] = []
        var start = 0
        for index in 0..<bytes.count where bytes[index] == 0x0A {
            pending.append(contentsOf: bytes[start..<index])
            guard pending.count <= maximumFrameBytes else { return nil }
            if pending.last == 0x0D { pending.removeLast() }
            frames.append(pending)
            pending.removeAll(keepingCapacity: pending.count < 64 * 1024)
            start = index + 1
        }
        let rest = bytes.count - start
        guard pending.count + rest <= maximumFrameBytes else { return nil }
        pending.append(contentsOf: bytes[start..<bytes.count])
        return frames
    }

    /// Convenience for arrays.
    public mutating func append(_ bytes: [UInt8]) -> [[UInt8]]? {
        bytes.withUnsafeBytes { append($0) }
    }
}
