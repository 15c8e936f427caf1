#!/usr/bin/env python3
"""The PyJWT side of the verification benchmark: decode the same token with the same checks (EdDSA only,
audience, issuer, required claims, surface and a 10 000-entry revocation lookup), in-process.
Prints per-operation microseconds of each round as JSON."""
import json
import sys
import time

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

directory, rounds, iterations = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
token = open(f"{directory}/token.txt").read().strip()
key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(open(f"{directory}/key.hex").read().strip()))
revoked = {f"aii_revoked_{index}" for index in range(10_000)}


def verify():
    claims = jwt.decode(token, key, algorithms=["EdDSA"], audience="verifier", issuer="https://registry.bench",
                        options={"require": ["exp", "iat", "iss", "sub", "aud"]}, leeway=60)
    assert claims["sub"] == "aii_bench" and "mcp://bench.example.com" in claims["surfaces"]
    assert claims["sub"] not in revoked
    return True


for _ in range(200):
    verify()
results = []
for _ in range(rounds):
    start = time.perf_counter()
    for _ in range(iterations):
        verify()
    results.append((time.perf_counter() - start) / iterations * 1e6)
print(json.dumps(sorted(results)))
