#!/usr/bin/env python3
"""A small MCP server for the fault-injection soak (legacy era, 2025-11-25), which the soak can make
misbehave from outside:

  soak_server.py stdio NAME STATE_DIR         over stdin/stdout
  soak_server.py http NAME STATE_DIR PORT     Streamable HTTP (JSON responses) on 127.0.0.1:PORT/mcp

It writes its pid to STATE_DIR/NAME.pid and presents the x-ai-identity block in STATE_DIR/NAME.block.json.
Tool `echo` returns its `text` (the soak checks every answer against its request). SIGUSR1 makes the next
output garbage: a line that is not JSON, invalid UTF-8, a response to an id nobody asked, a stray
notification (stdio), or a body that is not JSON (HTTP, one request); SIGUSR2 disarms it. SIGSTOP/SIGCONT
and SIGKILL are the soak's other tools.
"""
import json
import os
import signal
import sys
import threading

mode, name, state = sys.argv[1], sys.argv[2], sys.argv[3]
with open(os.path.join(state, f"{name}.block.json")) as handle:
    BLOCK = json.load(handle)
with open(os.path.join(state, f"{name}.pid"), "w") as handle:
    handle.write(str(os.getpid()))
TOOLS = {"tools": [{"name": "echo", "description": "Return the text.",
                    "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}}]}
GARBAGE = [b"this is not JSON\n", b"\xff\xfe\xfd not UTF-8\n", b'{"jsonrpc":"2.0","id":987654321,"result":{}}\n',
           b'{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"noise"}}\n',
           b'{"jsonrpc":"1.0","id":1}\n', b"[1,2,\n"]
garbage_pending = threading.Event()
counter = [0]


def on_usr1(signum, frame):
    garbage_pending.set()


signal.signal(signal.SIGUSR1, on_usr1)
# SIGUSR2 disarms a garbage fault not yet spent (the soak sends it when the chaos ends).
signal.signal(signal.SIGUSR2, lambda signum, frame: garbage_pending.clear())


def answer(message):
    """The response to one request (None for a notification)."""
    if not isinstance(message, dict) or "id" not in message:
        return None
    method, reply = message.get("method"), {"jsonrpc": "2.0", "id": message["id"]}
    if method == "initialize":
        reply["result"] = {"protocolVersion": "2025-11-25", "capabilities": {"tools": {}},
                           "serverInfo": {"name": f"soak-{name}", "version": "1"}, "_meta": {"x-ai-identity": BLOCK}}
    elif method == "tools/list":
        reply["result"] = TOOLS
    elif method == "tools/call":
        text = ((message.get("params") or {}).get("arguments") or {}).get("text", "")
        reply["result"] = {"content": [{"type": "text", "text": text}], "isError": False}
    elif method == "ping":
        reply["result"] = {}
    else:
        reply["error"] = {"code": -32601, "message": "method not found"}
    return reply


def serve_stdio():
    out = sys.stdout.buffer
    for line in sys.stdin.buffer:
        if garbage_pending.is_set():
            garbage_pending.clear()
            counter[0] += 1
            out.write(GARBAGE[counter[0] % len(GARBAGE)])
        try:
            reply = answer(json.loads(line))
        except ValueError:
            continue
        if reply is not None:
            out.write((json.dumps(reply) + "\n").encode())
            out.flush()


def serve_http(port):
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def send(self, status, body=b"", content_type="application/json"):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            self.send(404 if self.path.startswith("/.well-known/") else 405)

        def do_DELETE(self):
            self.send(405)

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if garbage_pending.is_set():
                garbage_pending.clear()
                return self.send(200, b"\xff not JSON at all")
            try:
                reply = answer(json.loads(body))
            except ValueError:
                return self.send(400, b'{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}}')
            if reply is None:
                return self.send(202)
            self.send(200, json.dumps(reply).encode())

    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer.allow_reuse_address = True
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if mode == "stdio":
    serve_stdio()
else:
    serve_http(int(sys.argv[4]))
