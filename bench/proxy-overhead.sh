#!/usr/bin/env bash
# What `gatehouse proxy` adds per call between a host and a server (SPEC §8 "Overhead"), on this machine:
#   bash bench/proxy-overhead.sh [COUNT]      (default 5000 sequential calls; release build)
# The host is bench/rawclient.c (the floor: pipes and hand-written JSON-RPC). Each upstream — the native
# echo server and the Python SDK's — is called directly and through the proxy. Latency: the client's
# per-call medians. CPU: the server side's user+system time (the proxy's includes its upstream's), divided
# by COUNT; the difference is what the proxy costs, its start-up included.
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
cat > "$work/profile.json" <<JSON
{"mcpServers": {
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
python3 - "$work" "$count" <<'PY'
import json, statistics, sys
work, count = sys.argv[1], int(sys.argv[2])
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
