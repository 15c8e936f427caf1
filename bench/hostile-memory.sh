#!/usr/bin/env bash
# Peak RSS of `gatehouse tools` against hostile_tools_server.py, and the size of the trust store it leaves
# (docs/robustness.md "Hostile tool lists"). Usage: bench/hostile-memory.sh [GATEHOUSE_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/debug/gatehouse}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_STATE_HOME=$work
server=$PWD/Tests/Scripts/servers/hostile_tools_server.py
for case in "fine" "many 200000" "paged 200000" "paged 10000" "huge 15" "big 32" "big 40" "deep 200" "deep 1000"; do
    args=$(printf '"%s",' $case)
    printf '{"mcpServers": {"h": {"command": "python3", "args": ["%s", %s], "timeouts": {"call": 5}}}}\n' \
        "$server" "${args%,}" > "$work/profile.json"
    /usr/bin/time -o "$work/time" -v "$binary" tools --profile "$work/profile.json" --trust-store "$work/trust.json" \
        > "$work/out" 2>&1 || true
    rss=$(awk '/Maximum resident/ {print $6}' "$work/time")
    code=$(grep -o -m1 'protocol\.[a-z_]*\|call\.[a-z_]*' "$work/out" || echo listed)
    printf '%-14s peak RSS %6d KiB  trust store %8d bytes  %s\n' "$case" "$rss" "$(stat -c %s "$work/trust.json")" "$code"
    rm -f "$work/trust.json"
done
