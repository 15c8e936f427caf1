import GatehouseHost
import MCPClient
import StrictJSON
import TerminalText
import TrustCore

/// The verdict object of SPEC §4.1 (`trust` in audit and call JSON) and the badge lines of SPEC §5.
enum TrustRendering {
    static func trustObject(_ status: ServerStatus) -> JSONValue {
        let report = status.report
        var object = JSONObject()
        object["verdict"] = .string(status.verdict.rawValue)
        object["loaded"] = .bool(status.loaded)
        object["identity"] = optional(report?.identity)
        object["registry"] = optional(report?.issuer)
        object["tier"] = optional(report?.tier)
        object["operator"] = optional(report?.operatorName)
        object["surface"] = .string(status.surfaceName)
        object["carriers"] = .array((report?.carriers ?? []).map(JSONValue.string))
        object["expiresAt"] = optional(report?.expiresAt.map(RFC3339.string(fromSeconds:)))
        object["reasons"] = .array(status.reasons.map(ReportRendering.reason))
        object["warnings"] = .array((report?.warnings ?? []).map(ReportRendering.reason))
        object["checks"] = .array((report?.checks ?? []).map(ReportRendering.check))
        return .object(object)
    }

    static func optional(_ text: String?) -> JSONValue {
        text.map(JSONValue.string) ?? .null
    }

    /// `weather  ✔ verified  aii_…  tier …  operator …`: the profile's name, Gatehouse's badge, then the
    /// token's fields, each sanitized and capped (``ReportRendering/identityFields(_:)``).
    static func badgeLine(_ status: ServerStatus, color: Bool) -> TerminalText {
        let report = status.report
        return badgeLine(
            name: status.entry.name, verdict: status.verdict, code: status.reasons.first?.code.rawValue,
            identityFields: ReportRendering.identityFields(report), unbound: report != nil && report?.surface == nil,
            connectionError: status.connectionError.map { ($0.code.rawValue, $0.message) }, color: color
        )
    }

    /// The same line from its parts (an audit report read back by `audit merge` has only these).
    static func badgeLine(
        name: String, verdict: ServerVerdict, code: String?, identityFields: TerminalText, unbound: Bool,
        connectionError: (code: String, message: String)?, color: Bool
    ) -> TerminalText {
        var line: TerminalText = "\(field: name, limit: 80)  \(ReportRendering.badge(verdict, code: code, color: color))"
        line += identityFields
        if verdict == .verified, unbound { line += "  \(VerificationReport.unboundSurface)" }
        if let error = connectionError { line += "  \(error.code): \(field: error.message, limit: 300)" }
        return line
    }

    static func toolObject(_ tool: ToolRecord) -> JSONValue {
        var object = JSONObject()
        object["name"] = .string(tool.name)
        object["qualifiedName"] = .string(tool.qualifiedName)
        object["loaded"] = .bool(tool.loaded)
        object["pin"] = .string(tool.pin)
        object["pinState"] = .string(tool.pinState.rawValue)
        object["description"] = tool.definition["description"] ?? .null
        if !tool.diff.isEmpty { object["diff"] = .array(tool.diff.map(JSONValue.string)) }
        return .object(object)
    }
}
