#!/usr/bin/env bash
# Audits N stdio servers that each take DELAY s per handshake request, and prints the wall time.
#   bash bench/fleet-audit.sh [N=50] [DELAY=0.5]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-50}
delay=${2:-0.5}
python=$(python3 -c "import sys; print(sys.executable)")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{
    printf '{"trust": {"mode": "warn"}, "mcpServers": {'
    for index in $(seq 1 "$count"); do
        [ "$index" -gt 1 ] && printf ','
        printf '"s%03d": {"command": "%s", "args": ["bench/slow_server.py", "%s"]}' "$index" "$python" "$delay"
    done
    printf '}}\n'
} > "$work/fleet.json"
swift build -c release --static-swift-stdlib --product gatehouse >/dev/null
start=$(date +%s.%N)
.build/release/gatehouse audit --profile "$work/fleet.json" --trust-store "$work/trust.json" --parallel 64 --format json > "$work/report.json" || true
end=$(date +%s.%N)
python3 - "$work/report.json" "$start" "$end" "$count" "$delay" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
connected = sum(1 for s in report["servers"] if s["connection"]["status"] == "connected")
print(f"{sys.argv[4]} servers, {sys.argv[5]} s per handshake request: {connected} connected and verified in "
      f"{float(sys.argv[3]) - float(sys.argv[2]):.2f} s")
PY
