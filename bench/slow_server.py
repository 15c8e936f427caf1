#!/usr/bin/env python3
"""A minimal legacy stdio MCP server that takes DELAY seconds (default 0.5) to answer each handshake
request (the server/discover probe, then initialize) and answers everything else at once. Low CPU: for
measuring concurrency, not Python start-up."""
import json
import sys
import time

delay = float(sys.argv[1]) if len(sys.argv) > 1 else 0.5
for line in sys.stdin:
    message = json.loads(line)
    message_id, method = message.get("id"), message.get("method")
    if message_id is None:
        continue
    if method == "server/discover":
        time.sleep(delay)
        reply = {"jsonrpc": "2.0", "id": message_id, "error": {"code": -32601, "message": "method not found"}}
    elif method == "initialize":
        time.sleep(delay)
        reply = {"jsonrpc": "2.0", "id": message_id, "result": {"protocolVersion": "2025-11-25", "capabilities": {"tools": {}},
                                                                 "serverInfo": {"name": "slow", "version": "0"}}}
    elif method == "tools/list":
        reply = {"jsonrpc": "2.0", "id": message_id, "result": {"tools": [{"name": "noop", "inputSchema": {"type": "object"}}]}}
    else:
        reply = {"jsonrpc": "2.0", "id": message_id, "result": {}}
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
