#!/usr/bin/env python3
"""TCP listeners on 127.0.0.1 that fail an HTTP client in one way each (no MCP at all).

  socket_faults.py PORTS_FILE

Binds, each on a port the kernel picks (so no other test can be handed the same one):
  close         accepts and closes the connection at once, before reading anything
  silent        accepts, reads, and never answers (the connection stays open)
  notFound      answers every request with HTTP 404
  serverError   answers every request with HTTP 500
  refused       bound on 127.0.0.1 and never listening: connections are refused
  refusedIPv6   the same on ::1
and then writes {"close": PORT, …} to PORTS_FILE, when every listener is ready.
"""
import json
import os
import socket
import sys
import threading


def listener():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(128)
    return server


def bound_only(family, host):
    """A socket that holds a port without listening: the port is taken, and connecting is refused."""
    holder = socket.socket(family, socket.SOCK_STREAM)
    holder.bind((host, 0))
    return holder


def close_at_once(connection):
    connection.close()


def silent(connection):
    try:
        while connection.recv(65536):
            pass
    except OSError:
        pass


def status(code, reason):
    def answer(connection):
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                chunk = connection.recv(65536)
                if not chunk:
                    return
                data += chunk
            body = f'{{"error": "{reason}"}}'.encode()
            head = f"HTTP/1.1 {code} {reason}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            connection.sendall(head.encode() + body)
        finally:
            connection.close()
    return answer


def serve(server, handle):
    while True:
        connection, _ = server.accept()
        threading.Thread(target=handle, args=(connection,), daemon=True).start()


def main():
    handlers = {"silent": silent, "notFound": status(404, "Not Found"),
                "serverError": status(500, "Internal Server Error"), "close": close_at_once}
    ports, keep = {}, []
    for name, handle in handlers.items():
        server = listener()
        ports[name] = server.getsockname()[1]
        threading.Thread(target=serve, args=(server, handle), daemon=True).start()
    for name, family, host in (("refused", socket.AF_INET, "127.0.0.1"), ("refusedIPv6", socket.AF_INET6, "::1")):
        holder = bound_only(family, host)
        keep.append(holder)
        ports[name] = holder.getsockname()[1]
    with open(sys.argv[1] + ".tmp", "w") as handle:
        json.dump(ports, handle)
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    threading.Event().wait()


if __name__ == "__main__":
    main()
