#!/usr/bin/env python3
"""Proves the authorization servers here work end to end without Gatehouse: the official SDK's client
OAuth (mcp.client.auth.OAuthClientProvider) logs in through browser.py's logic and calls echo/whoami.
Prints PASS/FAIL per case; exit 0 when all pass.   client_check.py [CASE...]
"""
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx2
from mcp import ClientSession
from mcp.client.auth import OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import AuthorizationCodeResult, OAuthClientInformationFull, OAuthClientMetadata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import browser  # noqa: E402


class Storage:
    def __init__(self, client_info=None):
        self.tokens, self.client_info = None, client_info

    async def get_tokens(self):
        return self.tokens

    async def set_tokens(self, tokens):
        self.tokens = tokens

    async def get_client_info(self):
        return self.client_info

    async def set_client_info(self, info):
        self.client_info = info


class Callback:
    """A loopback listener on 127.0.0.1:<OS port>/callback for one request; browser.run delivers to it."""

    def __init__(self):
        self.result = None
        outer = self

        class H(BaseHTTPRequestHandler):
            def do_GET(self):
                q = parse_qs(urlsplit(self.path).query)
                outer.result = {k: v[0] for k, v in q.items()}
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"done")

            def log_message(self, *a):
                pass

        self.httpd = HTTPServer(("127.0.0.1", 0), H)
        self.port = self.httpd.server_address[1]
        self.uri = f"http://127.0.0.1:{self.port}/callback"

    async def redirect(self, url):
        final = await asyncio.to_thread(browser.run, url)
        t = threading.Thread(target=self.httpd.handle_request, daemon=True)
        t.start()
        await asyncio.to_thread(browser.request, final)
        t.join(5)

    async def callback(self):
        r = self.result or {}
        if "code" not in r:
            raise RuntimeError(f"no code on the callback: {sorted(r)}")
        return AuthorizationCodeResult(code=r["code"], state=r.get("state"), iss=r.get("iss"))


def start(script, *flags, log=None):
    cmd = [sys.executable, os.path.join(HERE, script), "--port", "0", *flags] + (["--log", log] if log else [])
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = p.stdout.readline()
    if not line.startswith("READY "):
        p.kill()
        raise RuntimeError(f"{script} did not start: {line!r}")
    return p, int(line.split()[1])


def stop(p):
    p.stdin.close()  # stdin closing ends the server
    try:
        p.wait(10)
    except subprocess.TimeoutExpired:
        p.kill()


async def session_calls(url, auth, calls):
    out = []
    async with httpx2.AsyncClient(auth=auth, timeout=30) as http:
        async with streamable_http_client(url, http_client=http) as (read, write, *_):
            async with ClientSession(read, write) as s:
                await s.initialize()
                for name, arguments in calls:
                    r = await s.call_tool(name, arguments)
                    out.append((r.is_error if hasattr(r, "is_error") else r.isError, r.content[0].text if r.content else ""))
    return out


def provider(port, storage, cb, scope=None, cimd=None):
    md = OAuthClientMetadata(client_name="client_check", redirect_uris=[cb.uri], grant_types=["authorization_code", "refresh_token"],
                             response_types=["code"], token_endpoint_auth_method="none", scope=scope)
    return OAuthClientProvider(f"http://127.0.0.1:{port}/mcp", md, storage, cb.redirect, cb.callback, client_metadata_url=cimd)


def log_lines(path):
    try:
        return [json.loads(x) for x in open(path)]
    except FileNotFoundError:
        return []


async def login_echo(script, *flags, client_info=None, cimd=None):
    log = tempfile.mktemp(suffix=".jsonl")
    p, port = start(script, *flags, log=log)
    try:
        cb = Callback()
        storage = Storage(client_info)
        r = await session_calls(f"http://127.0.0.1:{port}/mcp", provider(port, storage, cb, cimd=cimd),
                                [("echo", {"text": "hi"}), ("whoami", {})])
        assert r[0] == (False, "hi"), r
        assert "mcp" in r[1][1], r
        assert storage.tokens and storage.tokens.refresh_token, "no refresh token"
        return log_lines(log)
    finally:
        stop(p)


async def case_refresh(script, *flags):
    log = tempfile.mktemp(suffix=".jsonl")
    p, port = start(script, "--token-ttl", "2", *flags, log=log)
    try:
        cb = Callback()
        storage = Storage()
        url = f"http://127.0.0.1:{port}/mcp"
        auth = provider(port, storage, cb)
        await session_calls(url, auth, [("echo", {"text": "a"})])
        first = storage.tokens.refresh_token
        await asyncio.sleep(3)
        r = await session_calls(url, auth, [("echo", {"text": "b"})])
        assert r[0] == (False, "b"), r
        assert storage.tokens.refresh_token != first, "refresh token not rotated"
        refreshes = [x for x in log_lines(log) if x.get("event") == "token_refreshed"]
        assert len(refreshes) == 1, [x.get("event") for x in log_lines(log) if "event" in x]
        # rotation: the old refresh token is now refused at the token endpoint
        info = storage.client_info
        data = {"grant_type": "refresh_token", "refresh_token": first, "client_id": info.client_id}
        if info.client_secret:
            data["client_secret"] = info.client_secret
        async with httpx2.AsyncClient() as h:
            token_endpoint = str(auth.context.oauth_metadata.token_endpoint)
            resp = await h.post(token_endpoint, data=data)
        assert resp.status_code == 400 and resp.json()["error"] == "invalid_grant", resp.text
    finally:
        stop(p)


async def case_stepup(script):
    p, port = start(script, "--step-up-tool", "admin:extra")
    try:
        cb = Callback()
        storage = Storage()
        r = await session_calls(f"http://127.0.0.1:{port}/mcp", provider(port, storage, cb, scope="mcp"),
                                [("echo", {"text": "x"}), ("admin", {})])
        assert r[1] == (False, "admin ok"), r
        assert "extra" in (storage.tokens.scope or ""), storage.tokens
    finally:
        stop(p)


async def case_preregistered(script, method):
    secret = "s3cret-" + method
    info = OAuthClientInformationFull(client_id="pre-client", client_secret=secret, token_endpoint_auth_method=method,
                                      redirect_uris=None, grant_types=["authorization_code", "refresh_token"])
    cbholder = {}
    log = tempfile.mktemp(suffix=".jsonl")
    p, port = start(script, "--client", f"pre-client:{secret}", "--no-dcr", log=log)
    try:
        cb = Callback()
        info.redirect_uris = [cb.uri]
        storage = Storage(info)
        r = await session_calls(f"http://127.0.0.1:{port}/mcp", provider(port, storage, cb), [("echo", {"text": "pre"})])
        assert r[0] == (False, "pre"), r
        assert any(x.get("event") == "token_issued" and x.get("client_id") == "pre-client" for x in log_lines(log))
        assert secret not in open(log).read()
    finally:
        stop(p)


async def case_cimd(script):
    # serve the client's metadata document on loopback
    cb = Callback()
    doc = {}

    class H(BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps(doc).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/client.json"
    doc.update(client_id=url, client_name="client_check", redirect_uris=[cb.uri], token_endpoint_auth_method="none",
               grant_types=["authorization_code", "refresh_token"], response_types=["code"])
    log = tempfile.mktemp(suffix=".jsonl")
    p, port = start(script, log=log)
    try:
        # the SDK requires an https CIMD URL; register it by hand as the stored client instead, so the AS fetches it
        storage = Storage(OAuthClientInformationFull(client_id=url, redirect_uris=[cb.uri], token_endpoint_auth_method="none",
                                                     grant_types=["authorization_code", "refresh_token"]))
        r = await session_calls(f"http://127.0.0.1:{port}/mcp", provider(port, storage, cb), [("echo", {"text": "cimd"})])
        assert r[0] == (False, "cimd"), r
        assert any(x.get("event") == "cimd_fetched" for x in log_lines(log)), "AS did not fetch the CIMD"
    finally:
        stop(p)
        httpd.shutdown()


async def case_attack_state(script):
    p, port = start(script, "--attack", "bad-state")
    try:
        cb = Callback()
        try:
            await session_calls(f"http://127.0.0.1:{port}/mcp", provider(port, Storage(), cb), [("echo", {"text": "x"})])
        except BaseException:  # noqa: BLE001  (the SDK refuses the tampered state)
            return
        raise AssertionError("the SDK accepted a tampered state")
    finally:
        stop(p)


CASES = {
    "sdk-dcr-header": lambda: login_echo("sdk_as.py"),
    "sdk-prm-path": lambda: login_echo("sdk_as.py", "--prm-mode", "path"),
    "sdk-prm-root": lambda: login_echo("sdk_as.py", "--prm-mode", "root"),
    "sdk-openid-discovery": lambda: login_echo("sdk_as.py", "--as-discovery", "openid"),
    "sdk-refresh-rotation": lambda: case_refresh("sdk_as.py"),
    "sdk-step-up": lambda: case_stepup("sdk_as.py"),
    "sdk-preregistered-post": lambda: case_preregistered("sdk_as.py", "client_secret_post"),
    "sdk-preregistered-basic": lambda: case_preregistered("sdk_as.py", "client_secret_basic"),
    "sdk-cimd": lambda: case_cimd("sdk_as.py"),
    "sdk-attack-bad-state-refused": lambda: case_attack_state("sdk_as.py"),
}
if os.path.exists(os.path.join(HERE, "authlib_as.py")):
    CASES.update({
        "authlib-dcr": lambda: login_echo("authlib_as.py"),
        "authlib-openid-discovery": lambda: login_echo("authlib_as.py", "--as-discovery", "openid"),
        "authlib-refresh-rotation": lambda: case_refresh("authlib_as.py"),
        "authlib-preregistered-basic": lambda: case_preregistered("authlib_as.py", "client_secret_basic"),
        "authlib-preregistered-post": lambda: case_preregistered("authlib_as.py", "client_secret_post"),
    })


try:
    import fastmcp  # noqa: F401  (only in a venv with Tests/Scripts/requirements-fastmcp.txt)
    CASES["fastmcp-dcr"] = lambda: login_echo("fastmcp_as.py")
except ImportError:
    pass


def main():
    names = sys.argv[1:] or list(CASES)
    failed = 0
    for name in names:
        t = time.time()
        try:
            asyncio.run(asyncio.wait_for(CASES[name](), 60))
            print(f"PASS {name} ({time.time() - t:.1f}s)", flush=True)
        except BaseException as e:  # noqa: BLE001
            failed += 1
            msg = repr(e)
            if hasattr(e, "exceptions"):
                msg = " | ".join(repr(x) for x in e.exceptions)
            print(f"FAIL {name}: {msg[:400]}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
