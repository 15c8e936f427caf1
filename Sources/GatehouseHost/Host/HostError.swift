/// A host-level refusal with a stable code (SPEC §2.4, §8.2).
public struct HostError: Error, Sendable, CustomStringConvertible {
    /// A stable dotted code: one of the `host.*` refusals, or, for a quarantined tool, the reason code or
    /// pin state that keeps it out (e.g. `passport.missing`).
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        /// Wraps a code; the `host.*` constants below are the ones the host itself defines.
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// No server of that name in the profile.
        public static let unknownServer = Code(rawValue: "host.unknown_server")
        /// The server has no tool of that name.
        public static let unknownTool = Code(rawValue: "host.unknown_tool")
        /// The tool (or the whole server) is not loaded.
        public static let toolQuarantined = Code(rawValue: "host.tool_quarantined")

        /// The codes the host defines (pinned in docs/error-codes.md).
        public static let hostCodes: [Code] = [.unknownServer, .unknownTool, .toolQuarantined]
    }

    /// The stable code (for a quarantined tool: the reason it is kept out, e.g. `passport.missing`).
    public let code: Code
    /// What happened, for a person.
    public let message: String
    /// Which refusal it is: ``Code/unknownServer``, ``Code/unknownTool`` or ``Code/toolQuarantined``.
    public let refusal: Code
    public var description: String { "\(code.rawValue): \(message)" }

    /// Creates a refusal; `refusal` defaults to `code`.
    public init(_ code: Code, message: String, refusal: Code? = nil) {
        self.code = code
        self.message = message
        self.refusal = refusal ?? code
    }
}
