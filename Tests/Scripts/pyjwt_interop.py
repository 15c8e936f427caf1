#!/usr/bin/env python3
"""Interop with an independent JOSE implementation (PyJWT over pyca/cryptography).

  mint   --out-dir DIR --kid KID --claims JSON   fresh Ed25519 key; writes DIR/jwks.json; prints the token
  verify --jwks FILE --token TOKEN --issuer ISS [--audience AUD]
                                                  decodes with algorithms=["EdDSA"], requires exp/iat/iss/sub;
                                                  prints the claims as JSON (exit 0) or the error (exit 1)
"""
import argparse
import base64
import json
import os
import sys

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def mint(args):
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, "jwks.json"), "w") as handle:
        json.dump({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": b64url(public), "kid": args.kid}]}, handle)
    print(jwt.encode(json.loads(args.claims), key, algorithm="EdDSA", headers={"kid": args.kid, "typ": "JWT"}))


def verify(args):
    with open(args.jwks) as handle:
        keys = json.load(handle)["keys"]
    header = jwt.get_unverified_header(args.token)
    matching = [k for k in keys if k.get("kid") == header.get("kid")]
    if len(matching) != 1:
        print(f"no single key for kid {header.get('kid')!r}", file=sys.stderr)
        return 1
    raw = base64.urlsafe_b64decode(matching[0]["x"] + "==")
    public = Ed25519PublicKey.from_public_bytes(raw)
    try:
        claims = jwt.decode(
            args.token, public, algorithms=["EdDSA"], audience=args.audience, issuer=args.issuer,
            options={"require": ["exp", "iat", "iss", "sub", "aud"]},
        )
    except jwt.PyJWTError as error:
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(json.dumps(claims, sort_keys=True))
    return 0


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    mint_parser = commands.add_parser("mint")
    mint_parser.add_argument("--out-dir", required=True)
    mint_parser.add_argument("--kid", required=True)
    mint_parser.add_argument("--claims", required=True)
    verify_parser = commands.add_parser("verify")
    verify_parser.add_argument("--jwks", required=True)
    verify_parser.add_argument("--token", required=True)
    verify_parser.add_argument("--issuer", required=True)
    verify_parser.add_argument("--audience", default="verifier")
    args = parser.parse_args()
    if args.command == "mint":
        mint(args)
        return 0
    return verify(args)


if __name__ == "__main__":
    sys.exit(main())
