#!/usr/bin/env python3
"""TCP listeners on 127.0.0.1 that fail an HTTP client in one way each (no MCP at all).

  socket_faults.py CLOSE SILENT NOT_FOUND SERVER_ERROR

  CLOSE         accepts and closes the connection at once, before reading anything
  SILENT        accepts, reads, and never answers (the connection stays open)
  NOT_FOUND     answers every request with HTTP 404
  SERVER_ERROR  answers every request with HTTP 500

CLOSE is bound last, so once it accepts connections every listener is ready.
"""
import socket
import sys
import threading


def listener(port):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(128)
    return server


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
    close_port, silent_port, not_found_port, error_port = (int(value) for value in sys.argv[1:5])
    handlers = [(silent_port, silent), (not_found_port, status(404, "Not Found")),
                (error_port, status(500, "Internal Server Error")), (close_port, close_at_once)]
    threads = [threading.Thread(target=serve, args=(listener(port), handle), daemon=True) for port, handle in handlers]
    for thread in threads:
        thread.start()
    threads[-1].join()


if __name__ == "__main__":
    main()
