#!/usr/bin/env python3
"""The official Python SDK's client (ClientSession over stdio_client): starts COMMAND, initializes, and
sends COUNT sequential tools/call requests with PARAMS. Prints the JSON of bench/rawclient.c:
per-call latencies in µs, this process's own CPU per call (the server's is not counted), wall time.
  sdk_client.py COUNT PARAMS -- COMMAND [ARGS...]"""
import asyncio
import json
import resource
import sys
import time

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def main():
    count, params = int(sys.argv[1]), json.loads(sys.argv[2])
    command = sys.argv[sys.argv.index("--") + 1:]
    server = StdioServerParameters(command=command[0], args=command[1:])
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            latencies = []
            cpu_start, wall_start = cpu_seconds(), time.perf_counter()
            for _ in range(count):
                start = time.perf_counter()
                result = await session.call_tool(params["name"], params.get("arguments", {}))
                latencies.append((time.perf_counter() - start) * 1e6)
                if getattr(result, "is_error", None) or getattr(result, "isError", None):
                    sys.exit(f"the tool reported an error: {result}")
            wall, cpu = time.perf_counter() - wall_start, cpu_seconds() - cpu_start
    print(json.dumps({"latencies_us": latencies, "cpu_us_per_call": cpu / count * 1e6, "wall_s": wall}))


if __name__ == "__main__":
    asyncio.run(main())
