#!/usr/bin/env python3
"""The official Python SDK's stdio server with one tool, echo: the server side of the round-trip benchmark
(bench/run.sh). Runs under mcp 2.3.x (MCPServer) or 1.x (FastMCP)."""
try:
    from mcp.server.mcpserver import MCPServer as Server
except ImportError:  # mcp 1.x
    from mcp.server.fastmcp import FastMCP as Server

server = Server("bench-echo")


@server.tool()
def echo(text: str) -> str:
    """Return the text."""
    return text


if __name__ == "__main__":
    server.run("stdio")
