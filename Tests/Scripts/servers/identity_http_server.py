#!/usr/bin/env python3
"""A Streamable HTTP MCP server (official SDK, mcp 2.3) presenting identity through the HTTP carriers.

  identity_http_server.py PORT
Environment: GATEHOUSE_META_BLOCK (JSON block added to the handshake result's _meta),
GATEHOUSE_HEADER_TOKEN (sent as the X-AI-Identity response header), GATEHOUSE_WELL_KNOWN (JSON served at
/.well-known/ai-identity.json).
"""
import json
import os
import sys

import uvicorn
from mcp.server.mcpserver import MCPServer

META_BLOCK = json.loads(os.environ["GATEHOUSE_META_BLOCK"]) if os.environ.get("GATEHOUSE_META_BLOCK") else None
HEADER_TOKEN = os.environ.get("GATEHOUSE_HEADER_TOKEN")
WELL_KNOWN = os.environ.get("GATEHOUSE_WELL_KNOWN")


async def present_identity(ctx, call_next):
    result = await call_next(ctx)
    if META_BLOCK and ctx.method in ("initialize", "server/discover") and isinstance(result, dict):
        result.setdefault("_meta", {})["x-ai-identity"] = META_BLOCK
    return result


server = MCPServer("identity-http-server", middleware=[present_identity])


@server.tool()
def echo(text: str) -> str:
    """Return the text."""
    return text


inner = server.streamable_http_app(json_response=False)


async def app(scope, receive, send):
    if scope["type"] == "http" and scope["path"] == "/.well-known/ai-identity.json":
        body = (WELL_KNOWN or "").encode()
        status = 200 if WELL_KNOWN else 404
        await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})
        return

    async def send_with_header(message):
        if message["type"] == "http.response.start" and HEADER_TOKEN:
            message = dict(message)
            message["headers"] = list(message.get("headers", [])) + [(b"x-ai-identity", HEADER_TOKEN.encode())]
        await send(message)

    await inner(scope, receive, send_with_header if scope["type"] == "http" else send)


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
