#!/usr/bin/env python3
"""Small misbehaving MCP servers (no SDK: they break the protocol on purpose).

  misbehaving_server.py silent          reads stdin, never answers
  misbehaving_server.py exit-mid-call   answers initialize and tools/list, exits on tools/call
  misbehaving_server.py noisy           a legacy server that prints non-JSON lines between valid ones
  misbehaving_server.py flood           answers initialize, then writes 20 MiB without a newline
  misbehaving_server.py storm           on each call, 3 000 notifications/tools/list_changed before the answer;
                                        a call with text "count" answers how many tools/list requests came
  misbehaving_server.py deep            answers tools/call with a result nested 1 000 deep (and its id first)
  misbehaving_server.py http500 PORT    HTTP server answering every POST with 500
  misbehaving_server.py httpgarbage PORT  HTTP server answering every POST 200 with non-JSON text
"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOOL = {"name": "echo", "description": "Echo.", "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}}}


def reply(message_id, result):
    sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": message_id, "result": result}) + "\n")
    sys.stdout.flush()


def error(message_id, code, text):
    sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": message_id, "error": {"code": code, "message": text}}) + "\n")
    sys.stdout.flush()


def stdio(mode):
    listings = 0
    for line in sys.stdin:
        message = json.loads(line)
        method, message_id = message.get("method"), message.get("id")
        if mode == "silent" or message_id is None:
            continue
        if method == "server/discover":
            error(message_id, -32601, "method not found")
        elif method == "initialize":
            reply(message_id, {"protocolVersion": "2025-11-25", "capabilities": {"tools": {}},
                               "serverInfo": {"name": f"misbehaving-{mode}", "version": "0"}})
            if mode == "flood":
                chunk = b"x" * (1 << 20)
                for _ in range(20):
                    sys.stdout.buffer.write(chunk)
                sys.stdout.buffer.flush()
                time.sleep(30)
        elif method == "tools/list":
            listings += 1
            if mode == "noisy":
                print("starting up... not JSON")
                print("{\"jsonrpc\": \"2.0\", \"method\": 7}")
                print("[1, 2, 3")
                print(json.dumps({"jsonrpc": "2.0", "id": 999999, "result": {}}), flush=True)
            reply(message_id, {"tools": [TOOL]})
        elif method == "tools/call":
            if mode == "exit-mid-call":
                sys.exit(3)
            if mode == "noisy":
                sys.stdout.buffer.write(b"\xff\xfe binary noise\n")
                sys.stdout.flush()
            if mode == "storm":
                if message["params"]["arguments"].get("text") == "count":
                    reply(message_id, {"content": [{"type": "text", "text": str(listings)}]})
                    continue
                changed = json.dumps({"jsonrpc": "2.0", "method": "notifications/tools/list_changed"}) + "\n"
                sys.stdout.write(changed * 3000)
                sys.stdout.flush()
            if mode == "deep":
                nested = "[" * 1000 + "]" * 1000
                sys.stdout.write('{"jsonrpc": "2.0", "id": %s, "result": {"content": %s}}\n' % (json.dumps(message_id), nested))
                sys.stdout.flush()
                continue
            text = message["params"]["arguments"].get("text", "")
            reply(message_id, {"content": [{"type": "text", "text": text}]})


def http(mode, port):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_):
            pass

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            body = b"<html>internal error</html>" if mode == "http500" else b"this is not json {"
            self.send_response(500 if mode == "http500" else 200)
            self.send_header("Content-Type", "text/html" if mode == "http500" else "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    if sys.argv[1].startswith("http"):
        http(sys.argv[1], int(sys.argv[2]))
    else:
        stdio(sys.argv[1])
