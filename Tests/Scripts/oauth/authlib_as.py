#!/usr/bin/env python3
"""An independent authorization server built with Authlib (authlib.integrations.flask_oauth2 on Flask,
served by Werkzeug on its own loopback port), with an SDK MCP resource server (mcp 2.3, Streamable
HTTP at /mcp on --port) that accepts the tokens this AS issued (same process, shared in-memory store).

  authlib_as.py --port P [--token-ttl S] [--as-discovery rfc8414|openid] [--scopes mcp,extra]
                [--client ID:SECRET] [--log FILE]
READY <P> is the resource server's port; the issuer (another port) is in the PRM and in the log.
"""
import argparse
import asyncio
import html
import secrets
import socket
import threading
import time

import uvicorn
from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc7591 import ClientRegistrationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from flask import Flask, jsonify, request
from pydantic import AnyHttpUrl
from werkzeug.serving import make_server

from mcp.server.auth.middleware.auth_context import get_access_token
from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings
from mcp.server.mcpserver import MCPServer

from peer import JsonLog, loopback_socket, serve, sha

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, default=0)
ap.add_argument("--token-ttl", type=int, default=3600)
ap.add_argument("--as-discovery", choices=["rfc8414", "openid"], default="rfc8414")
ap.add_argument("--scopes", default="mcp")
ap.add_argument("--client", action="append", default=[], help="ID:SECRET pre-registered confidential client")
ap.add_argument("--no-dcr", action="store_true", help="do not offer dynamic client registration")
ap.add_argument("--log", default=None)
args = ap.parse_args()
SCOPES = [s for s in args.scopes.split(",") if s]
log = JsonLog(args.log, "authlib_as")


# ---- in-memory models -----------------------------------------------------------------------------
class Client:
    def __init__(self, client_id, secret=None, redirect_uris=None, auth_method=None, name=None):
        self.client_id, self.client_secret, self.redirect_uris = client_id, secret, redirect_uris
        self.auth_method = auth_method or ("client_secret_basic" if secret else "none")
        self.client_name = name

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uris[0] if self.redirect_uris else None

    def get_allowed_scope(self, scope):
        return " ".join(s for s in (scope or "").split() if s in SCOPES)

    def check_redirect_uri(self, uri):
        if self.redirect_uris:
            return uri in self.redirect_uris
        return uri.startswith("http://127.0.0.1:") and uri.endswith("/callback")  # RFC 8252 §7.3, any port

    def check_client_secret(self, secret):
        return self.client_secret is not None and secrets.compare_digest(self.client_secret, secret)

    def check_endpoint_auth_method(self, method, endpoint):
        if self.client_secret:
            return method in ("client_secret_basic", "client_secret_post")
        return method == "none"

    def check_response_type(self, rt):
        return rt == "code"

    def check_grant_type(self, gt):
        return gt in ("authorization_code", "refresh_token")


class Code:
    def __init__(self, **kw):
        self.__dict__.update(kw)

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope


class Token:
    def __init__(self, client_id, scope, access, refresh, expires_in):
        self.client_id, self.scope, self.access_token, self.refresh_token = client_id, scope, access, refresh
        self.issued_at, self.expires_in, self.revoked = time.time(), expires_in, False

    def check_client(self, client):
        return client.client_id == self.client_id

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return self.expires_in

    def is_expired(self):
        return time.time() > self.issued_at + self.expires_in

    def is_revoked(self):
        return self.revoked

    def get_user(self):
        return "alice"


CLIENTS = {}
for spec in args.client:
    cid, secret = spec.split(":", 1)
    CLIENTS[cid] = Client(cid, secret)
CODES, BY_ACCESS, BY_REFRESH = {}, {}, {}


class AuthCode(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

    def save_authorization_code(self, code, req):
        CODES[code] = Code(code=code, client_id=req.client.client_id, redirect_uri=req.payload.redirect_uri,
                           scope=req.payload.scope, code_challenge=req.payload.data.get("code_challenge"),
                           code_challenge_method=req.payload.data.get("code_challenge_method"))
        log(who="as", event="code_issued", client_id=req.client.client_id, code_sha256=sha(code))

    def query_authorization_code(self, code, client):
        c = CODES.get(code)
        return c if c and c.client_id == client.client_id else None

    def delete_authorization_code(self, c):
        CODES.pop(c.code, None)

    def authenticate_user(self, c):
        return "alice"


class Refresh(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]
    INCLUDE_NEW_REFRESH_TOKEN = True  # rotation

    def authenticate_refresh_token(self, rt):
        t = BY_REFRESH.get(rt)
        return t if t and not t.revoked else None

    def authenticate_user(self, credential):
        return "alice"

    def revoke_old_credential(self, credential):
        credential.revoked = True
        BY_REFRESH.pop(credential.refresh_token, None)
        self._old = credential.refresh_token


def save_token(token, req):
    t = Token(req.client.client_id, token.get("scope", ""), token["access_token"], token.get("refresh_token"),
              token.get("expires_in", args.token_ttl))
    BY_ACCESS[t.access_token] = t
    if t.refresh_token:
        BY_REFRESH[t.refresh_token] = t
    refreshed = req.payload.grant_type == "refresh_token"
    entry = dict(who="as", event="token_refreshed" if refreshed else "token_issued", grant=req.payload.grant_type,
                 client_id=t.client_id, scopes=t.scope.split(), access_sha256=sha(t.access_token),
                 refresh_sha256=sha(t.refresh_token) if t.refresh_token else None)
    if refreshed:
        entry["old_refresh_sha256"] = sha(req.payload.data.get("refresh_token", ""))
    log(**entry)


class Registration(ClientRegistrationEndpoint):
    def authenticate_token(self, req):
        return True  # open registration, as MCP clients expect

    def get_server_metadata(self):
        return metadata()

    def generate_client_secret(self, req):
        return None if (req.payload.data or {}).get("token_endpoint_auth_method") == "none" else secrets.token_hex(24)

    def save_client(self, info, md, req):
        c = Client(info["client_id"], info.get("client_secret"), md.get("redirect_uris"),
                   md.get("token_endpoint_auth_method"), md.get("client_name"))
        CLIENTS[c.client_id] = c
        log(who="as", event="client_registered", client_id=c.client_id)
        return c


flask_app = Flask("authlib_as")
flask_app.config["OAUTH2_TOKEN_EXPIRES_IN"] = {"authorization_code": args.token_ttl, "refresh_token": args.token_ttl}
flask_app.config["OAUTH2_REFRESH_TOKEN_GENERATOR"] = True
server = AuthorizationServer(flask_app, query_client=lambda cid: CLIENTS.get(cid), save_token=save_token)
class S256Only(CodeChallenge):
    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]


server.register_grant(AuthCode, [S256Only(required=True)])
server.register_grant(Refresh)
server.register_endpoint(Registration)

as_sock = socket.socket()
as_sock.bind(("127.0.0.1", 0))
AS_PORT = as_sock.getsockname()[1]
as_sock.close()
ISSUER = f"http://127.0.0.1:{AS_PORT}"

rs_sock, PORT = loopback_socket(args.port)
RESOURCE = f"http://127.0.0.1:{PORT}/mcp"


def metadata():
    md = {"issuer": ISSUER, "authorization_endpoint": f"{ISSUER}/authorize", "token_endpoint": f"{ISSUER}/token",
          "registration_endpoint": f"{ISSUER}/register", "scopes_supported": SCOPES, "response_types_supported": ["code"],
          "grant_types_supported": ["authorization_code", "refresh_token"],
          "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
          "code_challenge_methods_supported": ["S256"]}
    if args.no_dcr:
        del md["registration_endpoint"]
    if args.as_discovery == "openid":
        md.update(jwks_uri=f"{ISSUER}/jwks", subject_types_supported=["public"], id_token_signing_alg_values_supported=["RS256"])
    return md


@flask_app.before_request
def log_request():
    log(who="as", method=request.method, path=request.path, authorization=("Authorization" in request.headers))


@flask_app.route("/.well-known/oauth-authorization-server" if args.as_discovery == "rfc8414" else "/.well-known/openid-configuration")
def serve_metadata():
    return jsonify(metadata())


@flask_app.route("/jwks")
def jwks():
    return jsonify({"keys": []})


FORM = """<!doctype html><html><body><h1>Authorize {client}</h1><p>Scopes: {scope}</p>
<form method="post" action="/authorize?{query}">
<button type="submit" name="confirm" value="approve">Approve</button>
<button type="submit" name="confirm" value="deny">Deny</button></form></body></html>"""


@flask_app.route("/authorize", methods=["GET", "POST"])
def authorize():
    if request.method == "GET":
        try:
            grant = server.get_consent_grant(end_user="alice")
        except Exception as e:  # noqa: BLE001
            return jsonify({"error": getattr(e, "error", "invalid_request")}), 400
        return FORM.format(client=html.escape(grant.client.client_id), scope=html.escape(grant.request.payload.scope or ""),
                           query=html.escape(request.query_string.decode()))
    user = "alice" if request.form.get("confirm") == "approve" else None
    return server.create_authorization_response(grant_user=user)


@flask_app.route("/token", methods=["POST"])
def token():
    return server.create_token_response()


@flask_app.route("/register", methods=["POST"])
def register():
    if args.no_dcr:
        return jsonify({"error": "not_found"}), 404
    return server.create_endpoint_response("client_registration")


# ---- the resource server --------------------------------------------------------------------------
class Verifier:
    async def verify_token(self, token):
        t = BY_ACCESS.get(token)
        if t is None or t.revoked or t.is_expired():
            return None
        return AccessToken(token=token, client_id=t.client_id, scopes=t.scope.split(),
                           expires_at=int(t.issued_at + t.expires_in), resource=RESOURCE)


mcp_server = MCPServer("gatehouse-oauth-authlib-as", token_verifier=Verifier(),
                       auth=AuthSettings(issuer_url=ISSUER, resource_server_url=RESOURCE, required_scopes=SCOPES[:1],
                                         validate_token_resource=False))


@mcp_server.tool()
def echo(text: str) -> str:
    """Return the text."""
    return text


@mcp_server.tool()
def whoami() -> dict:
    """The scopes and client of the bearer token."""
    t = get_access_token()
    return {"client_id": t.client_id if t else None, "scopes": t.scopes if t else []}


rs_app = mcp_server.streamable_http_app(host="127.0.0.1")


class LogRS:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            log(who="rs", method=scope["method"], path=scope["path"],
                authorization=any(k.lower() == b"authorization" for k, _ in scope["headers"]))
        await self.app(scope, receive, send)


async def main():
    werk = make_server("127.0.0.1", AS_PORT, flask_app, threaded=True)
    threading.Thread(target=werk.serve_forever, daemon=True).start()
    log(who="as", event="listening", issuer=ISSUER, resource=RESOURCE)
    await serve(uvicorn.Server(uvicorn.Config(LogRS(rs_app), log_level="warning")), rs_sock, PORT)


if __name__ == "__main__":
    asyncio.run(main())
