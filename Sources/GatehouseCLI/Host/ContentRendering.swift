import ArgumentParser
import Foundation
import GatehouseHost
import MCPClient
import StrictJSON
import TerminalText
import TrustCore

/// Tool results for people: text as is (sanitized, lines kept), other content types summarised,
/// structured content as JSON.
enum ContentRendering {
    static func text(_ result: JSONValue) -> TerminalText {
        var lines: [TerminalText] = []
        if result["isError"] == true { lines.append("(the tool reported an error)") }
        for block in result["content"]?.arrayValue ?? [] {
            switch block["type"]?.stringValue {
            case "text": lines.append(TerminalText(multiline: block["text"]?.stringValue ?? ""))
            case "image", "audio":
                let size = (block["data"]?.stringValue?.count ?? 0) * 3 / 4
                lines.append("[\(block["type"]?.stringValue ?? "") \(field: block["mimeType"]?.stringValue ?? "?", limit: 80), about \(size) bytes]")
            case "resource_link": lines.append("[link \(field: block["uri"]?.stringValue ?? "", limit: 300)]")
            case "resource":
                let resource = block["resource"]
                if let text = resource?["text"]?.stringValue {
                    lines.append(TerminalText(multiline: text))
                } else {
                    lines.append("[resource \(field: resource?["uri"]?.stringValue ?? "", limit: 300)]")
                }
            default: lines.append(TerminalText(JSONSerializer.string(block)))
            }
        }
        if let structured = result["structuredContent"], lines.isEmpty {
            lines.append(TerminalText(multiline: JSONSerializer.string(structured, style: .pretty)))
        }
        return lines.joined(separator: "\n")
    }
}
