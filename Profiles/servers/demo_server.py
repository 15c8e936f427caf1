#!/usr/bin/env python3
"""Demo MCP servers for Profiles/demo.json (DEMO ONLY), built with the official Python SDK (mcp 2.3).

  demo_server.py KIND [--passport FILE --id ID --registry URL] [--http PORT]

KIND is weather, notes or tools. With --passport the server presents an AI Identity block
{"id", "passport", "registry"} in its handshake result's _meta (a server middleware adds it to the
initialize and server/discover results). With --http it serves Streamable HTTP on 127.0.0.1:PORT/mcp.
"""
import argparse
import random

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

parser = argparse.ArgumentParser()
parser.add_argument("kind", choices=["weather", "notes", "tools"])
parser.add_argument("--passport")
parser.add_argument("--id")
parser.add_argument("--registry")
parser.add_argument("--http", type=int)
args = parser.parse_args()

block = None
if args.passport:
    with open(args.passport) as handle:
        block = {"id": args.id, "passport": handle.read().strip(), "registry": args.registry}


async def present_identity(ctx, call_next):
    result = await call_next(ctx)
    if block and ctx.method in ("initialize", "server/discover") and isinstance(result, dict):
        result.setdefault("_meta", {})["x-ai-identity"] = block
    return result


server = MCPServer(f"demo-{args.kind}", version="0.1.0", middleware=[present_identity])

if args.kind == "weather":
    @server.tool()
    def get_forecast(city: str, days: int = 1) -> str:
        """Forecast for a city (demo data)."""
        random.seed(f"{city}{days}")
        return "\n".join(f"day {day + 1}: {random.randint(-5, 28)} °C" for day in range(max(1, min(days, 7))))

    @server.tool()
    def get_alerts(region: str) -> str:
        """Weather alerts for a region (demo data; the region "nowhere" is an error)."""
        if region.lower() == "nowhere":
            raise ToolError("unknown region: nowhere")
        return f"no alerts for {region}"
elif args.kind == "notes":
    NOTES: dict[str, str] = {}

    @server.tool()
    def add_note(title: str, text: str) -> str:
        """Store a note."""
        NOTES[title] = text
        return f"stored {title}"

    @server.tool()
    def read_note(title: str) -> str:
        """Read a note."""
        return NOTES.get(title, "no such note")
else:
    @server.tool()
    def word_count(text: str) -> int:
        """Count the words of a text."""
        return len(text.split())

    @server.tool()
    def slow_task(seconds: float = 5.0) -> str:
        """Take a while (try Ctrl-C)."""
        import time
        time.sleep(seconds)
        return "done"

if args.http:
    server.run("streamable-http", host="127.0.0.1", port=args.http)
else:
    server.run("stdio")
