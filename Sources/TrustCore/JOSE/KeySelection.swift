/// SPEC §2.3 step 5: which key checks the token.
///
/// By the header `kid`, else by the claim `key_id`, else the registry's only usable key. When both `kid`
/// and `key_id` are present they must be equal. A `kid` that names an unusable entry is `key_invalid`, as
/// is every lookup in a set that is unusable as a whole.
public enum KeySelection {
    /// Selects the key for a token.
    public static func select(
        from keySet: JWKSet, headerKeyID: String?, claimKeyID: String?
    ) -> Result<JWKSet.Key, TrustReason> {
        if let headerKeyID, let claimKeyID, headerKeyID != claimKeyID {
            return .failure(
                TrustReason(.keyIDMismatch, "header kid \"\(clip(headerKeyID))\" differs from key_id \"\(clip(claimKeyID))\"")
            )
        }
        if let problem = keySet.setProblem {
            return .failure(TrustReason(.keyInvalid, problem))
        }
        guard let wanted = headerKeyID ?? claimKeyID else {
            guard keySet.keys.count == 1, let only = keySet.keys.first else {
                return .failure(
                    TrustReason(
                        .keyUnknown,
                        "the token names no key and the registry has \(keySet.keys.count) usable keys, not exactly one"
                    )
                )
            }
            return .success(only)
        }
        if let key = keySet.keys.first(where: { $0.keyID == wanted }) {
            return .success(key)
        }
        if let entry = keySet.unusable.first(where: { $0.keyID == wanted }) {
            return .failure(TrustReason(.keyInvalid, "key \"\(clip(wanted))\" is unusable: \(entry.reason)"))
        }
        return .failure(TrustReason(.keyUnknown, "the registry has no key \"\(clip(wanted))\""))
    }

    /// Key ids come from untrusted tokens: show at most 64 characters of one.
    static func clip(_ text: String) -> String {
        text.count <= 64 ? text : String(text.prefix(64)) + "…"
    }
}
