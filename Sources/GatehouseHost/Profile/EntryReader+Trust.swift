import StrictJSON
import TrustCore

extension EntryReader {
    /// The global `trust` object; an invalid member is fatal (the intended policy cannot be guessed).
    func readTrust(_ value: JSONValue, into settings: inout TrustSettings) throws(ProfileProblem) {
        guard case .object(let object) = value else { throw problem(nil, "trust", "is not an object") }
        for (key, member) in object {
            let field = "trust.\(key)"
            switch key {
            case "mode": settings.mode = try mode(member, server: nil, field: field)
            case "minTier": settings.minimumTier = try tier(member, server: nil, field: field)
            case "audience": settings.audience = try string(member, server: nil, field: field)
            case "clockSkewSeconds": settings.clockSkewSeconds = try count(member, server: nil, field: field)
            case "online": settings.online = try flag(member, server: nil, field: field)
            case "maxStaleSeconds": settings.maxStaleSeconds = try count(member, server: nil, field: field)
            case "maxAgeDays": settings.maxAgeDays = try count(member, server: nil, field: field)
            default: throw problem(nil, field, "is not a trust setting")
            }
        }
    }

    /// A server's `trust` overrides.
    func readServerTrust(_ value: JSONValue, server: String) throws(ProfileProblem) -> ServerTrust {
        guard case .object(let object) = value else { throw problem(server, "trust", "is not an object") }
        var trust = ServerTrust()
        for (key, member) in object {
            let field = "trust.\(key)"
            switch key {
            case "mode": trust.mode = try mode(member, server: server, field: field)
            case "minTier": trust.minimumTier = try tier(member, server: server, field: field)
            case "audience": trust.audience = try string(member, server: server, field: field)
            case "surface":
                let surface = try string(member, server: server, field: field)
                guard SurfaceAddress.surface(surface) != nil else {
                    throw problem(server, field, "\"\(surface)\" is not an mcp://, https:// or http:// surface")
                }
                trust.surface = surface
            case "expectIdentity": trust.expectIdentity = try string(member, server: server, field: field)
            case "allowUnverified": trust.allowUnverified = try flag(member, server: server, field: field)
            case "wellKnown": trust.wellKnown = try flag(member, server: server, field: field)
            case "maxAgeDays": trust.maxAgeDays = try count(member, server: server, field: field)
            default: throw problem(server, field, "is not a trust setting")
            }
        }
        return trust
    }

    func mode(_ value: JSONValue, server: String?, field: String) throws(ProfileProblem) -> TrustMode {
        guard let text = value.stringValue, let mode = TrustMode(rawValue: text) else {
            throw problem(server, field, "must be one of enforce, warn, off")
        }
        return mode
    }

    func tier(_ value: JSONValue, server: String?, field: String) throws(ProfileProblem) -> Tier {
        guard let text = value.stringValue, let tier = Tier(rawValue: text) else {
            throw problem(server, field, "must be one of \(Tier.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return tier
    }

    func string(_ value: JSONValue, server: String?, field: String) throws(ProfileProblem) -> String {
        guard case .string(let text) = value else { throw problem(server, field, "is not a string") }
        return try expand(text, server: server, field: field)
    }

    func flag(_ value: JSONValue, server: String?, field: String) throws(ProfileProblem) -> Bool {
        guard case .bool(let flag) = value else { throw problem(server, field, "is not true or false") }
        return flag
    }

    func count(_ value: JSONValue, server: String?, field: String) throws(ProfileProblem) -> Int64 {
        guard case .number(let number) = value, let integer = number.int64Value, integer >= 0 else {
            throw problem(server, field, "is not a whole number ≥ 0")
        }
        return integer
    }

    func seconds(_ value: JSONValue, server: String?, field: String) throws(ProfileProblem) -> Double {
        guard case .number(let number) = value, number.doubleValue > 0, number.doubleValue.isFinite else {
            throw problem(server, field, "is not a positive number of seconds")
        }
        return number.doubleValue
    }
}
