#!/usr/bin/env python3
"""A real MCP host's side of `gatehouse proxy`: the official SDK's ClientSession over stdio_client.

  proxy_client.py TOOL ARGUMENTS_JSON -- COMMAND [ARGS...]

Starts COMMAND as a stdio MCP server, initializes, lists the tools, calls TOOL with ARGUMENTS_JSON (with a
progress callback), calls a tool that does not exist, and prints one JSON object with what came
back: the handshake's instructions and _meta, the tool names, the call's text and progress count, and
each JSON-RPC error as {"code", "message", "data"}. An error during initialize is reported the same way.
With PROXY_CLIENT_TOUCH=PATH, after the call it creates PATH and calls TOOL again ("textAfterTouch").
With TOOL `rug_pull` (or PROXY_CLIENT_WAIT_CHANGE set), it then waits for notifications/tools/list_changed, lists the tools again and calls
`echo`, reporting "listChanged", "toolsAfter" and "echoAfter" (the result text or the error).
"""
import asyncio
import json
import os
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
try:
    from mcp.shared.exceptions import MCPError  # mcp 2.x
except ImportError:
    from mcp.shared.exceptions import McpError as MCPError  # mcp 1.x


def error(exception):
    data = exception.error  # ErrorData, in mcp 1.x and 2.x alike
    return {"code": data.code, "message": data.message, "data": data.data}


async def main():
    tool, arguments = sys.argv[1], json.loads(sys.argv[2])
    command = sys.argv[sys.argv.index("--") + 1:]
    report = {}
    changed = asyncio.Event()

    async def on_message(message):
        if getattr(getattr(message, "root", message), "method", None) == "notifications/tools/list_changed":
            changed.set()

    questions = []

    async def on_elicit(context, params):
        from mcp import types
        questions.append(params.message)
        return types.ElicitResult(action="accept", content={"name": os.environ["PROXY_CLIENT_ELICIT"]})

    # With PROXY_CLIENT_ELICIT set, this host declares elicitation and answers every question with it.
    extra = {"elicitation_callback": on_elicit} if os.environ.get("PROXY_CLIENT_ELICIT") else {}
    async with stdio_client(StdioServerParameters(command=command[0], args=command[1:])) as (read, write):
        async with ClientSession(read, write, message_handler=on_message, **extra) as session:
            try:
                # PROXY_CLIENT_MODERN: the 2026-07-28 era (server/discover, no handshake) instead of initialize.
                result = await (session.discover() if os.environ.get("PROXY_CLIENT_MODERN") else session.initialize())
            except MCPError as exception:
                report["initializeError"] = error(exception)
                print(json.dumps(report))
                return
            report["protocolVersion"] = (getattr(result, "protocol_version", None) or getattr(result, "protocolVersion", None)
                                         or getattr(result, "supported_versions", None))
            report["instructions"] = result.instructions
            report["meta"] = (result.model_dump(by_alias=True).get("_meta") or result.model_dump(by_alias=True).get("meta") or {})
            report["tools"] = sorted(t.name for t in (await session.list_tools()).tools)
            waits = tool == "rug_pull" or os.environ.get("PROXY_CLIENT_WAIT_CHANGE")
            subscription = None
            if os.environ.get("PROXY_CLIENT_MODERN") and waits:
                # A 2026-07-28 host learns of list changes only through subscriptions/listen.
                from contextlib import AsyncExitStack
                from mcp.client.subscriptions import listen
                stack = AsyncExitStack()
                subscription = await stack.enter_async_context(listen(session, tools_list_changed=True))
            progress = []

            async def on_progress(value, total, message):
                progress.append(value)

            try:
                called = await session.call_tool(tool, arguments, progress_callback=on_progress)
                report["text"] = " ".join(c.text for c in called.content if getattr(c, "type", "") == "text")
            except MCPError as exception:
                report["callError"] = error(exception)
            report["progress"] = len(progress)
            if os.environ.get("PROXY_CLIENT_TOUCH"):
                # Create the file (a test server's knob, e.g. revoking every access token), then call TOOL again.
                open(os.environ["PROXY_CLIENT_TOUCH"], "w").close()
                try:
                    again = await session.call_tool(tool, arguments)
                    report["textAfterTouch"] = " ".join(c.text for c in again.content if getattr(c, "type", "") == "text")
                except MCPError as exception:
                    report["callErrorAfterTouch"] = error(exception)
            report["questions"] = questions
            if os.environ.get("PROXY_CLIENT_CONTENT"):
                # Resources and prompts, read through the proxy as a host would.
                report["resources"] = sorted(str(r.uri) for r in (await session.list_resources()).resources)
                read = await session.read_resource("note://readme")
                report["readme"] = [getattr(c, "text", None) for c in read.contents]
                report["prompts"] = sorted(p.name for p in (await session.list_prompts()).prompts)
                prompt = await session.get_prompt("greet", {"name": "Ada"})
                report["prompt"] = [getattr(m.content, "text", None) for m in prompt.messages]
                from mcp.types import PromptReference
                completed = await session.complete(PromptReference(type="ref/prompt", name="greet"), {"name": "name", "value": "A"})
                report["completion"] = list(completed.completion.values)
            if os.environ.get("PROXY_CLIENT_CANCEL"):
                # The host gives up on a 30 s call after its first progress notification (the SDK then sends
                # notifications/cancelled), and the session keeps working.
                import anyio
                started = asyncio.Event()

                async def on_slow_progress(value, total, message):
                    started.set()

                async def slow_call():
                    await session.call_tool("slow", {"seconds": 30}, progress_callback=on_slow_progress)

                begin = asyncio.get_running_loop().time()
                async with anyio.create_task_group() as group:
                    group.start_soon(slow_call)
                    await asyncio.wait_for(started.wait(), 20)
                    group.cancel_scope.cancel()
                report["cancelSeconds"] = asyncio.get_running_loop().time() - begin
                after = await session.call_tool("echo", {"text": "after the cancel"})
                report["afterCancel"] = " ".join(c.text for c in after.content if getattr(c, "type", "") == "text")
            if os.environ.get("PROXY_CLIENT_ALL_CONTENT"):
                # Under --all: every listed resource read, every prompt got (name=Ada), a template's URI read.
                resources = [str(r.uri) for r in (await session.list_resources()).resources]
                report["resources"] = sorted(resources)
                listed = await session.list_resource_templates()
                report["templates"] = sorted(getattr(t, "uri_template", None) or t.uriTemplate
                                             for t in (getattr(listed, "resource_templates", None) or listed.resourceTemplates))
                report["reads"] = {uri: [getattr(c, "text", None) for c in (await session.read_resource(uri)).contents] for uri in resources}
                prompts = [p.name for p in (await session.list_prompts()).prompts]
                report["prompts"] = sorted(prompts)
                report["gets"] = {name: [getattr(m.content, "text", None) for m in (await session.get_prompt(name, {"name": "Ada"})).messages]
                                  for name in prompts}
                from mcp.types import PromptReference
                report["completions"] = {name: list((await session.complete(PromptReference(type="ref/prompt", name=name),
                                                                           {"name": "name", "value": "G"})).completion.values)
                                         for name in prompts}
                try:
                    read = await session.read_resource(os.environ["PROXY_CLIENT_ALL_CONTENT"])
                    report["templateRead"] = [getattr(c, "text", None) for c in read.contents]
                except MCPError as exception:
                    report["templateRead"] = error(exception)
            try:
                await session.call_tool("no_such_tool", {})
            except MCPError as exception:
                report["unknownError"] = error(exception)
            if waits:
                try:
                    if subscription is not None:
                        event = await asyncio.wait_for(subscription.__anext__(), 20)
                        report["subscriptionEvent"] = type(event).__name__
                    else:
                        await asyncio.wait_for(changed.wait(), 20)
                    report["listChanged"] = True
                except asyncio.TimeoutError:
                    report["listChanged"] = False
                report["toolsAfter"] = sorted(t.name for t in (await session.list_tools()).tools)
                try:
                    echoed = await session.call_tool("echo", {"text": "after the rug pull"})
                    report["echoAfter"] = " ".join(c.text for c in echoed.content if getattr(c, "type", "") == "text")
                except MCPError as exception:
                    report["echoAfter"] = error(exception)
    print(json.dumps(report))


if __name__ == "__main__":
    asyncio.run(main())
