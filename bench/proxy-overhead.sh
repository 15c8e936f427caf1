#!/usr/bin/env bash
# What `gatehouse proxy` adds per call between a host and a server (SPEC §8 "Overhead"), on this machine:
#   bash bench/proxy-overhead.sh [COUNT]      (default 5000 sequential calls; release build)
# The host is bench/rawclient.c (the floor: pipes and hand-written JSON-RPC). Each upstream — the native
# echo server and the Python SDK's — is called directly and through the proxy. Latency: the client's
# per-call medians. CPU: the server side's user+system time (the proxy's includes its upstream's), divided
# by COUNT; the difference is what the proxy costs, its start-up included. Start-up: from starting the server
# (or the proxy) to the answer of the first tools/list after the handshake, on a native server whose passport
# the proxy verifies (fresh registry key, revocation list), 20 runs each, medians.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-5000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
swift build -c release --product gatehouse >/dev/null
cc -O2 -o "$work/echo_server" bench/echo_server.c
cc -O2 -o "$work/rawclient" bench/rawclient.c
python=.venv/bin/python3
params='{"name":"echo","arguments":{"text":"hello"}}'
.build/release/gatehouse passport keygen --out "$work/registry" --kid bench >/dev/null
token=$(.build/release/gatehouse passport issue --key "$work/registry/signing-key.jwk" --issuer https://registry.bench \
    --sub aii_proxy_bench --surface mcp://echo.bench --tier business_verified --operator "Bench Ltd" --ttl 2)
echo '{"updated_at": "2026-01-01T00:00:00Z", "revoked": []}' > "$work/registry/revocations.json"
block="{\"id\":\"aii_proxy_bench\",\"passport\":\"$token\",\"registry\":\"https://registry.bench\"}"
cat > "$work/profile.json" <<JSON
{"registries": [{"issuer": "https://registry.bench", "jwks": "$work/registry/jwks.json", "revocations": "$work/registry/revocations.json"}],
 "mcpServers": {
  "verified": {"command": "$work/echo_server", "env": {"ECHO_IDENTITY": $(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$block")},
               "trust": {"surface": "mcp://echo.bench"}},
  "native": {"command": "$work/echo_server", "trust": {"allowUnverified": true}},
  "sdk": {"command": "$PWD/$python", "args": ["$PWD/bench/sdk_echo_server.py"], "trust": {"allowUnverified": true}}
}}
JSON
run() {  # NAME COMMAND...: one run, its client report and its server-side CPU
    local name=$1; shift
    "$work/rawclient" "$count" "$params" -- /usr/bin/time -f "%U %S" -o "$work/$name.time" "$@" > "$work/$name.json"
}
for upstream in native sdk; do
    if [ "$upstream" = native ]; then direct=("$work/echo_server"); else direct=("$PWD/$python" "$PWD/bench/sdk_echo_server.py"); fi
    run "$upstream-direct" "${direct[@]}"
    run "$upstream-proxy" .build/release/gatehouse proxy --profile "$work/profile.json" "$upstream" --trust-store "$work/trust.json"
done
for index in $(seq 1 20); do
    RAWCLIENT_METHOD=tools/list "$work/rawclient" 1 '{}' -- env ECHO_IDENTITY="$block" "$work/echo_server" > "$work/start-direct-$index.json"
    RAWCLIENT_METHOD=tools/list "$work/rawclient" 1 '{}' -- .build/release/gatehouse proxy --profile "$work/profile.json" verified \
        --trust-store "$work/start-trust.json" > "$work/start-proxy-$index.json" 2>/dev/null
    grep -q '"latencies_us"' "$work/start-proxy-$index.json"
done
python3 - "$work" "$count" <<'PY'
import json, statistics, sys
work, count = sys.argv[1], int(sys.argv[2])
starts = {side: [json.load(open(f"{work}/start-{side}-{index}.json"))["start_to_first_s"] * 1e3 for index in range(1, 21)]
          for side in ("direct", "proxy")}
for side, values in starts.items():
    print(f"start to first tools/list, {side}: {statistics.median(values):.1f} ms ({min(values):.1f}–{max(values):.1f}), verified native server")
def load(name):
    report = json.load(open(f"{work}/{name}.json"))
    user, system = (float(x) for x in open(f"{work}/{name}.time").read().split()[-2:])
    return statistics.median(report["latencies_us"]), (user + system) / count * 1e6
print(f"{count} sequential tools/call, rawclient as the host")
print(f"{'upstream':8} {'direct µs':>10} {'proxy µs':>10} {'added µs':>9} {'direct CPU µs':>14} {'proxy CPU µs':>13} {'added CPU µs':>13}")
for upstream in ("native", "sdk"):
    (dl, dc), (pl, pc) = load(f"{upstream}-direct"), load(f"{upstream}-proxy")
    print(f"{upstream:8} {dl:10.1f} {pl:10.1f} {pl - dl:9.1f} {dc:14.1f} {pc:13.1f} {pc - dc:13.1f}")
PY
