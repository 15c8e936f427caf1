import CurlHTTP
import Foundation

/// A resource as fetched: its bytes and how long the server says it stays fresh.
public struct FetchedResource: Sendable {
    /// The body.
    public let bytes: [UInt8]
    /// `Cache-Control: max-age` in seconds, when the server sent one.
    public let maxAge: Int64?
    /// The HTTP status (200 for files).
    public let status: Int

    /// Creates a fetched resource.
    public init(bytes: [UInt8], maxAge: Int64?, status: Int = 200) {
        self.bytes = bytes
        self.maxAge = maxAge
        self.status = status
    }
}

/// Fetches registry resources. The registry source uses it for every read, so tests and benchmarks can
/// observe or replace the I/O without touching the caching rules.
public protocol ResourceFetcher: Sendable {
    /// Reads `location` (GET), refusing bodies over `maximumBytes`.
    func get(_ location: ResourceLocation, maximumBytes: Int) async throws -> FetchedResource
    /// POSTs a JSON body to `location`.
    func postJSON(_ location: ResourceLocation, body: [UInt8], maximumBytes: Int) async throws -> FetchedResource
}

/// A fetch that produced no usable resource.
public struct FetchError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    /// The HTTP status, when a server answered.
    public var status: Int?

    /// Creates an error.
    public init(message: String, status: Int? = nil) {
        self.message = message
        self.status = status
    }

    public var description: String { message }
}
