#!/usr/bin/env python3
"""An OAuth 2.1 authorization server built on the official MCP Python SDK's `mcp.server.auth`
(create_auth_routes with an in-memory OAuthAuthorizationServerProvider), and in the same process and
origin an SDK MCP resource server (Streamable HTTP at /mcp, tools echo and whoami) that accepts only
tokens this AS issued. See README.md in this directory for flags, attack knobs and the log format.

  sdk_as.py --port P [--token-ttl S] [--prm-mode header|path|root] [--as-discovery rfc8414|openid]
            [--scopes mcp,extra] [--step-up-tool NAME:SCOPE] [--client ID:SECRET] [--attack KNOB] [--log FILE]
"""
import argparse
import asyncio
import base64
import contextvars
import html
import json
import os
import secrets
import signal
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode

import uvicorn
from pydantic import AnyHttpUrl, AnyUrl
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from mcp.server.auth.middleware.auth_context import get_access_token
from mcp.server.auth.middleware.bearer_auth import RequireAuthMiddleware
from mcp.server.auth.provider import (AccessToken, AuthorizationCode, AuthorizationParams, AuthorizeError,
                                      RefreshToken, TokenError, construct_redirect_uri)
from mcp.server.auth.routes import build_metadata, create_auth_routes
from mcp.server.auth.settings import AuthSettings, ClientRegistrationOptions, RevocationOptions
from mcp.server.mcpserver import MCPServer
from mcp.shared.auth import OAuthClientInformationFull, OAuthToken

from peer import JsonLog, loopback_socket, serve, sha

ATTACKS = ["prm-other-resource", "no-s256", "wrong-iss", "token-redirect", "other-origin-token", "bad-state", "mcp-redirect"]

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, default=0)
ap.add_argument("--token-ttl", type=int, default=3600, help="access token lifetime in seconds")
ap.add_argument("--prm-mode", choices=["header", "path", "root"], default="header")
ap.add_argument("--as-discovery", choices=["rfc8414", "openid"], default="rfc8414")
ap.add_argument("--scopes", default="mcp", help="comma-separated scopes_supported; the first is required at /mcp")
ap.add_argument("--step-up-tool", default=None, help="NAME:SCOPE: tools/call NAME needs SCOPE (403 insufficient_scope)")
ap.add_argument("--client", action="append", default=[], help="ID:SECRET pre-registered confidential client")
ap.add_argument("--attack", choices=ATTACKS, default=None)
ap.add_argument("--no-dcr", action="store_true", help="do not offer dynamic client registration")
ap.add_argument("--no-cimd", action="store_true", help="do not advertise client_id_metadata_document_supported")
ap.add_argument("--log", default=None)
ap.add_argument("--revoke-file", default=None,
                help="PATH: when this file exists at a request to /mcp, every access token is revoked (refresh tokens kept) "
                     "and the file removed, so the next bearer request gets a 401")
ap.add_argument("--identity-header", default=None,
                help="TOKEN: every 401 from /mcp carries X-AI-Identity: TOKEN (identity evidence before login, SPEC §9 step 7)")
args = ap.parse_args()

SCOPES = [s for s in args.scopes.split(",") if s]
REQUIRED = SCOPES[:1]
STEP_UP = tuple(args.step_up_tool.split(":", 1)) if args.step_up_tool else None
if STEP_UP and STEP_UP[1] not in SCOPES:
    SCOPES.append(STEP_UP[1])

sock, PORT = loopback_socket(args.port)
ISSUER = f"http://127.0.0.1:{PORT}"
RESOURCE = f"{ISSUER}/mcp"

log = JsonLog(args.log, "sdk_as")


# ---- the "steal" listener: another origin that must never be contacted -----------------------------
class Steal(BaseHTTPRequestHandler):
    def _any(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        log(who="steal", method=self.command, path=self.path.split("?")[0], authorization=bool(self.headers.get("Authorization")),
            body=bool(length))
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"error":"invalid_request"}')

    do_GET = do_POST = do_PUT = do_DELETE = _any

    def log_message(self, *a):
        pass


STEAL_PORT = None
if args.attack in ("token-redirect", "other-origin-token", "mcp-redirect"):
    steal = ThreadingHTTPServer(("127.0.0.1", 0), Steal)
    STEAL_PORT = steal.server_address[1]
    threading.Thread(target=steal.serve_forever, daemon=True).start()
STEAL = f"http://127.0.0.1:{STEAL_PORT}" if STEAL_PORT else None


# ---- the provider ---------------------------------------------------------------------------------
basic_auth_used = contextvars.ContextVar("basic_auth_used", default=False)


class Provider:
    def __init__(self):
        self.clients: dict[str, OAuthClientInformationFull] = {}
        self.pending: dict[str, tuple[str, AuthorizationParams]] = {}
        self.codes: dict[str, AuthorizationCode] = {}
        self.access: dict[str, AccessToken] = {}
        self.refresh: dict[str, RefreshToken] = {}
        for spec in args.client:
            cid, secret = spec.split(":", 1)
            self.clients[cid] = OAuthClientInformationFull(
                client_id=cid, client_secret=secret, client_secret_expires_at=0,
                redirect_uris=None, token_endpoint_auth_method="client_secret_post",
                grant_types=["authorization_code", "refresh_token"], scope=" ".join(SCOPES))

    async def get_client(self, client_id: str):
        client = self.clients.get(client_id)
        if client is None and client_id.startswith(("http://", "https://")) and not args.no_cimd:
            client = await asyncio.to_thread(fetch_cimd, client_id)
            if client is not None:
                self.clients[client_id] = client
        if client is None:
            return None
        if client.client_secret and basic_auth_used.get():
            client = client.model_copy(update={"token_endpoint_auth_method": "client_secret_basic"})
        if client.redirect_uris is None:
            # pre-registered: any loopback http://127.0.0.1:<port>/callback is accepted (RFC 8252 §7.3)
            client = LoopbackClient.model_validate(client.model_dump())
        return client

    async def register_client(self, client_info: OAuthClientInformationFull):
        # every registered client may ask for every supported scope (step-up asks for more later)
        client_info.scope = " ".join(SCOPES)
        self.clients[client_info.client_id] = client_info
        log(who="as", event="client_registered", client_id=client_info.client_id)

    async def authorize(self, client, params: AuthorizationParams) -> str:
        if params.scopes is None:
            params.scopes = list(REQUIRED)
        request_id = secrets.token_urlsafe(16)
        self.pending[request_id] = (client.client_id, params)
        return f"{ISSUER}/consent?{urlencode({'request': request_id})}"

    async def load_authorization_code(self, client, code):
        return self.codes.get(code)

    def _issue(self, client_id, scopes, resource, grant, old_refresh=None) -> OAuthToken:
        access = "at_" + secrets.token_urlsafe(32)
        refresh = "rt_" + secrets.token_urlsafe(32)
        self.access[access] = AccessToken(token=access, client_id=client_id, scopes=scopes,
                                          expires_at=int(time.time()) + args.token_ttl, resource=resource, subject="alice")
        self.refresh[refresh] = RefreshToken(token=refresh, client_id=client_id, scopes=scopes, resource=resource, subject="alice")
        entry = dict(who="as", event="token_issued" if grant == "authorization_code" else "token_refreshed", grant=grant,
                     client_id=client_id, scopes=scopes, access_sha256=sha(access), refresh_sha256=sha(refresh))
        if old_refresh:
            entry["old_refresh_sha256"] = sha(old_refresh)
        log(**entry)
        return OAuthToken(access_token=access, token_type="Bearer", expires_in=args.token_ttl,
                          scope=" ".join(scopes), refresh_token=refresh)

    async def exchange_authorization_code(self, client, code: AuthorizationCode) -> OAuthToken:
        if self.codes.pop(code.code, None) is None:
            raise TokenError(error="invalid_grant", error_description="authorization code already used")
        return self._issue(client.client_id, code.scopes, code.resource, "authorization_code")

    async def load_refresh_token(self, client, token):
        return self.refresh.get(token)

    async def exchange_refresh_token(self, client, refresh_token: RefreshToken, scopes) -> OAuthToken:
        # rotation: the presented refresh token is invalid from now on
        if self.refresh.pop(refresh_token.token, None) is None:
            raise TokenError(error="invalid_grant", error_description="refresh token already used")
        return self._issue(client.client_id, scopes, refresh_token.resource, "refresh_token", refresh_token.token)

    async def load_access_token(self, token):
        found = self.access.get(token)
        if found and found.expires_at and found.expires_at < time.time():
            return None
        return found

    async def revoke_token(self, token):
        self.access.pop(token.token, None)
        self.refresh.pop(token.token, None)

    async def verify_token(self, token):  # TokenVerifier for the resource server
        return await self.load_access_token(token)


class LoopbackClient(OAuthClientInformationFull):
    def validate_redirect_uri(self, redirect_uri):
        if redirect_uri is not None and redirect_uri.scheme == "http" and redirect_uri.host == "127.0.0.1" \
                and redirect_uri.path == "/callback":
            return redirect_uri
        return super().validate_redirect_uri(redirect_uri)


def fetch_cimd(url: str):
    """A Client ID Metadata Document: fetch it, require client_id == URL, client_name, redirect_uris."""
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            doc = json.loads(r.read(65536))
    except Exception as e:  # noqa: BLE001
        log(who="as", event="cimd_fetch_failed", url=url, error=type(e).__name__)
        return None
    if doc.get("client_id") != url or not doc.get("client_name") or not doc.get("redirect_uris"):
        log(who="as", event="cimd_invalid", url=url)
        return None
    log(who="as", event="cimd_fetched", url=url)
    # loopback redirect URIs match on any port (RFC 8252 §7.3), as for pre-registered clients
    return LoopbackClient(client_id=url, client_name=doc["client_name"], redirect_uris=doc["redirect_uris"],
                                      token_endpoint_auth_method="none", grant_types=["authorization_code", "refresh_token"],
                                      scope=" ".join(SCOPES))


provider = Provider()

# ---- consent page ---------------------------------------------------------------------------------
CONSENT = """<!doctype html><html><head><title>Authorize {client}</title></head><body>
<h1>Authorize {client}</h1><p>Scopes: {scopes}</p><p>Resource: {resource}</p>
<form method="post" action="/consent">
<input type="hidden" name="request" value="{request}">
<button type="submit" name="action" value="approve">Approve</button>
<button type="submit" name="action" value="deny">Deny</button>
</form></body></html>"""


async def consent(request: Request) -> Response:
    if request.method == "GET":
        rid = request.query_params.get("request", "")
        if rid not in provider.pending:
            return HTMLResponse("<p>Unknown or expired authorization request.</p>", status_code=400)
        cid, params = provider.pending[rid]
        return HTMLResponse(CONSENT.format(client=html.escape(cid), scopes=html.escape(" ".join(params.scopes or [])),
                                           resource=html.escape(params.resource or ""), request=html.escape(rid)))
    form = await request.form()
    rid = str(form.get("request", ""))
    pending = provider.pending.pop(rid, None)
    if pending is None:
        return HTMLResponse("<p>Unknown or expired authorization request.</p>", status_code=400)
    cid, params = pending
    state = params.state
    if args.attack == "bad-state":
        state = (state or "") + "-tampered"
    iss = "http://127.0.0.1:1/evil" if args.attack == "wrong-iss" else ISSUER
    if form.get("action") != "approve":
        log(who="as", event="consent_denied", client_id=cid)
        target = construct_redirect_uri(str(params.redirect_uri), error="access_denied", state=state, iss=iss)
        return RedirectResponse(target, status_code=302)
    code = secrets.token_urlsafe(32)
    provider.codes[code] = AuthorizationCode(
        code=code, scopes=params.scopes or [], expires_at=time.time() + 300, client_id=cid,
        code_challenge=params.code_challenge, redirect_uri=params.redirect_uri,
        redirect_uri_provided_explicitly=params.redirect_uri_provided_explicitly, resource=params.resource, subject="alice")
    log(who="as", event="code_issued", client_id=cid, code_sha256=sha(code), scopes=params.scopes,
        resource=params.resource, state_present=params.state is not None)
    return RedirectResponse(construct_redirect_uri(str(params.redirect_uri), code=code, state=state, iss=iss), status_code=302)


# ---- metadata -------------------------------------------------------------------------------------
def as_metadata() -> dict:
    md = build_metadata(AnyHttpUrl(ISSUER), None,
                        ClientRegistrationOptions(enabled=not args.no_dcr, valid_scopes=SCOPES, default_scopes=REQUIRED),
                        RevocationOptions(enabled=True)).model_dump(mode="json", exclude_none=True)
    md["issuer"] = ISSUER
    md["authorization_response_iss_parameter_supported"] = True
    if not args.no_cimd:
        md["client_id_metadata_document_supported"] = True
    if args.attack == "no-s256":
        md["code_challenge_methods_supported"] = ["plain"]
    if args.attack == "other-origin-token":
        md["token_endpoint"] = f"{STEAL}/token"
    if args.as_discovery == "openid":
        md.update(jwks_uri=f"{ISSUER}/jwks", subject_types_supported=["public"], id_token_signing_alg_values_supported=["RS256"])
    return md


def prm() -> dict:
    resource = f"http://127.0.0.1:{PORT + 1 if PORT < 65535 else PORT - 1}/mcp" if args.attack == "prm-other-resource" else RESOURCE
    # The step-up scope is not advertised: a client learns of it from the 403's challenge.
    advertised = [s for s in SCOPES if not STEP_UP or s != STEP_UP[1]]
    return {"resource": resource, "authorization_servers": [ISSUER], "scopes_supported": advertised,
            "bearer_methods_supported": ["header"], "resource_name": "gatehouse sdk_as test server"}


async def serve_as_metadata(request):
    return JSONResponse(as_metadata())


async def serve_prm(request):
    return JSONResponse(prm())


async def serve_jwks(request):
    return JSONResponse({"keys": []})


# ---- the MCP resource server ----------------------------------------------------------------------
server = MCPServer("gatehouse-oauth-sdk-as", token_verifier=provider,
                   auth=AuthSettings(issuer_url=ISSUER, resource_server_url=RESOURCE, required_scopes=REQUIRED,
                                     validate_token_resource=False))


@server.tool()
def echo(text: str) -> str:
    """Return the text."""
    return text


@server.tool()
def whoami() -> dict:
    """The scopes and client of the bearer token this request carried."""
    token = get_access_token()
    return {"client_id": token.client_id if token else None, "scopes": token.scopes if token else []}


if STEP_UP:
    @server.tool(name=STEP_UP[0])
    def stepped(text: str = "") -> str:
        """A tool that needs an extra scope."""
        return f"{STEP_UP[0]} ok"


class StepUp:
    """403 insufficient_scope for tools/call STEP_UP[0] when the token lacks STEP_UP[1]."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST" or not STEP_UP:
            return await self.app(scope, receive, send)
        chunks, more = [], True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        try:
            msg = json.loads(body)
        except ValueError:
            msg = None
        user = scope.get("user")
        scopes = getattr(user, "scopes", []) or []
        if isinstance(msg, dict) and msg.get("method") == "tools/call" and (msg.get("params") or {}).get("name") == STEP_UP[0] \
                and STEP_UP[1] not in scopes:
            needed = " ".join(dict.fromkeys(REQUIRED + [STEP_UP[1]]))
            header = f'Bearer error="insufficient_scope", scope="{needed}", error_description="Required scope: {STEP_UP[1]}"'
            if args.prm_mode == "header":
                header += f', resource_metadata="{ISSUER}/.well-known/oauth-protected-resource/mcp"'
            await Response(json.dumps({"error": "insufficient_scope"}), status_code=403, media_type="application/json",
                           headers={"WWW-Authenticate": header})(scope, receive, send)
            return
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


app = server.streamable_http_app(host="127.0.0.1")
kept = []
for route in app.router.routes:
    path = getattr(route, "path", "")
    if path.startswith("/.well-known/oauth-protected-resource"):
        continue  # served below, per --prm-mode
    if path == "/mcp" and isinstance(route.app, RequireAuthMiddleware):
        route.app.resource_metadata_url = AnyHttpUrl(f"{ISSUER}/.well-known/oauth-protected-resource/mcp") \
            if args.prm_mode == "header" else None
        route.app.app = StepUp(route.app.app)
    kept.append(route)
auth_routes = create_auth_routes(provider, AnyHttpUrl(ISSUER),
                                 client_registration_options=ClientRegistrationOptions(enabled=not args.no_dcr, valid_scopes=SCOPES,
                                                                                       default_scopes=REQUIRED),
                                 revocation_options=RevocationOptions(enabled=True))
auth_routes = [r for r in auth_routes if not r.path.startswith("/.well-known/")]
extra = [Route("/consent", consent, methods=["GET", "POST"]), Route("/jwks", serve_jwks)]
extra.append(Route("/.well-known/openid-configuration" if args.as_discovery == "openid"
                   else "/.well-known/oauth-authorization-server", serve_as_metadata))
extra.append(Route("/.well-known/oauth-protected-resource" + ("" if args.prm_mode == "root" else "/mcp"), serve_prm))
app.router.routes[:] = extra + auth_routes + kept


class Outer:
    """Logs every request; applies the token-redirect attack; notes Basic client authentication."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        path = scope["path"]
        who = "rs" if path == "/mcp" or path.startswith("/.well-known/oauth-protected-resource") else "as"
        log(who=who, method=scope["method"], path=path, authorization=("authorization" in headers))
        if path == "/mcp" and args.revoke_file and os.path.exists(args.revoke_file):
            os.remove(args.revoke_file)
            provider.access.clear()
            log(who="as", event="access_revoked")
        if path == "/mcp" and args.attack == "mcp-redirect" and "authorization" in headers:
            await Response(status_code=307, headers={"Location": f"{STEAL}/mcp"})(scope, receive, send)
            return
        if path == "/token" and args.attack == "token-redirect":
            await Response(status_code=307, headers={"Location": f"{STEAL}/steal"})(scope, receive, send)
            return
        basic_auth_used.set(headers.get("authorization", "").startswith("Basic "))
        if path == "/mcp" and args.identity_header:
            async def send_with_identity(message):
                if message["type"] == "http.response.start" and message["status"] == 401:
                    message = dict(message, headers=list(message["headers"]) + [(b"x-ai-identity", args.identity_header.encode())])
                await send(message)
            return await self.app(scope, receive, send_with_identity)
        await self.app(scope, receive, send)


async def main():
    config = uvicorn.Config(Outer(app), log_level="warning", lifespan="on")
    await serve(uvicorn.Server(config), sock, PORT)


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    asyncio.run(main())
