#!/usr/bin/env python3
"""COUNT minimal Streamable HTTP MCP endpoints on one loopback port (legacy era, JSON responses), for the
connect-and-verify benchmark: POST 127.0.0.1:PORT/mcp/N. Endpoint N presents the x-ai-identity block in
BLOCKS_DIR/N.json in its initialize result; server/discover is "method not found", so clients fall back to
initialize. Not the SDK: the benchmark measures the host, so the servers must cost next to nothing.
  http_fleet.py PORT BLOCKS_DIR"""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, blocks_dir = int(sys.argv[1]), sys.argv[2]
blocks = {name[:-5]: json.load(open(os.path.join(blocks_dir, name))) for name in os.listdir(blocks_dir) if name.endswith(".json")}
TOOLS = {"tools": [{"name": "echo", "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}}}]}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=None):
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.reply(404 if self.path.startswith("/.well-known/") else 405)

    def do_DELETE(self):
        self.reply(405)

    def do_POST(self):
        endpoint = self.path.rsplit("/", 1)[-1]
        message = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
        if endpoint not in blocks or not isinstance(message, dict):
            return self.reply(404)
        if "id" not in message:
            return self.reply(202)
        method, reply = message.get("method"), {"jsonrpc": "2.0", "id": message["id"]}
        if method == "initialize":
            reply["result"] = {"protocolVersion": "2025-11-25", "capabilities": {"tools": {}},
                               "serverInfo": {"name": f"fleet-{endpoint}", "version": "1"},
                               "_meta": {"x-ai-identity": blocks[endpoint]}}
        elif method == "tools/list":
            reply["result"] = TOOLS
        elif method == "ping":
            reply["result"] = {}
        else:
            reply["error"] = {"code": -32601, "message": "method not found"}
        self.reply(200, reply)


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer.request_queue_size = 512
ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
