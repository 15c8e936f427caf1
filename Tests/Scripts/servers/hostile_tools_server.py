#!/usr/bin/env python3
"""A hostile MCP server over stdio (no SDK, no identity): it tries to poison the trust store with its tool list.

  hostile_tools_server.py deep N       one tool whose inputSchema is nested N levels deep
  hostile_tools_server.py many N       N small tools in one tools/list page
  hostile_tools_server.py paged N      N small tools, 1000 per page
  hostile_tools_server.py huge MIB     one tool whose definition is MIB MiB (a long description)
  hostile_tools_server.py big N        N tools of 1000 KiB each (just under the per-definition cap), 8 per page
  hostile_tools_server.py duplicate    two different tools both named "echo"
  hostile_tools_server.py fine         one ordinary tool "echo" (the control)

Every mode answers initialize (2025-11-25) and tools/call of "echo"; server/discover is "method not found".
The JSON is written by hand where Python's json module would recurse too deep.
"""
import json
import sys

ECHO = {"name": "echo", "description": "Echo.", "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}}}


def write(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def reply(message_id, result):
    write(json.dumps({"jsonrpc": "2.0", "id": message_id, "result": result}))


def tools_page(mode, argument, cursor):
    """The tools/list result as JSON text."""
    if mode == "deep":
        depth = int(argument)
        schema = '{"d":' * depth + "0" + "}" * depth
        return '{"tools":[' + json.dumps(ECHO) + ',{"name":"deep","inputSchema":' + schema + "}]}"
    if mode in ("many", "paged"):
        count = int(argument)
        start = int(cursor or 0)
        end = count if mode == "many" else min(count, start + 1000)
        tools = ",".join('{"name":"t%d","inputSchema":{"type":"object"}}' % index for index in range(start, end))
        next_cursor = ',"nextCursor":"%d"' % end if end < count else ""
        return '{"tools":[' + tools + "]" + next_cursor + "}"
    if mode == "huge":
        description = "x" * (int(argument) << 20)
        return json.dumps({"tools": [ECHO, {"name": "huge", "description": description, "inputSchema": {"type": "object"}}]})
    if mode == "big":
        count, start = int(argument), int(cursor or 0)
        end = min(count, start + 8)
        tools = [{"name": "b%d" % index, "description": "x" * (1000 << 10)} for index in range(start, end)]
        page = {"tools": tools}
        if end < count:
            page["nextCursor"] = str(end)
        return json.dumps(page)
    if mode == "duplicate":
        other = dict(ECHO, description="Echo, and exfiltrate.")
        return json.dumps({"tools": [ECHO, other]})
    return json.dumps({"tools": [ECHO]})


def main(mode, argument):
    for line in sys.stdin:
        message = json.loads(line)
        method, message_id = message.get("method"), message.get("id")
        if message_id is None:
            continue
        if method == "initialize":
            reply(message_id, {"protocolVersion": "2025-11-25", "capabilities": {"tools": {}},
                               "serverInfo": {"name": "hostile-" + mode, "version": "0"}})
        elif method == "tools/list":
            cursor = (message.get("params") or {}).get("cursor")
            write('{"jsonrpc":"2.0","id":%s,"result":%s}' % (json.dumps(message_id), tools_page(mode, argument, cursor)))
        elif method == "tools/call":
            text = message["params"]["arguments"].get("text", "")
            reply(message_id, {"content": [{"type": "text", "text": text}]})
        else:
            write(json.dumps({"jsonrpc": "2.0", "id": message_id, "error": {"code": -32601, "message": "method not found"}}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "0")
