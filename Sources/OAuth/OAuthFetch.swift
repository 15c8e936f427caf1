public import CurlHTTP
import StrictJSON

/// Fetches one HTTP request (production: `CurlHTTPClient.perform`; tests: a closure).
///
/// Every request this module makes is bounded at 1 MiB and 10 s (``OAuthHTTP``), and no redirect is ever
/// followed (CurlHTTP does not follow; a 3xx is treated as a failure where it matters).
public typealias OAuthFetch = @Sendable (HTTPRequest) async throws -> HTTPResponse

/// The requests the flow sends and the bounded reading of their answers.
enum OAuthHTTP {
    /// The largest response body read (1 MiB).
    static let maximumBytes = 1024 * 1024
    /// Seconds allowed for one exchange.
    static let timeout: Double = 10
    /// The MCP revision whose authorization rules this module follows.
    static let protocolVersion = "2025-11-25"

    /// A GET for a JSON document.
    static func get(_ url: String) -> HTTPRequest {
        HTTPRequest(
            method: "GET", url: url,
            headers: [("Accept", "application/json"), ("MCP-Protocol-Version", protocolVersion)],
            connectTimeout: 5, totalTimeout: timeout, maximumResponseBytes: maximumBytes
        )
    }

    /// A POST of `body` with `contentType`, plus `headers`.
    static func post(_ url: String, contentType: String, body: [UInt8], headers: [(name: String, value: String)] = [])
        -> HTTPRequest
    {
        HTTPRequest(
            method: "POST", url: url,
            headers: [("Content-Type", contentType), ("Accept", "application/json")] + headers,
            body: body, connectTimeout: 5, totalTimeout: timeout, maximumResponseBytes: maximumBytes
        )
    }

    /// Sends `request`; a transport failure or an oversized body is `auth.failed` naming `what`.
    static func send(_ request: HTTPRequest, with fetch: OAuthFetch, what: String) async throws(OAuthError)
        -> HTTPResponse
    {
        let response: HTTPResponse
        do {
            response = try await fetch(request)
        } catch let error as HTTPError {
            throw .failed("\(what) at \(request.url) could not be fetched: \(error.message)")
        } catch {
            throw .failed("\(what) at \(request.url) could not be fetched: \(error)")
        }
        guard response.body.count <= maximumBytes else {
            throw .failed("\(what) at \(request.url) is larger than \(maximumBytes) bytes")
        }
        return response
    }

    /// The body of `response` as a JSON object, else `auth.failed` naming `what`.
    static func object(_ response: HTTPResponse, url: String, what: String) throws(OAuthError) -> JSONObject {
        let value: JSONValue
        do {
            value = try JSONParser(maximumDepth: 32, maximumBytes: maximumBytes).parse(response.body)
        } catch {
            throw .failed("\(what) at \(url) is not valid JSON (at byte \(error.offset))")
        }
        guard let object = value.objectValue else {
            throw .failed("\(what) at \(url) is a JSON \(value.typeName), not an object")
        }
        return object
    }
}
