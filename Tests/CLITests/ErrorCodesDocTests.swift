import Foundation
import GatehouseCLI
import GatehouseHost
import TestSupport
import Testing
import TrustCore

/// docs/error-codes.md lists exactly the codes each module declares, section by section.
@Suite struct ErrorCodesDocTests {
    /// The backquoted first column of each table row, by the `## ` heading above it.
    static func documented() throws -> [String: [String]] {
        let text = try String(contentsOfFile: Repository.root + "/docs/error-codes.md", encoding: .utf8)
        var sections: [String: [String]] = [:]
        var heading = ""
        for line in text.split(separator: "\n") {
            if line.hasPrefix("## ") {
                heading = String(line.dropFirst(3))
            } else if let match = line.firstMatch(of: /^\| `([^`]+)` \|/) {
                sections[heading, default: []].append(String(match.1))
            }
        }
        return sections
    }

    /// Raw values declared in a source file, for the code types that have no list of their own.
    static func declared(_ file: String, _ pattern: Regex<(Substring, Substring)>) throws -> [String] {
        let text = try String(contentsOfFile: Repository.root + "/Sources/" + file, encoding: .utf8)
        return text.matches(of: pattern).map { String($0.1) }
    }

    @Test("docs/error-codes.md lists every module's codes, and no others")
    func documentedCodes() throws {
        let pinStates = try Self.declared("GatehouseHost/Trust/ToolPin.swift", /\n    case (\w+)\n/)
        let expected: [String: [String]] = [
            "TrustCore: `ReasonCode` (SPEC §2.3)": ReasonCode.all.map(\.rawValue),
            "GatehouseHost: tool pin states, `PinState` (SPEC §2.7)": pinStates,
            "GatehouseHost: `HostError.Code` (SPEC §7)": HostError.Code.hostCodes.map(\.rawValue),
            "MCPClient: `MCPClientError.Code` (SPEC §7)":
                try Self.declared("MCPClient/MCPClientError.swift", /Code\(rawValue: "([^"]+)"\)/),
            "OAuth: `OAuthError.Code` (SPEC §9)": try Self.declared("OAuth/OAuthError.swift", /Code\("([^"]+)"\)/),
            "GatehouseCLI: `CLIError.Code` (SPEC §3, §4)": CLIError.Code.cliCodes.map(\.rawValue),
            "StrictJSON: `JSONParseError.Kind`": try Self.declared("StrictJSON/JSONParseError.swift", /case \w+ = "([^"]+)"/),
            "CurlHTTP: `HTTPError.Kind`": try Self.declared("CurlHTTP/HTTPTypes.swift", /case \w+ = "(http\.[^"]+)"/),
        ]
        let documented = try Self.documented()
        #expect(Set(documented.keys) == Set(expected.keys))
        for (section, codes) in expected {
            #expect(!codes.isEmpty, "\(section): no codes found in the sources")
            #expect(Set(documented[section] ?? []) == Set(codes), "\(section)")
            #expect((documented[section] ?? []).count == codes.count, "\(section): a code is listed twice")
        }
        #expect(pinStates.compactMap(PinState.init(rawValue:)).count == pinStates.count, "\(pinStates) are PinState's cases")
    }
}
