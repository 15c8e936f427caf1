#!/usr/bin/env python3
"""A real HTTP registry for tests, on 127.0.0.1.

Serves files from --root: GET /a/b returns ROOT/a/b. Each request re-reads the file and an optional
ROOT/a/b.meta.json, so a test changes what the registry serves by rewriting files. The meta file may hold:
  {"status": 200, "headers": {"Cache-Control": "max-age=600"}, "delay": 0.0, "trickle": 0.0}
"delay" waits before answering; "trickle" sends the body one byte per that many seconds (slow-loris).
POST /x answers with ROOT/x.POST (and ROOT/x.POST.meta.json). A missing file is 404. A file named
ROOT/_down makes every request fail by closing the connection.

Every request is appended to --log as "METHOD PATH" (flushed), and the chosen port is printed on stdout.
"""
import argparse
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_):
            pass

        def record(self):
            with open(args.log, "a") as log:
                log.write(f"{self.command} {self.path}\n")

        def answer(self, suffix=""):
            self.record()
            if os.path.exists(os.path.join(args.root, "_down")):
                self.close_connection = True
                self.connection.close()
                return
            path = os.path.normpath(os.path.join(args.root, self.path.lstrip("/").split("?")[0])) + suffix
            if not path.startswith(os.path.abspath(args.root)) or not os.path.isfile(path):
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            meta = {}
            if os.path.isfile(path + ".meta.json"):
                with open(path + ".meta.json") as handle:
                    meta = json.load(handle)
            with open(path, "rb") as handle:
                body = handle.read()
            time.sleep(meta.get("delay", 0))
            self.send_response(meta.get("status", 200))
            for name, value in meta.get("headers", {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            trickle = meta.get("trickle", 0)
            try:
                if trickle:
                    for index in range(len(body)):
                        self.wfile.write(body[index:index + 1])
                        self.wfile.flush()
                        time.sleep(trickle)
                else:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def do_GET(self):
            self.answer()

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            self.rfile.read(length)
            self.answer(".POST")

    args.root = os.path.abspath(args.root)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
