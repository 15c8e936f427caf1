import StrictJSON

/// The endpoint Gatehouse reports and keys the trust store by (SPEC §3: values from the environment are
/// redacted everywhere): the profile's own text before `${…}` expansion — the command line, or the URL —
/// with any URL user-info removed. A secret that a variable puts into `args` or a URL, or that a URL carries
/// as `user:password@`, therefore reaches no output and no file; `${SECRET}` is shown as written.
public enum EndpointText {
    /// The endpoint of a server entry's members (`command` and `args`, or the URL member), unexpanded.
    static func endpoint(_ object: JSONObject) -> String {
        if let command = object["command"]?.stringValue {
            let arguments = object["args"]?.arrayValue?.compactMap(\.stringValue) ?? []
            return ([command] + arguments).joined(separator: " ")
        }
        let url = ["httpUrl", "url", "serverUrl"].lazy.compactMap { object[$0]?.stringValue }.first ?? ""
        return withoutUserInfo(url)
    }

    /// `scheme://user:password@host/…` without `user:password@`; other text unchanged.
    public static func withoutUserInfo(_ text: String) -> String {
        guard let schemeEnd = text.firstRange(of: "://") else { return text }
        let authorityStart = schemeEnd.upperBound
        let authorityEnd = text[authorityStart...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? text.endIndex
        guard let at = text[authorityStart..<authorityEnd].lastIndex(of: "@") else { return text }
        return String(text[..<authorityStart]) + String(text[text.index(after: at)...])
    }
}
