/// Configuration files of the six hosts `wrap` knows, written from each host's documented format: a stdio
/// and a remote server each, keys Gatehouse does not use, Claude Code's per-project servers, VS Code's
/// `inputs` and comments, trailing commas where the host accepts them.
enum WrapFixtures {
    /// The file (relative to the fake home) and its text, per host.
    static let files: [String: (path: String, text: String)] = [
        "claude-desktop": (".config/Claude/claude_desktop_config.json", """
            {
              "globalShortcut": "Ctrl+Space",
              "mcpServers": {
                "filesystem": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/home/ada/notes"]},
                "time": {"command": "uvx", "args": ["mcp-server-time"], "env": {"TZ": "Europe/Oslo"}}
              }
            }
            """),
        "claude-code": (".claude.json", """
            {
              "numStartups": 12,
              "mcpServers": {"time": {"type": "stdio", "command": "uvx", "args": ["mcp-server-time"], "env": {}}},
              "projects": {
                "/home/ada/app": {
                  "allowedTools": [],
                  "mcpServers": {"db": {"type": "stdio", "command": "db-mcp", "args": ["--read-only"], "env": {"DB": "${DB_URL}"}}}
                },
                "/home/ada/site": {"mcpServers": {"docs": {"type": "http", "url": "https://docs.example.com/mcp"}}}
              }
            }
            """),
        "cursor": (".cursor/mcp.json", """
            {
              "mcpServers": {
                "time": {"command": "uvx", "args": ["mcp-server-time"]},
                "linear": {"url": "https://mcp.linear.example/sse", "headers": {"Authorization": "Bearer ${env:LINEAR_TOKEN}"}},
              }
            }
            """),
        "vscode": (".config/Code/User/mcp.json", """
            {
              // Inputs are prompted once and stored by VS Code.
              "inputs": [{"type": "promptString", "id": "github-token", "description": "GitHub token", "password": true}],
              "servers": {
                /* a local server */
                "local": {"type": "stdio", "command": "python3", "args": ["server.py"], "envFile": "${workspaceFolder}/.env"},
                "github": {"type": "http", "url": "https://api.githubcopilot.example/mcp/", "headers": {"Authorization": "Bearer ${input:github-token}"}},
              },
            }
            """),
        "windsurf": (".codeium/windsurf/mcp_config.json", """
            {"mcpServers": {"memory": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"], "disabled": false}}}
            """),
        "gemini": (".gemini/settings.json", """
            {
              "theme": "GitHub",
              "mcpServers": {
                "time": {"command": "uvx", "args": ["mcp-server-time"], "timeout": 30000, "trust": false},
                "remote": {"httpUrl": "https://remote.example.com/mcp"}
              }
            }
            """),
    ]
}
