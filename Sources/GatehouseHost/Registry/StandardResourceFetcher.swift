import CurlHTTP
import Foundation

/// Files through Foundation, URLs through libcurl, with bounded time and size.
public struct StandardResourceFetcher: ResourceFetcher {
    /// Seconds allowed to connect.
    public var connectTimeout: Double
    /// Seconds allowed for a whole request.
    public var totalTimeout: Double

    /// Creates a fetcher.
    public init(connectTimeout: Double = 5, totalTimeout: Double = 10) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
    }

    public func get(_ location: ResourceLocation, maximumBytes: Int) async throws -> FetchedResource {
        switch location {
        case .file(let path):
            return FetchedResource(bytes: try readFile(path, maximumBytes: maximumBytes), maxAge: nil)
        case .url(let url):
            let request = HTTPRequest(
                url: url, headers: [("Accept", "application/json")], connectTimeout: connectTimeout,
                totalTimeout: totalTimeout, maximumResponseBytes: maximumBytes
            )
            return try Self.fetched(from: try await CurlHTTPClient.perform(request))
        }
    }

    public func postJSON(_ location: ResourceLocation, body: [UInt8], maximumBytes: Int) async throws -> FetchedResource {
        guard case .url(let url) = location else {
            throw FetchError(message: "a file cannot be POSTed to")
        }
        let request = HTTPRequest(
            method: "POST", url: url, headers: [("Content-Type", "application/json"), ("Accept", "application/json")],
            body: body, connectTimeout: connectTimeout, totalTimeout: totalTimeout, maximumResponseBytes: maximumBytes
        )
        return try Self.fetched(from: try await CurlHTTPClient.perform(request))
    }

    static func fetched(from response: HTTPResponse) throws -> FetchedResource {
        guard (200..<300).contains(response.status) else {
            throw FetchError(message: "HTTP status \(response.status)", status: response.status)
        }
        return FetchedResource(
            bytes: response.body, maxAge: response.header("cache-control").flatMap(Self.maxAge), status: response.status
        )
    }

    /// The `max-age` directive of a Cache-Control value.
    static func maxAge(_ cacheControl: String) -> Int64? {
        for directive in cacheControl.split(separator: ",") {
            let parts = directive.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "max-age" {
                return Int64(parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\" ")))
            }
        }
        return nil
    }

    private func readFile(_ path: String, maximumBytes: Int) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FetchError(message: "cannot open \(path)")
        }
        defer { try? handle.close() }
        let data = try handle.read(upToCount: maximumBytes + 1) ?? Data()
        guard data.count <= maximumBytes else {
            throw FetchError(message: "\(path) is larger than \(maximumBytes) bytes")
        }
        return [UInt8](data)
    }
}
