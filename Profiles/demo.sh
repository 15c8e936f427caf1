#!/usr/bin/env bash
# The offline demo, ending in the REPL: a private demo registry (DEMO ONLY: keys made here with `gatehouse passport keygen`,
# passports with `gatehouse passport issue`), five demo servers, and Profiles/demo.json.
#   verified stdio server (weather), verified Streamable HTTP server bound to its URL (tools),
#   a real third-party server without a passport (time: mcp-server-time, unverified),
#   a revoked identity (notes), and an impersonator presenting weather's passport for another surface.
set -uo pipefail
cd "$(dirname "$0")/.."
gatehouse=${GATEHOUSE:-.build/debug/gatehouse}  # the tests pass the binary they were built with
registry=Profiles/demo-registry
issuer=https://registry.demo.local

if [ ! -f "$registry/signing-key.jwk" ]; then
    $gatehouse passport keygen --out "$registry" --kid demo-1 >/dev/null || exit 2
fi
issue() { $gatehouse passport issue --key "$registry/signing-key.jwk" --issuer "$issuer" --ttl 30 "$@"; }
issue --sub aii_demo_weather --surface mcp://weather.demo.local --tier business_verified \
      --operator "Demo Weather Ltd" > "$registry/weather.jwt"
issue --sub aii_demo_tools --surface mcp://127.0.0.1:39531/mcp --tier identity_verified \
      --operator "Demo Tools" > "$registry/tools.jwt"
issue --sub aii_demo_notes --surface mcp://notes.demo.local --tier creator_verified --operator anon > "$registry/notes.jwt"
printf '{"updated_at":"%s","revoked":[{"identity":"aii_demo_notes","reason":"demo: key compromise"}]}\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$registry/revocations.json"

# The HTTP demo server runs for as long as the demo does.
.venv/bin/python Profiles/servers/demo_server.py tools --http 39531 --passport "$registry/tools.jwt" \
    --id aii_demo_tools --registry "$issuer" >/dev/null 2>&1 &
http_server=$!
# SIGKILL: a shell started from some programs (a Swift test, say) passes on a blocked SIGTERM.
trap 'kill -KILL $http_server 2>/dev/null; wait $http_server 2>/dev/null' EXIT INT TERM HUP
for _ in $(seq 1 100); do
    (exec 3<>/dev/tcp/127.0.0.1/39531) 2>/dev/null && break
    sleep 0.1
done

export GATEHOUSE_STATE="${XDG_STATE_HOME:-$HOME/.local/state}/gatehouse-demo"
if [ -t 0 ]; then
    echo "Try: tools --all · trust notes · describe weather.get_forecast · weather.get_forecast city=Oslo days=3"
    echo "     tools.slow_task seconds=10 then Ctrl-C · allow time · time.get_current_time timezone=UTC · quit"
    $gatehouse repl --profile Profiles/demo.json --trust-store "$GATEHOUSE_STATE/trust.json" "$@"
else
    $gatehouse tools --profile Profiles/demo.json --all --trust-store "$GATEHOUSE_STATE/trust.json" "$@"
    echo "(exit $?: 1 means some servers are kept out by the trust policy, as the demo intends)"
fi
