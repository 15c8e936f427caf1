import StrictJSON

extension AuditReport {
    /// JUnit XML: a test case per server (its verdict) and per check.
    func junit() -> String {
        var cases: [String] = []
        var failures = 0
        var errors = 0
        var skipped = 0
        for entry in entries {
            let suite = XMLText.escape("server.\(entry.name)")
            if !entry.started {
                skipped += 1
                cases.append("    <testcase classname=\"\(suite)\" name=\"trust\"><skipped message=\"\(XMLText.escape(entry.note))\"/></testcase>")
                continue
            }
            if let error = entry.connectionError {
                errors += 1
                cases.append(
                    "    <testcase classname=\"\(suite)\" name=\"connection\"><error type=\"\(XMLText.escape(error.code))\" message=\"\(XMLText.escape(error.message))\"/></testcase>"
                )
                continue
            }
            if !entry.loaded || !entry.drift.isEmpty {
                failures += 1
                let code = entry.reasonCode ?? (entry.drift.isEmpty ? entry.verdict : CLIError.Code.baselineDrift.rawValue)
                cases.append(
                    "    <testcase classname=\"\(suite)\" name=\"trust\"><failure type=\"\(XMLText.escape(code))\" message=\"\(XMLText.escape(entry.note))\"/></testcase>"
                )
            } else {
                cases.append("    <testcase classname=\"\(suite)\" name=\"trust\"/>")
            }
            for check in entry.checks {
                let name = XMLText.escape(check["check"]?.stringValue ?? "")
                let detail = XMLText.escape(check["detail"]?.stringValue ?? "")
                switch check["result"]?.stringValue {
                case "skip":
                    skipped += 1
                    cases.append("    <testcase classname=\"\(suite)\" name=\"\(name)\"><skipped message=\"\(detail)\"/></testcase>")
                case "fail":
                    failures += 1
                    let code = XMLText.escape(check["code"]?.stringValue ?? "")
                    cases.append("    <testcase classname=\"\(suite)\" name=\"\(name)\"><failure type=\"\(code)\" message=\"\(detail)\"/></testcase>")
                default: cases.append("    <testcase classname=\"\(suite)\" name=\"\(name)\"/>")
                }
            }
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="gatehouse audit" tests="\(cases.count)" failures="\(failures)" errors="\(errors)">
              <testsuite name="gatehouse audit" tests="\(cases.count)" failures="\(failures)" errors="\(errors)" skipped="\(skipped)" timestamp="\(generatedAt)">
            \(cases.joined(separator: "\n"))
              </testsuite>
            </testsuites>
            """
    }
}
