import Ed25519
import Foundation
import StrictJSON
import TrustCore

/// A private registry made at test time (fresh key, JWKS and revocation files) and stdio servers that
/// present passports through `Tests/Scripts/servers/identity_wrapper.py`.
public struct IdentityFixture: Sendable {
    public let directory: String
    public let issuer = "https://registry.test"
    public let factory: TokenFactory

    public init() throws {
        directory = try Repository.temporaryDirectory()
        factory = try TokenFactory(issuer: issuer, now: Int64(Date().timeIntervalSince1970))
        try write("jwks.json", JSONSerializer.string(["keys": [factory.publicJWK]]))
        try revoke([])
    }

    public func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/" + name))
    }

    /// Replaces the revocation list.
    public func revoke(_ identities: [String]) throws {
        let list: JSONValue = ["updated_at": .string(RFC3339.string(fromSeconds: factory.now)),
                               "revoked": .array(identities.map(JSONValue.string))]
        try write("revocations.json", JSONSerializer.string(list))
    }

    /// A passport for `identity` with `changes` applied to the default claims.
    public func passport(_ identity: String, surfaces: [String] = ["mcp://tools.example.com"], _ changes: (inout JSONObject) -> Void = { _ in }) -> String {
        var claims = factory.claims
        claims["sub"] = .string(identity)
        claims["surfaces"] = .array(surfaces.map(JSONValue.string))
        changes(&claims)
        return factory.token(claims: claims)
    }

    /// A profile server entry: the SDK server over stdio, wrapped to present `block` at `location`.
    public func server(
        location: String, block: JSONValue?, legacy: Bool = false, environment: [String: String] = [:], trust: JSONValue? = nil,
        blockName: String? = nil
    ) throws -> JSONValue {
        let blockFile = directory + "/block-\(blockName ?? UUID().uuidString).json"
        try Data(JSONSerializer.bytes(block ?? [:])).write(to: URL(fileURLWithPath: blockFile))
        var environmentObject = JSONObject()
        for (key, value) in environment { environmentObject[key] = .string(value) }
        var entry: JSONObject = [
            "command": .string(try TestServers.python()),
            "args": .array([
                .string(TestServers.script("identity_wrapper.py")), .string(block == nil ? "none" : location), .string(blockFile),
                "--", .string(try TestServers.python(legacy: legacy)), .string(TestServers.script("sdk_server.py")), "stdio",
            ]),
            "env": .object(environmentObject),
            "timeouts": ["connect": 60, "call": 30],
        ]
        if let trust { entry["trust"] = trust }
        return .object(entry)
    }

    /// A block `{id, passport, registry}`.
    public func block(_ identity: String, passport: String) -> JSONValue {
        ["id": .string(identity), "passport": .string(passport), "registry": .string(issuer)]
    }

    /// Writes a profile with this registry, `trust` and `servers`.
    public func profile(_ servers: [String: JSONValue], trust: JSONValue = ["mode": "enforce"]) throws -> String {
        var serverObject = JSONObject()
        for (name, entry) in servers.sorted(by: { $0.key < $1.key }) { serverObject[name] = entry }
        let profile: JSONValue = [
            "registries": [["issuer": .string(issuer), "jwks": .string(directory + "/jwks.json"),
                            "revocations": .string(directory + "/revocations.json")]],
            "trust": trust,
            "mcpServers": .object(serverObject),
        ]
        let path = directory + "/profile-\(UUID().uuidString).json"
        try Data(JSONSerializer.bytes(profile, style: .pretty)).write(to: URL(fileURLWithPath: path))
        return path
    }
}
