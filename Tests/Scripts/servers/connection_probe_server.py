"""An HTTP/1.1 server for the tests of CurlHTTP's one multi handle: it answers every GET and POST with the
client port of the connection it came on (so a test can tell a reused connection from a new one), after
`?ms=N` milliseconds; `/hang` never answers. Reports its port as {"http": N} in the file given as its
last argument (ServerProcess.startReportingPorts)."""

import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/hang":
            time.sleep(120)
            return
        delay = int(parse_qs(url.query).get("ms", ["0"])[0])
        time.sleep(delay / 1000)
        body = json.dumps({"port": self.client_address[1]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.do_GET()

    def log_message(self, *args):
        pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(sys.argv[-1] + ".tmp", "w") as file:
        json.dump({"http": server.server_address[1]}, file)
    os.replace(sys.argv[-1] + ".tmp", sys.argv[-1])
    server.serve_forever()


if __name__ == "__main__":
    main()
