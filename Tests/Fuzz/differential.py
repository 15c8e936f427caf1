#!/usr/bin/env python3
"""Differential check of the trust core against an independent verifier (issue 7).

  differential.py GATEHOUSE_FUZZ [COUNT=12000] [SEED=1]

Makes a fresh Ed25519 registry key, mutates a valid passport COUNT times (half re-signed with the real key
after changing the header or claims, so the claim logic is reached; half by mangling the compact token's
characters), and verifies every token twice: with `gatehouse-fuzz verify-lines` (the trust core) and with
PyJWT plus SPEC's policy written out here (header policy, claim types, tier, issuer comparison, times at a
fixed clock). Every disagreement must fall under one of the documented intended differences below, each
recognised by inspecting the token itself; anything else is printed and the exit status is 1.
"""
import base64
import collections
import json
import random
import re
import subprocess
import sys
import tempfile

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ISSUER = "https://registry.differential.example"
NOW = 1_795_737_600
SKEW = 60
TIERS = ["issued", "identity_verified", "creator_verified", "business_verified"]
FORBIDDEN_HEADER = ["crit", "jku", "jwk", "x5u", "x5c", "b64", "zip", "enc", "cty"]
KID = "diff-1"


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64_lenient(segment):
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except Exception:
        return None


# ---------------------------------------------------------------------------------------------------------
# The reference: PyJWT for the JWS layer and the registered claims, SPEC's policy for the rest.

def normalized_issuer(name):
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)(.*)$", name)
    if not match:
        return name
    scheme, host, rest = match.groups()
    if rest.endswith("/"):
        rest = rest[:-1]
    return f"{scheme.lower()}://{host.lower()}{rest}"


def is_integer_date(value):
    return type(value) is int and 0 <= value <= 2**53 - 1


def reference_accepts(token, public_key):
    # SPEC §4 (passport verify) and every carrier: whitespace around the token is trimmed, inside it is not.
    token = token.strip(" \t\r\n")
    try:
        header = jwt.get_unverified_header(token)
    except Exception:
        return False
    if header.get("alg") != "EdDSA" or any(name in header for name in FORBIDDEN_HEADER):
        return False
    if "typ" in header and not (isinstance(header["typ"], str) and header["typ"].lower() == "jwt"):
        return False
    if "kid" in header and header["kid"] != KID:
        return False
    try:
        claims = jwt.decode(token, public_key, algorithms=["EdDSA"], audience="verifier",
                            options={"verify_exp": False, "verify_nbf": False, "verify_iat": False,
                                     "verify_iss": False, "require": []})
    except Exception:
        return False
    for name in ("iss", "sub", "tier"):
        if not isinstance(claims.get(name), str):
            return False
    audience = claims.get("aud")
    if not (isinstance(audience, str) or (isinstance(audience, list) and all(isinstance(a, str) for a in audience))):
        return False
    for name in ("operator", "key_id", "jti"):
        if name in claims and not isinstance(claims[name], str):
            return False
    for name in ("surfaces", "capabilities"):
        if name in claims and not (isinstance(claims[name], list) and all(isinstance(s, str) for s in claims[name])):
            return False
    if normalized_issuer(claims["iss"]) != normalized_issuer(ISSUER):
        return False
    # The key: the header's kid, else the key_id claim, else the registry's only key; the two must agree.
    if "kid" in header and "key_id" in claims and header["kid"] != claims["key_id"]:
        return False
    if header.get("kid", claims.get("key_id", KID)) != KID:
        return False
    for name in ("iat", "exp") + (("nbf",) if "nbf" in claims else ()):
        if not is_integer_date(claims.get(name)):
            return False
    if claims["exp"] <= NOW - SKEW or claims["iat"] > NOW + SKEW or claims.get("nbf", 0) > NOW + SKEW:
        return False
    return claims["tier"] in TIERS


# ---------------------------------------------------------------------------------------------------------
# Intended differences: each is recognised from the token alone.

class Strict(json.JSONDecoder):
    """json.loads that records duplicate names and non-finite numbers instead of hiding them."""


def json_findings(raw):
    findings = set()
    if raw is None:
        return {"base64"}
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return {"utf8"}

    def pairs(items):
        names = [name for name, _ in items]
        if len(names) != len(set(names)):
            findings.add("duplicate")
        return dict(items)

    def constant(name):
        findings.add("non-finite")
        return float("nan")

    try:
        json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except Exception:
        findings.add("not-json")
    if re.search(r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])", text) or re.search(r"(?<![0-9a-fA-F]{4})\\u[dD][c-fC-F]", text):
        findings.add("lone-surrogate")
    if re.search(r"[0-9][eE][+-]?[0-9]|[0-9]\.[0-9]", text):
        findings.add("number-form")
    return findings


def strict_base64(segment):
    if not re.fullmatch(r"[A-Za-z0-9_-]*", segment) or len(segment) % 4 == 1:
        return False
    decoded = b64_lenient(segment)
    return decoded is not None and b64(decoded) == segment


def intended(token, gatehouse_code, gatehouse_verified, reference_verified):
    """The name of the documented difference that explains this disagreement, or None."""
    parts = token.split(".")
    if gatehouse_verified:
        return None  # Gatehouse is never meant to accept what the reference refuses
    if len(parts) != 3:
        return None
    if not all(strict_base64(part) for part in parts):
        return "base64url: Gatehouse refuses padding, characters outside the alphabet and non-zero trailing bits; PyJWT's decoder skips or tolerates them"
    header_findings, payload_findings = json_findings(b64_lenient(parts[0])), json_findings(b64_lenient(parts[1]))
    findings = header_findings | payload_findings
    if "duplicate" in findings and gatehouse_code == "passport.malformed":
        return "duplicate member names: Gatehouse (I-JSON) refuses them; Python's json keeps the last"
    if "lone-surrogate" in findings and gatehouse_code == "passport.malformed":
        return "lone UTF-16 surrogate escapes: Gatehouse (I-JSON) refuses them; Python's json accepts them"
    if "non-finite" in findings and gatehouse_code == "passport.malformed":
        return "NaN/Infinity literals: not JSON, refused by Gatehouse; Python's json accepts them"
    return None


# ---------------------------------------------------------------------------------------------------------
# Mutations.

def base_claims():
    return {"iss": ISSUER, "sub": "aii_diff", "aud": "verifier", "iat": NOW - 60, "exp": NOW + 86_400,
            "tier": "business_verified", "operator": "Differential Ltd", "surfaces": ["mcp://diff.example"],
            "capabilities": ["search"], "key_id": KID}


VALUES = [None, True, False, 0, -1, 1.5, 2**53, 2**63, "", "x", "Verifier", [], ["verifier"], {}, {"a": 1},
          NOW, NOW - SKEW, NOW - SKEW + 1, NOW + SKEW, NOW + SKEW + 1, str(NOW), "\u202e", "\u0000"]


def mutate_claims(rng, header, claims):
    choice = rng.randrange(12)
    if choice == 0 and claims:
        del claims[rng.choice(list(claims))]
    elif choice == 1:
        claims[rng.choice(list(base_claims()) + ["nbf", "jti", "extra"])] = rng.choice(VALUES)
    elif choice == 2:
        name = rng.choice(["exp", "iat", "nbf"])
        claims[name] = NOW + rng.choice([-SKEW - 1, -SKEW, -SKEW + 1, 0, SKEW - 1, SKEW, SKEW + 1, -86_400, 86_400])
    elif choice == 3:
        claims["aud"] = rng.choice(["verifier", "Verifier", "other", ["other", "verifier"], ["other"], [], [1], "verifier "])
    elif choice == 4:
        claims["iss"] = rng.choice([ISSUER, ISSUER + "/", ISSUER.upper(), "HTTPS://Registry.Differential.Example",
                                    ISSUER + "//", "http://registry.differential.example", ISSUER + "/x", "registry.differential.example"])
    elif choice == 5:
        claims["tier"] = rng.choice(TIERS + ["Business_Verified", "gold", "", "issued "])
    elif choice == 6:
        header["alg"] = rng.choice(["EdDSA", "eddsa", "ES256", "none", "Ed25519", "HS256", None, 1])
    elif choice == 7:
        header["typ"] = rng.choice(["JWT", "jwt", "JWS", "at+jwt", "", 1, None])
    elif choice == 8:
        if rng.random() < 0.5:
            header.pop("kid", None)
        else:
            header["kid"] = rng.choice([KID, "other", "", 1, None, KID.upper()])
    elif choice == 9:
        header[rng.choice(FORBIDDEN_HEADER + ["x-extra", "nonce"])] = rng.choice(["x", True, [], {}])
    elif choice == 10:
        claims[rng.choice(["surfaces", "capabilities"])] = rng.choice([[], ["a"], "a", [1], None])
    else:
        claims[rng.choice(["operator", "key_id", "jti", "sub"])] = rng.choice(VALUES)


def text_mutations(rng, text):
    choice = rng.randrange(6)
    if choice == 0:  # a duplicate member
        return text[:-1] + ',"sub":"aii_other"}' if text.endswith("}") else text
    if choice == 1:  # numbers in other forms
        return re.sub(r'"exp":([0-9]+)', lambda m: f'"exp":{rng.choice([m.group(1) + ".0", m.group(1)[:-2] + "e2", m.group(1) + "e0"])}', text)
    if choice == 2:  # a lone surrogate in a string
        return text.replace('"operator":"', '"operator":"\\ud800', 1)
    if choice == 3:  # NaN
        return text.replace('"iat":', '"nan":NaN,"iat":', 1)
    if choice == 4:  # whitespace and escapes that change nothing
        return text.replace(",", " ,\n", 1).replace('"tier"', '"\\u0074ier"', 1)
    return text


def sign(private_key, header_text, claims_text):
    signing_input = f"{b64(header_text.encode())}.{b64(claims_text.encode())}"
    return signing_input + "." + b64(private_key.sign(signing_input.encode()))


def resigned(rng, private_key):
    header, claims = {"alg": "EdDSA", "typ": "JWT", "kid": KID}, base_claims()
    for _ in range(rng.randint(0, 3)):
        mutate_claims(rng, header, claims)
    header = {name: value for name, value in header.items() if value is not None or rng.random() < 0.5}
    header_text, claims_text = json.dumps(header, separators=(",", ":")), json.dumps(claims, separators=(",", ":"))
    if rng.random() < 0.25:
        claims_text = text_mutations(rng, claims_text)
    if rng.random() < 0.05:
        header_text = text_mutations(rng, header_text)
    return sign(private_key, header_text, claims_text)


def mangled(rng, token):
    characters = list(token)
    for _ in range(rng.randint(1, 3)):
        choice = rng.randrange(7)
        position = rng.randrange(len(characters) + 1)
        if choice == 0 and characters:
            characters[min(position, len(characters) - 1)] = rng.choice("AQgw_-=+/. \n\x00é")
        elif choice == 1:
            characters.insert(position, rng.choice("=+/ .\t"))
        elif choice == 2 and characters:
            del characters[min(position, len(characters) - 1)]
        elif choice == 3:
            characters = characters[:position]
        elif choice == 4:
            characters += list("=" * rng.randint(1, 2))
        elif choice == 5:
            parts = "".join(characters).split(".")
            rng.shuffle(parts)
            characters = list(".".join(parts))
        else:
            characters += list("." + "".join(characters).split(".")[0])
    return "".join(characters)


def main():
    gatehouse_fuzz = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 12_000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    rng = random.Random(seed)
    # The key comes from the seed too (from a generator of its own), so one seed is one run, byte for byte.
    private_key = Ed25519PrivateKey.from_private_bytes(random.Random(f"key-{seed}").randbytes(32))
    public_key = private_key.public_key()
    raw_public = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    valid = sign(private_key, json.dumps({"alg": "EdDSA", "typ": "JWT", "kid": KID}), json.dumps(base_claims()))
    tokens = [valid]
    while len(tokens) < count:
        tokens.append(resigned(rng, private_key) if rng.random() < 0.5 else mangled(rng, rng.choice(tokens[:50] or [valid])))
    tokens = [token.replace("\n", "") for token in tokens]  # one token per line
    with tempfile.NamedTemporaryFile("w", suffix=".json") as jwks:
        json.dump({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": b64(raw_public), "kid": KID}]}, jwks)
        jwks.flush()
        result = subprocess.run([gatehouse_fuzz, "verify-lines", jwks.name, ISSUER, str(NOW)], input="\n".join(tokens) + "\n",
                                capture_output=True, text=True, check=True)
    lines = result.stdout.splitlines()
    assert len(lines) == len(tokens), f"{len(lines)} verdicts for {len(tokens)} tokens"
    agreed, explained, unexplained = 0, collections.Counter(), []
    verified_both = 0
    for token, line in zip(tokens, lines):
        verdict, code = line.split("\t")
        gatehouse_verified = verdict == "verified"
        reference_verified = reference_accepts(token, public_key)
        if gatehouse_verified == reference_verified:
            agreed += 1
            verified_both += gatehouse_verified
            continue
        reason = intended(token, code, gatehouse_verified, reference_verified)
        if reason:
            explained[reason] += 1
        else:
            unexplained.append((token, verdict, code, reference_verified))
    print(f"tokens: {len(tokens)}; agreed: {agreed} (both verified: {verified_both}); "
          f"intended differences: {sum(explained.values())}; unexplained: {len(unexplained)}")
    for reason, number in explained.most_common():
        print(f"  {number:5d}  {reason}")
    for token, verdict, code, reference_verified in unexplained[:20]:
        header, payload = (b64_lenient(part) for part in (token.split(".") + ["", ""])[:2])
        print(f"UNEXPLAINED gatehouse={verdict} ({code}) reference={'verified' if reference_verified else 'refused'}\n"
              f"  header {header!r}\n  payload {payload!r}\n  token {token[:120]}…")
    sys.exit(1 if unexplained else 0)


if __name__ == "__main__":
    main()
