/// A problem found while reading profiles: the file, the server (if any), the field, and what is wrong.
public struct ProfileProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The profile file.
    public let file: String
    /// The server entry, when the problem is inside one.
    public let server: String?
    /// The field (a dotted path such as `env.TOKEN` or `trust.minTier`).
    public let field: String?
    /// What is wrong.
    public let message: String

    /// The stable code of profile problems (SPEC §7).
    public static let code = "profile.invalid"

    public var description: String {
        var text = file
        if let server { text += ": server \"\(server)\"" }
        if let field { text += ": \(field)" }
        return text + ": " + message
    }
}
