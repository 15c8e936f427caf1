"""What the loopback authorization-server peers (sdk_as.py, authlib_as.py, fastmcp_as.py) share: the listening
socket, the JSON Lines log (never a secret: `sha` gives the 12-hex-digit SHA-256 prefix that stands in for one),
and serving with uvicorn until SIGTERM or the end of a piped stdin, announcing `READY <port>` once listening."""
import asyncio
import hashlib
import json
import os
import socket
import stat
import threading
import time


def loopback_socket(port):
    """A listening TCP socket on 127.0.0.1:`port` (0: the OS picks) and the port it got."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(128)
    return sock, sock.getsockname()[1]


def sha(value):
    """The first 12 hex digits of the SHA-256 of `value`: how a token, code or secret appears in a log."""
    return hashlib.sha256(value.encode()).hexdigest()[:12]


class JsonLog:
    """Appends one JSON object per call (with `t` and `server`) to `path`; nothing when `path` is None."""

    def __init__(self, path, server):
        self.path, self.server, self.lock = path, server, threading.Lock()

    def __call__(self, **entry):
        if not self.path:
            return
        line = json.dumps({"t": round(time.time(), 3), "server": self.server, **entry}, sort_keys=True)
        with self.lock, open(self.path, "a") as f:
            f.write(line + "\n")


def watch_stdin(uv):
    """Stops `uv` when stdin, if it is a pipe or a socket, closes (a terminal or /dev/null is not watched)."""
    try:
        mode = os.fstat(0).st_mode
    except OSError:
        return
    if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
        return

    def run():
        try:
            while os.read(0, 4096):
                pass
        except OSError:
            pass
        uv.should_exit = True

    threading.Thread(target=run, daemon=True).start()


async def serve(uv, sock, port):
    """Serves `uv` on `sock`, printing `READY <port>` (flushed) once it has started."""
    watch_stdin(uv)

    async def ready():
        while not uv.started:
            await asyncio.sleep(0.02)
        print(f"READY {port}", flush=True)

    asyncio.get_running_loop().create_task(ready())
    await uv.serve(sockets=[sock])
