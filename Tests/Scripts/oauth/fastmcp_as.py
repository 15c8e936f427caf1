#!/usr/bin/env python3
"""FastMCP 4.x's own in-memory test OAuth provider (fastmcp.server.auth.providers.in_memory.
InMemoryOAuthProvider: DCR, code + PKCE S256, refresh) in front of a FastMCP server (Streamable HTTP
at /mcp, tools echo and whoami). Its /authorize approves at once (no consent page: browser.py just
follows the redirect). Needs fastmcp==4.2.3 (Tests/Scripts/requirements-fastmcp.txt; it installs
beside mcp 2.3.0 without changing it).

  fastmcp_as.py --port P [--token-ttl S] [--log FILE]
"""
import argparse
import asyncio

import uvicorn
from fastmcp import FastMCP
from fastmcp.server.auth.providers import in_memory
from fastmcp.server.auth.providers.in_memory import InMemoryOAuthProvider
from fastmcp.server.dependencies import get_access_token
from mcp.server.auth.settings import ClientRegistrationOptions, RevocationOptions

from peer import JsonLog, loopback_socket, serve

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, default=0)
ap.add_argument("--token-ttl", type=int, default=3600)
ap.add_argument("--log", default=None)
args = ap.parse_args()
in_memory.DEFAULT_ACCESS_TOKEN_EXPIRY_SECONDS = args.token_ttl

sock, PORT = loopback_socket(args.port)
log = JsonLog(args.log, "fastmcp_as")
BASE = f"http://127.0.0.1:{PORT}"

provider = InMemoryOAuthProvider(base_url=BASE, client_registration_options=ClientRegistrationOptions(enabled=True, valid_scopes=["mcp"], default_scopes=["mcp"]),
                                 revocation_options=RevocationOptions(enabled=True), required_scopes=["mcp"])
mcp = FastMCP("gatehouse-oauth-fastmcp", auth=provider)


@mcp.tool
def echo(text: str) -> str:
    """Return the text."""
    return text


@mcp.tool
def whoami() -> dict:
    """The scopes and client of the bearer token."""
    t = get_access_token()
    return {"client_id": t.client_id if t else None, "scopes": t.scopes if t else []}


app = mcp.http_app(path="/mcp")


class Log:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            log(method=scope["method"], path=scope["path"],
                authorization=any(k.lower() == b"authorization" for k, _ in scope["headers"]))
        await self.app(scope, receive, send)


async def main():
    await serve(uvicorn.Server(uvicorn.Config(Log(app), log_level="warning")), sock, PORT)


if __name__ == "__main__":
    asyncio.run(main())
