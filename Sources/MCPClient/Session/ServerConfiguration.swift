public import StrictJSON

/// The two protocol eras (SPEC §4.1 `era`: `legacy|stateless`).
public enum ProtocolEra: String, Sendable, Hashable {
    /// `initialize`-based revisions 2024-11-05 … 2025-11-25.
    case legacy
    /// The stateless 2026-07-28 revision (`server/discover`, per-request `_meta`).
    case stateless
}

/// Per-server time limits in seconds (SPEC §3 `timeouts`).
public struct Timeouts: Sendable, Hashable {
    /// The whole handshake, including the era probe.
    public var connect: Double
    /// One call without a response (progress restarts it).
    public var call: Double
    /// One call, absolutely.
    public var maximum: Double
    /// A stdio server's grace between SIGTERM and SIGKILL when it is stopped (SPEC §7).
    public var shutdown: Double

    /// Creates limits; the defaults are SPEC's (20 s, 60 s, 600 s, 2 s).
    public init(connect: Double = 20, call: Double = 60, maximum: Double = 600, shutdown: Double = 2) {
        self.connect = connect
        self.call = call
        self.maximum = maximum
        self.shutdown = shutdown
    }
}

/// How to reach a server.
public enum ServerTransport: Sendable, Hashable {
    /// A local process over stdin/stdout.
    case stdio(LaunchSpecification)
    /// Streamable HTTP (both eras); headers are sent on every request.
    case streamableHTTP(url: String, headers: [String: String])
    /// The deprecated HTTP+SSE transport (GET stream, `endpoint` event, POST).
    case legacySSE(url: String, headers: [String: String])

    /// The SPEC §4.1 transport name.
    public var name: String {
        switch self {
        case .stdio: "stdio"
        case .streamableHTTP: "streamable-http"
        case .legacySSE: "sse"
        }
    }
}

/// One server to connect to.
public struct ServerConfiguration: Sendable, Hashable {
    /// How to reach it.
    public var transport: ServerTransport
    /// Time limits.
    public var timeouts: Timeouts
    /// Skip negotiation and use this era (tests, and servers known to break on the probe).
    public var era: ProtocolEra?

    /// Creates a configuration.
    public init(transport: ServerTransport, timeouts: Timeouts = Timeouts(), era: ProtocolEra? = nil) {
        self.transport = transport
        self.timeouts = timeouts
        self.era = era
    }
}

/// What the handshake established, kept raw for identity extraction: the whole `initialize` or
/// `server/discover` result and the HTTP response headers of the handshake, untouched.
public struct Handshake: Sendable {
    /// The era.
    public let era: ProtocolEra
    /// The negotiated protocol version.
    public let protocolVersion: String
    /// The raw handshake result.
    public let result: JSONValue
    /// The handshake's HTTP response headers (names lower-cased); empty on stdio.
    public let headers: [(name: String, value: String)]
    /// The transport name (`stdio`, `streamable-http`, `sse`).
    public let transport: String

    /// The server's self-reported `Implementation`: `_meta["io.modelcontextprotocol/serverInfo"]`, else the
    /// body `serverInfo`. Display only.
    public var serverInfo: JSONValue? {
        result["_meta"]?["io.modelcontextprotocol/serverInfo"] ?? result["serverInfo"]
    }

    /// The server's capabilities.
    public var capabilities: JSONValue? { result["capabilities"] }
}

/// A request the server needs the user to answer (legacy `elicitation/create`, or an MRTR input request).
public struct InputRequest: Sendable {
    /// `elicitation/create`, `sampling/createMessage` or `roots/list`.
    public let method: String
    /// Its params.
    public let params: JSONValue?
}

/// The answer to an ``InputRequest``: a result for the server, or a JSON-RPC error sent back instead.
public enum InputAnswer: Sendable {
    case result(JSONValue)
    case error(RPCErrorObject)
}

/// Remembers each server configuration's era so later connections skip the probe.
public actor EraCache {
    /// The process-wide cache.
    public static let shared = EraCache()
    private var verdicts: [String: ProtocolEra] = [:]

    /// Creates an empty cache.
    public init() {}

    /// The cached era.
    public func era(for key: String) -> ProtocolEra? { verdicts[key] }

    /// Records an era.
    public func record(_ era: ProtocolEra, for key: String) { verdicts[key] = era }

    /// Forgets an era (after a hard failure, to re-probe).
    public func forget(_ key: String) { verdicts[key] = nil }
}
