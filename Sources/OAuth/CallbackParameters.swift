import Foundation

/// The query parameters of the authorization response: from the loopback listener, or from a redirect URL the
/// user pasted.
public struct CallbackParameters: Sendable, Hashable, CustomStringConvertible {
    /// The decoded parameters; a name repeated keeps its first value.
    public let values: [String: String]

    /// Parses a raw query string (without the `?`).
    public init(query: String) {
        values = FormEncoding.decode(query)
    }

    /// Parses a pasted redirect URL (`http://127.0.0.1:PORT/callback?code=…&state=…`); nil when it has no query.
    public init?(redirectURL: String) {
        let trimmed = redirectURL.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let question = trimmed.firstIndex(of: "?") else { return nil }
        var query = trimmed[trimmed.index(after: question)...]
        if let hash = query.firstIndex(of: "#") { query = query[..<hash] }
        guard !query.isEmpty else { return nil }
        self.init(query: String(query))
    }

    /// The parameters, with `code` and `state` (wherever they appear) only as fingerprints.
    public var description: String {
        let text = values.keys.sorted().map { "\($0)=\((values[$0] ?? "").prefix(200))" }.joined(separator: " ")
        return OAuthError(.failed, text).redacting([values["code"], values["state"]].compactMap { $0 }).message
    }
}

/// What an authorization response must match: the `state` sent and the issuer recorded beside the verifier.
struct CallbackExpectation: Sendable, Hashable {
    let state: String
    let issuer: String
    /// The server advertised `authorization_response_iss_parameter_supported`, so `iss` must be present.
    let issuerParameterRequired: Bool

    /// Checks `callback` (RFC 9207 `iss` first, then `state`, then `error`) and returns its `code`.
    /// - Throws: `auth.failed`; on an `iss` mismatch the response's `error_description` is neither acted on nor
    ///   shown.
    func code(of callback: CallbackParameters) throws(OAuthError) -> String {
        do {
            return try checkedCode(callback.values)
        } catch {
            // The response is attacker-reachable text: never let it carry the code (or the state) into a message.
            throw error.redacting([callback.values["code"], callback.values["state"], state].compactMap { $0 })
        }
    }

    private func checkedCode(_ values: [String: String]) throws(OAuthError) -> String {
        if let iss = values["iss"] {
            guard iss == issuer else {
                throw .failed("the authorization response came from issuer \(iss.prefix(200)), not \(issuer); refused")
            }
        } else if issuerParameterRequired {
            throw .failed("the authorization response has no iss parameter, which \(issuer) promises; refused")
        }
        guard let state = values["state"], Self.same(state, self.state) else {
            throw .failed("the authorization response's state does not match the login's state; refused")
        }
        if let error = values["error"] {
            let detail = values["error_description"].map { ": \($0.prefix(300))" } ?? ""
            throw .failed("the authorization server refused the login (\(error.prefix(100))\(detail))")
        }
        guard let code = values["code"], !code.isEmpty else {
            throw .failed("the authorization response has no code")
        }
        return code
    }

    /// Constant-time comparison of two strings' UTF-8.
    private static func same(_ first: String, _ second: String) -> Bool {
        let first = Array(first.utf8)
        let second = Array(second.utf8)
        guard first.count == second.count else { return false }
        return zip(first, second).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
