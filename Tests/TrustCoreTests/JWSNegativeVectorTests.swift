import Foundation
import StrictJSON
import TestSupport
import Testing
import TrustCore

/// The 39 derived compact-JWS cases: only `rfc8037-a4` may be accepted.
struct JWSNegativeVectorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let id: String
        let token: String
        let accept: Bool
        var testDescription: String { id }
    }

    static let document: JSONValue? = {
        guard let data = try? Repository.vector("derived/jws-ed25519-rfc8037-negatives.json") else { return nil }
        return try? JSONParser().parse([UInt8](data))
    }()

    static let cases: [Case] = (document?["cases"]?.arrayValue ?? []).compactMap { entry in
        guard let id = entry["id"]?.stringValue, let token = entry["jws"]?.stringValue,
            let expected = entry["expected"]?.stringValue
        else { return nil }
        return Case(id: id, token: token, accept: expected == "accept")
    }

    @Test("the file has 39 cases, one of them valid")
    func count() {
        #expect(Self.cases.count == 39)
        #expect(Self.cases.filter(\.accept).map(\.id) == ["rfc8037-a4"])
    }

    @Test("each case is accepted or rejected as labelled", arguments: cases)
    func verdict(_ vector: Case) throws {
        let trusted = try #require(Self.document?["trustedJwk"])
        #expect(JWSLayer.accepts(vector.token, keySet: JWKSet(entries: [trusted])) == vector.accept)
    }
}
