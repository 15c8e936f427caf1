/// One server-sent event.
public struct ServerSentEvent: Sendable, Hashable {
    /// The `event:` field; `message` when absent.
    public var event: String = "message"
    /// The `data:` lines joined by newlines.
    public var data: String = ""
    /// The `id:` field.
    public var id: String?
    /// The `retry:` field in milliseconds.
    public var retry: Int?
}

/// Incremental `text/event-stream` parser (WHATWG HTML §9.2.6): lines end in CR, LF or CRLF; comment
/// lines (`:`) are ignored; an empty line dispatches the event; an event with no data is dropped.
public struct SSEParser: Sendable {
    private var framer: LineFramer
    private var current = ServerSentEvent()
    private var dataLines: [String] = []
    private var sawCarriageReturn = false

    /// Creates a parser whose lines (and so events) are capped at `maximumLineBytes`.
    public init(maximumLineBytes: Int = 16 * 1024 * 1024) {
        framer = LineFramer(maximumFrameBytes: maximumLineBytes)
    }

    /// The events completed by `bytes`; nil when a line exceeded the cap.
    public mutating func append(_ bytes: [UInt8]) -> [ServerSentEvent]? {
        // Normalise lone CR line endings to LF for the framer (CRLF stays CRLF, handled by the framer).
        var normalized: [UInt8] = []
        normalized.reserveCapacity(bytes.count)
        for byte in bytes {
            if sawCarriageReturn {
                sawCarriageReturn = false
                if byte == 0x0A { continue }
            }
            if byte == 0x0D {
                sawCarriageReturn = true
                normalized.append(0x0A)
            } else {
                normalized.append(byte)
            }
        }
        guard let lines = framer.append(normalized) else { return nil }
        var events: [ServerSentEvent] = []
        for line in lines {
            if let event = process(String(decoding: line, as: UTF8.self)) { events.append(event) }
        }
        return events
    }

    private mutating func process(_ line: String) -> ServerSentEvent? {
        if line.isEmpty {
            defer {
                current = ServerSentEvent(id: current.id)
                dataLines = []
            }
            guard !dataLines.isEmpty else { return nil }
            var event = current
            event.data = dataLines.joined(separator: "\n")
            return event
        }
        if line.hasPrefix(":") { return nil }
        let field: Substring
        var value: Substring
        if let colon = line.firstIndex(of: ":") {
            field = line[..<colon]
            value = line[line.index(after: colon)...]
            if value.hasPrefix(" ") { value = value.dropFirst() }
        } else {
            field = Substring(line)
            value = ""
        }
        switch field {
        case "event": current.event = value.isEmpty ? "message" : String(value)
        case "data": dataLines.append(String(value))
        case "id": if !value.contains("\u{0}") { current.id = String(value) }
        case "retry": current.retry = Int(value)
        default: break
        }
        return nil
    }
}
