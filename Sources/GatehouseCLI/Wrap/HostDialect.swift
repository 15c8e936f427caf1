import Foundation

/// The six hosts `wrap` knows (SPEC §8): where each keeps its MCP servers and how a stdio entry looks.
enum HostDialect: String, CaseIterable, Sendable {
    case claudeDesktop = "claude-desktop"
    case claudeCode = "claude-code"
    case cursor
    case vscode
    case windsurf
    case gemini

    /// The user-level configuration file on Linux (the locations `audit --discover` reads).
    func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? home + "/.config"
        switch self {
        case .claudeDesktop: return config + "/Claude/claude_desktop_config.json"
        case .claudeCode: return home + "/.claude.json"
        case .cursor: return home + "/.cursor/mcp.json"
        case .vscode: return config + "/Code/User/mcp.json"
        case .windsurf: return home + "/.codeium/windsurf/mcp_config.json"
        case .gemini: return home + "/.gemini/settings.json"
        }
    }

    /// The key of the server map: VS Code's `servers`, everyone else's `mcpServers` (Claude Code also
    /// has one per project, under `projects.PATH`).
    var serverKey: String { self == .vscode ? "servers" : "mcpServers" }

    /// Whether the file also holds per-project server maps.
    var hasProjects: Bool { self == .claudeCode }

    /// Whether a stdio entry names its type (VS Code's `"type": "stdio"`).
    var typesEntries: Bool { self == .vscode }
}
