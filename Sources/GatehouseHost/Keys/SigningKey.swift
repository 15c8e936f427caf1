import Foundation
public import Ed25519
public import StrictJSON
import TrustCore

/// A registry's Ed25519 signing key as a private JWK (RFC 8037): `kty` OKP, `crv` Ed25519, `x`, `d`, `kid`.
public struct SigningKey: Sendable {
    /// The key pair.
    public let keyPair: Ed25519.KeyPair
    /// The key id published in the JWKS and put in the passport header.
    public let keyID: String

    /// Wraps a key pair.
    public init(keyPair: Ed25519.KeyPair, keyID: String) {
        self.keyPair = keyPair
        self.keyID = keyID
    }

    /// The RFC 7638 thumbprint of the public key (base64url SHA-256 of its required members).
    public static func thumbprint(publicKey: [UInt8]) -> String {
        let members = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"\(Base64URL.encode(publicKey))\"}"
        return Base64URL.encode(SHA256.digest(Array(members.utf8)))
    }

    /// The default key id: `k_` and the first 16 characters of the thumbprint.
    public static func defaultKeyID(publicKey: [UInt8]) -> String {
        "k_" + thumbprint(publicKey: publicKey).prefix(16)
    }

    /// The public JWK, as published in `jwks.json`.
    public var publicJWK: JSONValue {
        ["kty": "OKP", "crv": "Ed25519", "x": .string(Base64URL.encode(keyPair.publicKey)), "kid": .string(keyID),
         "use": "sig", "alg": "EdDSA"]
    }

    /// The private JWK, as written to the key file.
    public var privateJWK: JSONValue {
        ["kty": "OKP", "crv": "Ed25519", "x": .string(Base64URL.encode(keyPair.publicKey)),
         "d": .string(Base64URL.encode(keyPair.seed)), "kid": .string(keyID)]
    }

    /// Reads a private JWK; the `x` it carries must be the public key derived from `d`.
    public static func load(path: String) throws(KeyFileError) -> SigningKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KeyFileError(message: "cannot read the key file \(path)")
        }
        guard let document = try? JSONParser(maximumDepth: 8, maximumBytes: 64 * 1024).parse([UInt8](data)),
            case .object(let object) = document
        else { throw KeyFileError(message: "\(path) is not a JSON object") }
        guard object["kty"]?.stringValue == "OKP", object["crv"]?.stringValue == "Ed25519" else {
            throw KeyFileError(message: "\(path) is not an Ed25519 JWK (kty OKP, crv Ed25519)")
        }
        guard let seedText = object["d"]?.stringValue, let seed = Base64URL.decode(seedText),
            let keyPair = Ed25519.KeyPair(seed: seed)
        else { throw KeyFileError(message: "\(path) has no valid private key d (32 bytes, base64url)") }
        if let publicText = object["x"]?.stringValue, Base64URL.decode(publicText) != keyPair.publicKey {
            throw KeyFileError(message: "\(path): x is not the public key of d")
        }
        let keyID = object["kid"]?.stringValue ?? defaultKeyID(publicKey: keyPair.publicKey)
        return SigningKey(keyPair: keyPair, keyID: keyID)
    }
}

/// A key file that cannot be used.
public struct KeyFileError: Error, Sendable {
    /// What is wrong.
    public let message: String
}
