#!/usr/bin/env python3
"""A real MCP server (the official Python SDK, mcp 2.3) that requires an OAuth bearer token, as most
remote servers do: every request without a valid token gets 401 with `WWW-Authenticate: Bearer
resource_metadata=…` (RFC 9728), and its protected resource metadata names an authorization server.

  auth_server.py PORT [TOKEN]     Streamable HTTP on 127.0.0.1:PORT/mcp; TOKEN (if given) is the one valid token
"""
import sys

from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings
from mcp.server.mcpserver import MCPServer

port = int(sys.argv[1])
valid = sys.argv[2] if len(sys.argv) > 2 else None


class Verifier:
    async def verify_token(self, token: str) -> AccessToken | None:
        if valid is None or token != valid:
            return None
        return AccessToken(token=token, client_id="gatehouse-test", scopes=["mcp"], resource=f"http://127.0.0.1:{port}/mcp")


server = MCPServer(
    "gatehouse-auth-test-server",
    token_verifier=Verifier(),
    auth=AuthSettings(issuer_url="http://127.0.0.1:9/", resource_server_url=f"http://127.0.0.1:{port}/mcp", required_scopes=["mcp"]),
)


@server.tool()
def echo(text: str) -> str:
    """Return the text."""
    return text


server.run("streamable-http", host="127.0.0.1", port=port)
