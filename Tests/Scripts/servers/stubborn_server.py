#!/usr/bin/env python3
"""Stdio servers that are hard to stop (no SDK: they misbehave on purpose), for the lifecycle tests.

  stubborn_server.py stubborn       ignores SIGTERM, SIGHUP, SIGINT and EOF on stdin; never answers
  stubborn_server.py stubborn-fork  the same, and forks a grandchild (just as stubborn) into its group
  stubborn_server.py never-reads    answers the handshake and tools/list, then never reads stdin again
                                    (and ignores SIGTERM), so a large request fills the pipe
  stubborn_server.py clingy         answers like a server, forks a grandchild into its group, and ignores
                                    SIGTERM, SIGHUP, SIGINT and EOF (it sleeps on after its stdin closes)
  stubborn_server.py polite         a well-behaved server: answers, exits on EOF or SIGTERM

Every mode ignores SIGPIPE's default so that writing to a closed stdout does not end it early.
"""
import json
import os
import signal
import sys
import time

TOOL = {"name": "echo", "description": "Echo.", "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}}}


def ignore_stop_signals():
    for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGPIPE):
        signal.signal(number, signal.SIG_IGN)


def sleep_forever():
    while True:
        time.sleep(3600)


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def answer(message):
    """Answers one request like a small server of the legacy era; returns the method."""
    method, message_id = message.get("method"), message.get("id")
    if message_id is None:
        return method
    if method == "server/discover":
        send({"jsonrpc": "2.0", "id": message_id, "error": {"code": -32601, "message": "method not found"}})
    elif method == "initialize":
        send({"jsonrpc": "2.0", "id": message_id, "result": {
            "protocolVersion": "2025-11-25", "capabilities": {"tools": {}},
            "serverInfo": {"name": "stubborn", "version": "0"}}})
    elif method == "tools/list":
        send({"jsonrpc": "2.0", "id": message_id, "result": {"tools": [TOOL]}})
    elif method == "tools/call":
        text = message.get("params", {}).get("arguments", {}).get("text", "")
        send({"jsonrpc": "2.0", "id": message_id, "result": {"content": [{"type": "text", "text": text[:64]}]}})
    else:
        send({"jsonrpc": "2.0", "id": message_id, "result": {}})
    return method


def main(mode):
    if mode in ("stubborn", "stubborn-fork"):
        ignore_stop_signals()
        if mode == "stubborn-fork" and os.fork() == 0:
            sleep_forever()
        # Read stdin to its end and ignore what comes; then carry on as if nothing happened.
        for _ in sys.stdin:
            pass
        sleep_forever()
    elif mode == "never-reads":
        ignore_stop_signals()
        while True:
            line = sys.stdin.readline()
            if not line:
                break
            if answer(json.loads(line)) == "tools/list":
                break
        sleep_forever()
    elif mode == "clingy":
        ignore_stop_signals()
        if os.fork() == 0:
            sleep_forever()
        for line in sys.stdin:
            answer(json.loads(line))
        sleep_forever()
    elif mode == "polite":
        for line in sys.stdin:
            answer(json.loads(line))
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv[1])
