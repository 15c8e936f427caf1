#!/usr/bin/env bash
# What `gatehouse proxy` adds per call between a host and a server (SPEC §8 "Overhead"), on this machine:
#   bash bench/proxy-overhead.sh [COUNT] [ROUNDS] [JSON]   (default 5000 sequential calls, 3 rounds; release build)
# With JSON, the figures are also written there (make bench: bench/run.sh, rendered into docs/performance.md).
# The host is bench/rawclient.c (the floor: pipes and hand-written JSON-RPC). Each upstream — the native
# echo server and the Python SDK's — is called directly and through the proxy. Latency: the client's
# per-call medians. CPU: the server side's user+system time (the proxy's includes its upstream's), divided
# by COUNT; the difference is what the proxy costs, its start-up included. Start-up: from starting the server
# (or the proxy) to the answer of the first tools/list after the handshake, on a native server whose passport
# the proxy verifies (fresh registry key, revocation list), 20 runs each, medians. Each upstream is called
# in one era on both sides (native: legacy; SDK: 2026-07-28; see below).
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-5000}
rounds=${2:-3}
json_out=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
swift build -c release --static-swift-stdlib --product gatehouse >/dev/null
cc -O2 -o "$work/echo_server" bench/echo_server.c
cc -O2 -o "$work/rawclient" bench/rawclient.c
python=.venv/bin/python3
params='{"name":"echo","arguments":{"text":"hello"}}'
# Like with like: each upstream is called in the era the proxy speaks to it, directly and through the proxy.
# The native echo server answers server/discover with "method not found", so the proxy falls back to the
# legacy era there, as rawclient does by default. The SDK server speaks 2026-07-28, which the proxy
# negotiates upstream, so rawclient speaks it too (server/discover, the era's _meta on every call) on both
# sides; the proxy answers it downstream in that era.
modern_meta='{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"rawclient","version":"1"}}'
modern_params="{\"name\":\"echo\",\"arguments\":{\"text\":\"hello\"},\"_meta\":$modern_meta}"
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
run() {  # NAME COMMAND...: one run, its client report and its server-side CPU (sdk-*: in the 2026-07-28 era)
    local name=$1; shift
    if [[ $name == sdk-* ]]; then
        RAWCLIENT_META="$modern_meta" "$work/rawclient" "$count" "$modern_params" -- /usr/bin/time -f "%U %S" -o "$work/$name.time" "$@" > "$work/$name.json"
    else
        "$work/rawclient" "$count" "$params" -- /usr/bin/time -f "%U %S" -o "$work/$name.time" "$@" > "$work/$name.json"
    fi
}
for round in $(seq 1 "$rounds"); do  # direct and proxied alternate, so a change in the machine's load hits both
    for upstream in native sdk; do
        if [ "$upstream" = native ]; then direct=("$work/echo_server"); else direct=("$PWD/$python" "$PWD/bench/sdk_echo_server.py"); fi
        run "$upstream-direct-$round" "${direct[@]}"
        run "$upstream-proxy-$round" .build/release/gatehouse proxy --profile "$work/profile.json" "$upstream" --trust-store "$work/trust.json"
    done
done
for index in $(seq 1 20); do
    RAWCLIENT_METHOD=tools/list "$work/rawclient" 1 '{}' -- env ECHO_IDENTITY="$block" "$work/echo_server" > "$work/start-direct-$index.json"
    RAWCLIENT_METHOD=tools/list "$work/rawclient" 1 '{}' -- .build/release/gatehouse proxy --profile "$work/profile.json" verified \
        --trust-store "$work/start-trust.json" > "$work/start-proxy-$index.json" 2>/dev/null
    grep -q '"latencies_us"' "$work/start-proxy-$index.json"
done
python3 - "$work" "$count" "$rounds" "$json_out" <<'PY'
import json, statistics, sys
work, count, rounds, json_out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
starts = {side: [json.load(open(f"{work}/start-{side}-{index}.json"))["start_to_first_s"] * 1e3 for index in range(1, 21)]
          for side in ("direct", "proxy")}
for side, values in starts.items():
    print(f"start to first tools/list, {side}: {statistics.median(values):.1f} ms ({min(values):.1f}–{max(values):.1f}), verified native server")
def load(name):
    report = json.load(open(f"{work}/{name}.json"))
    user, system = (float(x) for x in open(f"{work}/{name}.time").read().split()[-2:])
    return statistics.median(report["latencies_us"]), (user + system) / count * 1e6
def spread(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}
result = {"count": count, "rounds": rounds, "start_ms": {side: spread(values) for side, values in starts.items()}, "upstreams": {}}
print(f"{count} sequential tools/call, rawclient as the host; medians of {rounds} rounds (min–max of the added figures);"
      " native in the legacy era, sdk in 2026-07-28, on both sides")
print(f"{'upstream':8} {'direct µs':>10} {'proxy µs':>10} {'added µs':>16} {'direct CPU µs':>14} {'proxy CPU µs':>13} {'added CPU µs':>16}")
for upstream in ("native", "sdk"):
    pairs = [(load(f"{upstream}-direct-{r}"), load(f"{upstream}-proxy-{r}")) for r in range(1, rounds + 1)]
    figures = {"direct_us": [d[0] for d, _ in pairs], "proxy_us": [p[0] for _, p in pairs],
               "added_us": [p[0] - d[0] for d, p in pairs], "direct_cpu_us": [d[1] for d, _ in pairs],
               "proxy_cpu_us": [p[1] for _, p in pairs], "added_cpu_us": [p[1] - d[1] for d, p in pairs]}
    result["upstreams"][upstream] = {key: spread(values) for key, values in figures.items()}
    m = {key: value["median"] for key, value in result["upstreams"][upstream].items()}
    added, cpu = result["upstreams"][upstream]["added_us"], result["upstreams"][upstream]["added_cpu_us"]
    print(f"{upstream:8} {m['direct_us']:10.1f} {m['proxy_us']:10.1f} {m['added_us']:6.1f} ({added['min']:.0f}–{added['max']:.0f})"
          f" {m['direct_cpu_us']:14.1f} {m['proxy_cpu_us']:13.1f} {m['added_cpu_us']:6.1f} ({cpu['min']:.0f}–{cpu['max']:.0f})")
if json_out:
    json.dump(result, open(json_out, "w"), indent=1)
PY
