import OAuth
import Testing

struct OAuthErrorTests {
    @Test("the error codes are the three of SPEC §9")
    func codes() {
        #expect(OAuthError.Code.all.map(\.rawValue) == ["auth.failed", "auth.required", "auth.insufficient_scope"])
    }
}
