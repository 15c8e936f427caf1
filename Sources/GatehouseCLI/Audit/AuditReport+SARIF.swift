import Ed25519
import StrictJSON

extension AuditReport {
    /// SARIF 2.1.0 (SPEC §10): a result per server not loaded and per tool whose pin changed or was added,
    /// located at the server's entry in its profile, so code scanning shows them on the config file.
    func sarif() -> JSONValue {
        let rules = AuditRule.all
        var ruleIndex: [String: Int] = [:]
        for (index, rule) in rules.enumerated() { ruleIndex[rule.id] = index }
        var results: [JSONValue] = []
        for entry in entries {
            if !entry.loaded {
                let ruleID = Self.serverRule(entry)
                results.append(result(entry, tool: nil, ruleID: ruleID, index: ruleIndex[ruleID], message: Self.serverMessage(entry)))
            }
            for tool in entry.tools where tool.pinState == "changed" || tool.pinState == "added" {
                let ruleID = "pin." + tool.pinState
                let message = "\(entry.name).\(tool.name): " + (tool.pinState == "changed"
                    ? "the tool's definition changed since it was pinned; it is quarantined until accepted"
                    : "a tool the server did not offer before; it is quarantined until accepted")
                results.append(result(entry, tool: tool.name, ruleID: ruleID, index: ruleIndex[ruleID], message: message))
            }
        }
        let driver: JSONObject = [
            "name": "gatehouse", "version": .string(GatehouseRoot.version), "semanticVersion": .string(GatehouseRoot.version),
            "rules": .array(rules.map(Self.ruleObject)),
        ]
        let category = "gatehouse/audit/" + (shard.map { "shard-\($0.index)-of-\($0.count)/" } ?? "")
        let run: JSONObject = [
            "tool": ["driver": .object(driver)],
            "automationDetails": ["id": .string(category)],
            "results": .array(results),
        ]
        return ["$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [.object(run)]]
    }

    /// The rule of a server not loaded: its deciding reason, else its connection code, else what kept it out.
    static func serverRule(_ entry: AuditEntry) -> String {
        if !entry.started { return "audit.not_started" }
        if let error = entry.connectionError { return error.code }
        return entry.reasonCode ?? "passport.missing"
    }

    static func serverMessage(_ entry: AuditEntry) -> String {
        var text = "\(entry.name) is not loaded (\(entry.verdict)): \(entry.note)"
        if let error = entry.connectionError { text += ": \(error.message)" }
        return text
    }

    private func result(_ entry: AuditEntry, tool: String?, ruleID: String, index: Int?, message: String) -> JSONValue {
        var physical: JSONObject = ["artifactLocation": ["uri": .string(Self.uri(entry.source))]]
        if let line = entry.line { physical["region"] = ["startLine": .number(JSONNumber(Int64(line)))] }
        let fingerprint = SHA256.hexDigest([entry.name, tool ?? "", ruleID].joined(separator: "\u{0}"))
        var object: JSONObject = ["ruleId": .string(ruleID)]
        if let index { object["ruleIndex"] = .number(JSONNumber(Int64(index))) }
        object["level"] = .string(AuditRule.all.first { $0.id == ruleID }?.level ?? "warning")
        object["message"] = ["text": .string(message)]
        object["locations"] = [["physicalLocation": .object(physical)]]
        object["partialFingerprints"] = ["gatehouse/v1": .string(fingerprint)]
        var properties: JSONObject = ["server": .string(entry.name), "verdict": .string(entry.verdict)]
        if let tool { properties["tool"] = .string(tool) }
        object["properties"] = .object(properties)
        return .object(object)
    }

    private static func ruleObject(_ rule: AuditRule) -> JSONValue {
        [
            "id": .string(rule.id),
            "shortDescription": ["text": .string(rule.summary)],
            "fullDescription": ["text": .string(rule.summary + ".")],
            "help": ["text": .string(rule.help)],
            "defaultConfiguration": ["level": .string(rule.level)],
            "properties": ["tags": ["security", "mcp"]],
        ]
    }

    /// A profile path as a URI reference: relative paths stay relative (to the repository root, where code
    /// scanning resolves them); absolute ones become `file://` URIs; bytes outside RFC 3986's unreserved
    /// set and `/` are percent-encoded.
    static func uri(_ path: String) -> String {
        var encoded = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
