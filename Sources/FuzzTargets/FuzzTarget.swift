import Dispatch
import Ed25519
import Foundation
import GatehouseHost
import MCPClient
import StrictJSON
import TerminalText
import TrustCore

/// The parsers that read hostile input, each as one function from bytes to nothing: the fuzz targets of
/// `make fuzz` (`gatehouse-fuzz`, built with libFuzzer) and of the corpus regression test, which runs every
/// committed seed and every input that once crashed through the same function. A target must never
/// crash, hang or grow without bound, whatever the bytes.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The compact-JWS parser and the whole verifier front end (steps 1–16 against fixed materials).
    case jws
    /// The JWKS parser and key import.
    case jwks
    /// The revocation-list parser.
    case revocations
    /// The stdio framer, the strict JSON parser and the JSON-RPC message decoder.
    case stdio
    /// The SSE event parser, then each event's data as JSON-RPC.
    case sse
    /// The profile reader with all its dialects.
    case profile
    /// The terminal sanitizer: whatever the bytes, its output holds no character a terminal acts on
    /// (a property check: a violation aborts, so libFuzzer reports it).
    case terminal

    /// Runs the target on one input.
    public func run(_ bytes: [UInt8]) async {
        if self == .jws {
            _ = await FuzzFixture.verifier.verify(FuzzFixture.request(String(decoding: bytes, as: UTF8.self)))
        } else {
            runSynchronously(bytes)
        }
    }

    /// Runs the target on one input, blocking the calling thread while the verifier runs (for libFuzzer's
    /// callback, which is a plain thread; never call this on a Swift concurrency thread).
    public func runBlocking(_ bytes: [UInt8]) {
        guard self == .jws else { return runSynchronously(bytes) }
        let done = DispatchSemaphore(value: 0)
        let token = String(decoding: bytes, as: UTF8.self)
        Task.detached {
            _ = await FuzzFixture.verifier.verify(FuzzFixture.request(token))
            done.signal()
        }
        done.wait()
    }

    private func runSynchronously(_ bytes: [UInt8]) {
        switch self {
        case .jws: break
        case .jwks: _ = try? JWKSet.parse(bytes)
        case .revocations: _ = try? RevocationList.parse(bytes)
        case .stdio: Self.stdio(bytes)
        case .sse: Self.sse(bytes)
        case .profile: Self.profile(bytes)
        case .terminal: Self.terminal(bytes)
        }
    }

    private static func terminal(_ bytes: [UInt8]) {
        let input = String(decoding: bytes, as: UTF8.self)
        let outputs = [
            (TerminalSanitizer.sanitize(input, multiline: false), false), (TerminalSanitizer.sanitize(input, multiline: true), true),
            (TerminalText(field: input, limit: 64).string, false), (TerminalText("\(input)").string, false),
        ]
        for (output, multiline) in outputs where output.unicodeScalars.contains(where: { TerminalSanitizer.isUnsafe($0, multiline: multiline) }) {
            FileHandle.standardError.write(Data("terminal sanitizer let an unsafe character through\n".utf8))
            abort()
        }
        // Sanitizing is idempotent: what was written out stays as it is.
        if TerminalSanitizer.sanitize(outputs[0].0, multiline: false) != outputs[0].0 { abort() }
    }

    private static func stdio(_ bytes: [UInt8]) {
        var framer = LineFramer(maximumFrameBytes: 64 * 1024)
        let parser = JSONParser(maximumDepth: 256, maximumBytes: 64 * 1024)
        // Split the input in two reads, so frames that straddle reads are exercised too.
        let middle = bytes.count / 2
        for chunk in [Array(bytes[..<middle]), Array(bytes[middle...])] {
            guard let frames = framer.append(chunk) else { return }
            for frame in frames {
                if let value = try? parser.parse(frame) { _ = JSONRPCMessage(value) }
            }
        }
    }

    private static func sse(_ bytes: [UInt8]) {
        var parser = SSEParser(maximumLineBytes: 64 * 1024)
        let json = JSONParser(maximumDepth: 256, maximumBytes: 64 * 1024)
        guard let events = parser.append(bytes) else { return }
        for event in events {
            if let value = try? json.parse(event.data) { _ = JSONRPCMessage(value) }
        }
    }

    private static func profile(_ bytes: [UInt8]) {
        var profile = Profile()
        let environment = ["HOME": "/home/fuzz", "TOKEN": "secret"]
        try? ProfileLoader.merge(bytes, file: "fuzz.json", environment: environment, into: &profile)
    }
}
