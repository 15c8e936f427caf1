import ArgumentParser
import Ed25519
import Foundation
import GatehouseHost
import StrictJSON
import TerminalText

/// `gatehouse passport keygen` (SPEC §4): an Ed25519 key pair and a `jwks.json` for a private registry.
///
/// The private key goes to `DIR/signing-key.jwk`, created with mode 0600 and never overwritten. The public
/// key is added to `DIR/jwks.json` (created, or extended so that a rotation keeps the old keys).
struct KeygenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create an Ed25519 signing key and a jwks.json for a private registry."
    )

    @Option(help: "The directory to write signing-key.jwk and jwks.json into.")
    var out: String

    @Option(help: "The key id (default: k_ and the start of the RFC 7638 thumbprint).")
    var kid: String?

    @Option(name: .customLong("key-name"), help: "The private key's file name in DIR.")
    var keyName = "signing-key.jwk"

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if let kid, kid.isEmpty { throw ValidationError("--kid must not be empty") }
        if keyName.contains("/") || keyName.isEmpty { throw ValidationError("--key-name is a file name, not a path") }
    }

    func run() async throws {
        guard let keyPair = Ed25519.KeyPair.generate() else {
            throw CLIError(code: .keygenFailed, message: "libsodium could not generate a key", exitCode: ExitStatus.usage)
        }
        let key = SigningKey(keyPair: keyPair, keyID: kid ?? SigningKey.defaultKeyID(publicKey: keyPair.publicKey))
        do {
            try FileManager.default.createDirectory(
                atPath: out, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw CLIError.usage("cannot create \(out): \(error.localizedDescription)")
        }
        let jwksPath = out + "/jwks.json"
        var keys: [JSONValue] = []
        if let existing = FileManager.default.contents(atPath: jwksPath) {
            guard let document = try? JSONParser().parse([UInt8](existing)), case .array(let old)? = document["keys"] else {
                throw CLIError.usage("\(jwksPath) exists and is not a JWKS; not touching it")
            }
            if old.contains(where: { $0["kid"]?.stringValue == key.keyID }) {
                throw CLIError.usage("\(jwksPath) already has a key with kid \(key.keyID)")
            }
            keys = old
        }
        let keyPath = out + "/" + keyName
        try writeNew(keyPath, bytes: JSONSerializer.bytes(key.privateJWK, style: .pretty) + [0x0A])
        keys.append(key.publicJWK)
        do {
            try Data(JSONSerializer.bytes(["keys": .array(keys)], style: .pretty) + [0x0A])
                .write(to: URL(fileURLWithPath: jwksPath), options: .atomic)
        } catch {
            throw CLIError.usage("cannot write \(jwksPath): \(error.localizedDescription)")
        }
        Console.out("wrote \(keyPath) (private key, mode 0600) and \(jwksPath) (\(keys.count) key(s)); kid \(key.keyID)")
    }

    /// Creates `path` with mode 0600, failing if it exists: a private key is never overwritten.
    private func writeNew(_ path: String, bytes: [UInt8]) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            let reason = errno == EEXIST ? "it already exists (a private key is never overwritten)" : String(cString: strerror(errno))
            throw CLIError.usage("cannot create \(path): \(reason)")
        }
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw CLIError.usage("cannot write \(path)") }
    }
}
