#!/usr/bin/env bash
# `make bench`: builds in release mode, runs every benchmark with its peers side by side, prints the
# results and writes docs/performance.md (command, machine, date, medians and spreads, ratios, targets).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
started=$(date +%s)
# The binary measured is the one `make install` ships: release, Swift's runtime linked statically.
echo "building (release, --static-swift-stdlib)…" >&2
swift build -c release --static-swift-stdlib --product gatehouse-bench >/dev/null
swift build -c release --static-swift-stdlib --product gatehouse >/dev/null
cc -O2 -o "$work/echo_server" bench/echo_server.c
cc -O2 -o "$work/rawclient" bench/rawclient.c
echo "passport verification…" >&2
.build/release/gatehouse-bench verify "$work" > "$work/swift.json"
.venv/bin/python bench/pyjwt_verify.py "$work" 15 2000 > "$work/pyjwt.json"
echo "10 000 distinct passports from 1 and 2 tasks…" >&2
.build/release/gatehouse-bench batch > "$work/batch.json"
echo "fleet audit of 50 slow-handshake servers…" >&2
for run in 1 2 3; do bash bench/fleet-audit.sh 50 0.5 | sed -E 's/.* in ([0-9.]+) s/\1/' >> "$work/fleet.txt"; done
python3 bench/host_bench.py "$work" "$work/host.json"
echo "gatehouse proxy: added latency, CPU and start-up…" >&2
bash bench/proxy-overhead.sh 5000 3 "$work/proxy.json" >&2
python3 bench/render.py "$work" "$(( $(date +%s) - started ))" > docs/performance.md
cat docs/performance.md
