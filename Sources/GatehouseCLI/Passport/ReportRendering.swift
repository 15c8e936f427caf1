import GatehouseHost
import StrictJSON
import TerminalText
import TrustCore

/// Text and JSON forms of a verification report (SPEC §4.1, §5 badges).
enum ReportRendering {
    /// The `passport verify --format json` object.
    static func jsonValue(_ report: VerificationReport) -> JSONValue {
        var object = JSONObject()
        object["valid"] = .bool(report.valid)
        object["verdict"] = .string(report.verdict.rawValue)
        object["identity"] = optional(report.identity)
        object["issuer"] = optional(report.issuer)
        object["tier"] = optional(report.tier)
        object["operator"] = optional(report.operatorName)
        object["expiresAt"] = optional(report.expiresAt.map(RFC3339.string(fromSeconds:)))
        object["surface"] = .string(report.surfaceName)
        object["carriers"] = .array(report.carriers.map(JSONValue.string))
        object["tokenSha256"] = optional(report.tokenDigest)
        object["reasons"] = .array(report.reasons.map(reason))
        object["warnings"] = .array(report.warnings.map(reason))
        object["checks"] = .array(report.checks.map(check))
        if let record = report.record {
            object["record"] = ["status": optional(record.status), "tier": optional(record.tier),
                                "operator": optional(record.operatorName)]
        }
        return .object(object)
    }

    static func json(_ report: VerificationReport) -> String {
        JSONSerializer.string(jsonValue(report), style: .pretty)
    }

    static func reason(_ reason: TrustReason) -> JSONValue {
        ["code": .string(reason.code.rawValue), "message": .string(reason.message)]
    }

    static func check(_ check: VerificationCheck) -> JSONValue {
        var object: JSONObject = JSONObject()
        object["check"] = .string(check.name.rawValue)
        object["result"] = .string(check.result.rawValue)
        object["detail"] = .string(check.detail)
        if let code = check.code { object["code"] = .string(code.rawValue) }
        return .object(object)
    }

    private static func optional(_ text: String?) -> JSONValue {
        text.map(JSONValue.string) ?? .null
    }

    /// The badge of SPEC §5: a symbol and a word, so it survives without colour. Made only of Gatehouse's
    /// own words (the verdict and a reason code), never of anything the server or the token said.
    static func badge(_ report: VerificationReport, color: Bool) -> TerminalText {
        badge(ServerVerdict(report.verdict), code: report.reasons.first?.code.rawValue, color: color)
    }

    /// A server's badge: the verifier's verdict, or the host's (`error` for a failed connection, `unchecked`).
    static func badge(_ status: ServerStatus, color: Bool) -> TerminalText {
        badge(status.verdict, code: status.reasons.first?.code.rawValue, color: color)
    }

    /// The badge of a verdict and its deciding code (shown for `rejected` and `error`).
    static func badge(_ verdict: ServerVerdict, code: String?, color: Bool) -> TerminalText {
        let (symbol, colorCode): (TerminalText, String)
        switch verdict {
        case .verified: (symbol, colorCode) = ("✔", "32")
        case .declared: (symbol, colorCode) = ("◆", "36")
        case .unverified: (symbol, colorCode) = ("?", "33")
        case .rejected: (symbol, colorCode) = ("✖", "31")
        case .error: (symbol, colorCode) = ("!", "31")
        case .unchecked: (symbol, colorCode) = ("·", "2")
        }
        var text: TerminalText = "\(symbol) \(verdict.rawValue)"
        if verdict == .rejected || verdict == .error, let code {
            text += " (\(code))"
        }
        return text.styled(colorCode, enabled: color)
    }

    /// The identity, tier and operator after a badge: from the token, so each is a sanitized field.
    static func identityFields(_ report: VerificationReport?) -> TerminalText {
        identityFields(identity: report?.identity, tier: report?.tier, operatorName: report?.operatorName)
    }

    /// The same from the fields of a report's JSON (`audit merge`).
    static func identityFields(identity: String?, tier: String?, operatorName: String?) -> TerminalText {
        var text: TerminalText = ""
        if let identity { text += "  \(field: identity, limit: 80)" }
        if let tier { text += "  tier \(field: tier, limit: 40)" }
        if let operatorName { text += "  operator \(field: operatorName, limit: 80)" }
        return text
    }

    /// Human-readable report: badge line, identity facts, then every check.
    static func text(_ report: VerificationReport) -> TerminalText {
        text(report, color: false)
    }

    static func text(_ report: VerificationReport, color: Bool) -> TerminalText {
        var lines: [TerminalText] = [badge(report, color: color) + identityFields(report)]
        if let issuer = report.issuer { lines.append("  issuer    \(field: issuer, limit: 200)") }
        if let expiresAt = report.expiresAt { lines.append("  expires   \(RFC3339.string(fromSeconds: expiresAt))") }
        lines.append("  surface   \(field: report.surfaceName, limit: 200)")
        if let digest = report.tokenDigest { lines.append("  sha256    \(digest)") }
        for reason in report.reasons { lines.append("  reason    \(reason.code.rawValue): \(reason.message)") }
        for warning in report.warnings { lines.append("  warning   \(warning.code.rawValue): \(warning.message)") }
        lines.append("  checks:")
        for check in report.checks {
            let name = check.name.rawValue.padding(toLength: 17)
            lines.append("    \(check.result.rawValue.padding(toLength: 5)) \(name) \(check.detail)")
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
