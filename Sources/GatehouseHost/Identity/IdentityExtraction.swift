import Foundation
public import MCPClient
import StrictJSON
public import TrustCore

/// Finds identity material in every carrier of SPEC §2.1.
public enum IdentityExtraction {
    /// The handshake locations, in SPEC order, as (carrier name, path of keys to the `x-ai-identity` value).
    static let handshakeLocations: [(String, [String])] = [
        ("result._meta", ["_meta"]),
        ("result.metadata", ["metadata"]),
        ("capabilities.metadata", ["capabilities", "metadata"]),
        ("capabilities.experimental", ["capabilities", "experimental"]),
    ]

    /// The carriers in a handshake result and its HTTP headers (not the well-known document).
    public static func carriers(in handshake: Handshake) -> [IdentityCarrier] {
        var carriers: [IdentityCarrier] = []
        for (name, path) in handshakeLocations {
            var value: JSONValue? = handshake.result
            for key in path { value = value?[key] }
            if let block = value?["x-ai-identity"] { carriers.append(carrier(name, block)) }
        }
        if let block = handshake.serverInfo?["metadata"]?["x-ai-identity"] {
            carriers.append(carrier("serverInfo.metadata", block))
        }
        return carriers + headerCarriers(handshake.headers)
    }

    /// The passports in HTTP response headers (names lower-cased): `X-AI-Identity` or `X-AII-Passport`,
    /// each distinct token once.
    static func headerCarriers(_ headers: [(name: String, value: String)]) -> [IdentityCarrier] {
        var tokens: [String] = []
        for header in headers where header.name == "x-ai-identity" || header.name == "x-aii-passport" {
            if !tokens.contains(header.value) { tokens.append(header.value) }
        }
        return tokens.map { IdentityCarrier(name: "http-header", content: .token($0)) }
    }

    /// A block as found: fields that are not strings are absent (so a broken block is `passport.malformed`).
    static func carrier(_ name: String, _ value: JSONValue) -> IdentityCarrier {
        IdentityCarrier(
            name: name,
            content: .block(id: value["id"]?.stringValue, passport: value["passport"]?.stringValue, registry: value["registry"]?.stringValue)
        )
    }

    /// The unsigned `/.well-known/ai-identity.json` document of an HTTP endpoint (SPEC §2.2), fetched
    /// through the host's resource fetcher at the origin of `endpoint` — the same parsed address the
    /// surface binding uses. No document (any status but 200, a body that is not the document, a
    /// failed fetch) means no carrier: the claim is optional evidence and never a reason to load.
    static func wellKnown(for endpoint: SurfaceAddress, fetcher: any ResourceFetcher) async -> IdentityCarrier? {
        guard endpoint.scheme == "https" || endpoint.scheme == "http" else { return nil }
        let origin = endpoint.scheme + "://" + endpoint.host + (endpoint.port.map { ":\($0)" } ?? "")
        let limit = 64 * 1024
        guard let fetched = try? await fetcher.get(.url(origin + "/.well-known/ai-identity.json"), maximumBytes: limit),
            fetched.status == 200,
            let document = try? JSONParser(maximumDepth: 8, maximumBytes: limit).parse(fetched.bytes),
            case .string(let identity)? = document["identity_id"]
        else { return nil }
        return IdentityCarrier(name: "well-known", content: .wellKnown(identityID: identity, registry: document["registry"]?.stringValue))
    }
}
