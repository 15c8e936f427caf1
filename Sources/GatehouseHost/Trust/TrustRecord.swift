public import StrictJSON

/// What the trust store remembers about one server (by name and endpoint): the identity first seen
/// (trust on first use, like SSH known_hosts), a pin per tool, and — bounded — the definitions behind the
/// pins, for diffs.
///
/// Every tool gets a pin. A definition is kept only when the caller asks (the host does so for servers whose
/// tools it loads, and for what a person accepts), when its canonical JSON is at most
/// ``TrustStoreLimits/keptDefinitionBytes``, and while the server's kept definitions stay within
/// ``TrustStoreLimits/keptBytesPerServer``. A hostile server therefore adds at most its pins to the store.
public struct TrustRecord: Sendable, Hashable {
    public var name: String
    public var endpoint: String
    /// The identity first seen; nil while the server has shown none that verified.
    public var identity: String?
    /// When the server was first seen (RFC 3339).
    public var firstSeen: String
    /// Tool name → pin.
    public private(set) var pins: [String: String] = [:]
    /// Tool name → the RFC 8785 canonical JSON of the definition that was pinned, when it was kept. Its
    /// SHA-256 is the pin.
    public private(set) var definitions: [String: String] = [:]
    /// The UTF-8 bytes of `definitions`.
    public private(set) var definitionBytes = 0

    public init(name: String, endpoint: String, identity: String?, firstSeen: String) {
        self.name = name
        self.endpoint = endpoint
        self.identity = identity
        self.firstSeen = firstSeen
    }

    /// Pins a tool without keeping its definition (and drops any kept for an earlier pin of it).
    public mutating func pin(_ tool: String, _ pin: String) {
        dropDefinition(tool)
        pins[tool] = pin
    }

    /// Pins a tool and keeps its definition when the bounds allow.
    public mutating func pin(_ tool: String, _ pin: String, definition: JSONValue) {
        self.pin(tool, pin)
        keepDefinition(tool, canonical: JSONSerializer.string(definition, style: .canonical))
    }

    /// Keeps the canonical text of a pinned tool's definition, within the bounds; false when it was not kept.
    @discardableResult
    public mutating func keepDefinition(_ tool: String, canonical: String) -> Bool {
        guard pins[tool] != nil, definitions[tool] == nil else { return false }
        let size = canonical.utf8.count
        guard size <= TrustStoreLimits.keptDefinitionBytes, definitionBytes + size <= TrustStoreLimits.keptBytesPerServer
        else { return false }
        definitions[tool] = canonical
        definitionBytes += size
        return true
    }

    /// Removes a tool's pin and definition.
    public mutating func unpin(_ tool: String) {
        dropDefinition(tool)
        pins[tool] = nil
    }

    /// The kept definition of `tool`, parsed; nil when none was kept.
    public func definition(_ tool: String) -> JSONValue? {
        guard let text = definitions[tool] else { return nil }
        return try? JSONParser(maximumDepth: TrustStoreLimits.maximumDepth, maximumBytes: TrustStoreLimits.keptDefinitionBytes)
            .parse(text)
    }

    /// This record without kept definitions (pins only).
    var pinsOnly: TrustRecord {
        var copy = self
        copy.definitions = [:]
        copy.definitionBytes = 0
        return copy
    }

    private mutating func dropDefinition(_ tool: String) {
        if let old = definitions.removeValue(forKey: tool) { definitionBytes -= old.utf8.count }
    }
}

/// The bounds of what the trust store holds, shared by its reader and its writer so that the reader accepts
/// everything the writer can write (docs/trust-model.md "The trust store").
public enum TrustStoreLimits {
    /// The largest store file: the reader refuses a larger one, the writer never writes one (it drops kept
    /// definitions first, and refuses to write when pins alone are larger).
    public static let maximumBytes = 64 << 20
    /// The reader's nesting limit. The writer's documents are 5 deep, because definitions are stored as JSON
    /// text; 320 also reads stores written before that, whose definitions were JSON objects at most 256 deep
    /// (the transport's limit) below the store's own 5 levels.
    public static let maximumDepth = 320
    /// A definition larger than this (canonical JSON bytes) is pinned but not kept.
    public static let keptDefinitionBytes = 64 << 10
    /// At most this many bytes of kept definitions per server.
    public static let keptBytesPerServer = 4 << 20
}
