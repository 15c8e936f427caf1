#!/usr/bin/env python3
"""Runs a real stdio MCP server and adds an x-ai-identity block to its handshake result.

  identity_wrapper.py LOCATION BLOCK_FILE -- COMMAND [ARGS...]

LOCATION is one of result._meta, result.metadata, capabilities.metadata, capabilities.experimental,
serverInfo.metadata (SPEC §2.1), or none. BLOCK_FILE holds the JSON block. Every other line passes through
unchanged, in both directions, over real pipes. With GATEHOUSE_REQUEST_LOG set, the method of every
message the client sends (or "response" for its answers) is appended to that file, one per line: the
server's own log of what reached it.
"""
import json
import os
import subprocess
import sys
import threading


def inject(result, location, block):
    if location == "result._meta":
        result.setdefault("_meta", {})["x-ai-identity"] = block
    elif location == "result.metadata":
        result.setdefault("metadata", {})["x-ai-identity"] = block
    elif location == "capabilities.metadata":
        result.setdefault("capabilities", {}).setdefault("metadata", {})["x-ai-identity"] = block
    elif location == "capabilities.experimental":
        result.setdefault("capabilities", {}).setdefault("experimental", {})["x-ai-identity"] = block
    elif location == "serverInfo.metadata":
        info = result.get("serverInfo") or result.setdefault("_meta", {}).setdefault("io.modelcontextprotocol/serverInfo", {})
        info.setdefault("metadata", {})["x-ai-identity"] = block


def main():
    location, block_file = sys.argv[1], sys.argv[2]
    command = sys.argv[sys.argv.index("--") + 1:]
    with open(block_file) as handle:
        block = json.load(handle)
    child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    request_log = os.environ.get("GATEHOUSE_REQUEST_LOG")

    def pump_in():
        for line in sys.stdin.buffer:
            if request_log:
                try:
                    message = json.loads(line)
                    method = message.get("method", "response") if isinstance(message, dict) else "batch"
                except ValueError:
                    method = "unparsable"
                with open(request_log, "a") as handle:
                    handle.write(f"{method}\n")
            child.stdin.write(line)
            child.stdin.flush()
        child.stdin.close()

    threading.Thread(target=pump_in, daemon=True).start()
    for line in child.stdout:
        try:
            message = json.loads(line)
            result = message.get("result") if isinstance(message, dict) else None
            if isinstance(result, dict) and ("serverInfo" in result or "supportedVersions" in result) and location != "none":
                inject(result, location, block)
                line = (json.dumps(message) + "\n").encode()
        except ValueError:
            pass
        sys.stdout.buffer.write(line)
        sys.stdout.buffer.flush()
    sys.exit(child.wait())


if __name__ == "__main__":
    main()
