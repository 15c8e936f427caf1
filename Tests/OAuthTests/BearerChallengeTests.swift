import OAuth
import Testing

struct BearerChallengeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let header: String
        let metadata: String?
        let scopes: [String]?
        let error: String?
        var testDescription: String { header }
    }

    static let cases: [Case] = [
        Case(
            header: #"Bearer resource_metadata="https://h/.well-known/oauth-protected-resource""#,
            metadata: "https://h/.well-known/oauth-protected-resource", scopes: nil, error: nil),
        Case(
            header: #"bearer Scope="read write", ERROR=insufficient_scope"#, metadata: nil, scopes: ["read", "write"],
            error: "insufficient_scope"),
        Case(
            header: #"Bearer realm="x", error="invalid_token", error_description="the \"token\" expired""#,
            metadata: nil, scopes: nil, error: "invalid_token"),
        Case(header: #"Basic realm="a", Bearer scope="files:read""#, metadata: nil, scopes: ["files:read"], error: nil),
        Case(header: #"Bearer scope="a", Basic realm="b", scope="ignored""#, metadata: nil, scopes: ["a"], error: nil),
        Case(header: "Bearer", metadata: nil, scopes: nil, error: nil),
        Case(header: #"Bearer scope="""#, metadata: nil, scopes: nil, error: nil),
        Case(header: #"Bearer scope="first", scope="second""#, metadata: nil, scopes: ["first"], error: nil),
        Case(header: #"Bearer  scope = "a  b" "#, metadata: nil, scopes: ["a", "b"], error: nil),
    ]

    @Test("Bearer challenges are parsed", arguments: cases)
    func parses(_ testCase: Case) throws {
        let challenge = try #require(BearerChallenge(header: testCase.header))
        #expect(challenge.resourceMetadata == testCase.metadata)
        #expect(challenge.scopes == testCase.scopes)
        #expect(challenge.error == testCase.error)
    }

    @Test(
        "headers without a Bearer challenge give nil",
        arguments: [
            #"Basic realm="x""#, "", "Bearerish scope=\"a\"", #"DPoP algs="ES256""#, "Digest realm=\"bearer\"",
        ])
    func refuses(_ header: String) {
        #expect(BearerChallenge(header: header) == nil)
    }

    @Test("an escaped quote stays inside the value")
    func escapes() throws {
        let challenge = try #require(
            BearerChallenge(header: #"Bearer error_description="say \"hi\", then go", error="x""#))
        #expect(challenge.parameters["error_description"] == #"say "hi", then go"#)
        #expect(challenge.error == "x")
    }
}

struct CanonicalURLTests {
    @Test(
        "canonical forms",
        arguments: [
            ("HTTPS://MCP.Example.COM:443/", "https://mcp.example.com"),
            ("https://mcp.example.com", "https://mcp.example.com"),
            ("http://h:80/mcp", "http://h/mcp"),
            ("http://h:8080/mcp/", "http://h:8080/mcp/"),
            ("https://h/MCP#frag", "https://h/MCP"),
            ("https://h/mcp?x=1", "https://h/mcp?x=1"),
            ("https://h:443?x=1", "https://h?x=1"),
        ])
    func canonical(_ input: String, _ expected: String) {
        #expect(CanonicalURL.canonical(input) == expected)
    }

    @Test(
        "different resources stay different",
        arguments: [
            ("https://h/mcp", "https://h/mcp/"), ("https://h/mcp", "https://h/MCP"), ("https://h/mcp", "http://h/mcp"),
            ("https://h/mcp", "https://h:8443/mcp"), ("https://h/a%2Fb", "https://h/a/b"),
        ])
    func different(_ first: String, _ second: String) {
        #expect(!CanonicalURL.same(first, second))
    }

    @Test(
        "non-http URLs have no canonical form",
        arguments: ["ftp://h/x", "javascript:alert(1)", "https://", "https://u@h/x", "/relative"])
    func invalid(_ input: String) {
        #expect(CanonicalURL.canonical(input) == nil)
    }
}
