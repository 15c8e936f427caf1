#!/usr/bin/env bash
# The passport demo, fully offline: the verifier alone (no MCP servers): a private demo registry (keys made here with `gatehouse passport
# keygen`, DEMO ONLY) and five passports checked against it.
# (`make demo` shows the whole host on Profiles/demo.json.)
set -uo pipefail
cd "$(dirname "$0")/.."
gatehouse=.build/debug/gatehouse
registry=https://registry.demo.local
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

$gatehouse passport keygen --out "$work/registry" --kid demo-1 >/dev/null
issue() { $gatehouse passport issue --key "$work/registry/signing-key.jwk" --issuer "$registry" "$@"; }
now=$(date +%s)
good=$(issue --sub aii_demo_weather --surface mcp://weather.demo.local --tier business_verified --operator "Demo Weather Ltd")
expired=$(issue --sub aii_demo_old --surface mcp://old.demo.local --now $((now - 400 * 86400)) --ttl 365)
revoked=$(issue --sub aii_demo_revoked --surface mcp://revoked.demo.local --tier identity_verified)
printf '{"updated_at":"%s","revoked":[{"identity":"aii_demo_revoked","reason":"key compromise"}]}\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$work/registry/revocations.json"

verify() {
    local title=$1; shift
    printf '\n== %s\n' "$title"
    $gatehouse passport verify --registry "$registry" --jwks "$work/registry/jwks.json" \
        --revocations "$work/registry/revocations.json" "$@" | head -n 6
    printf '   (exit %s)\n' "${PIPESTATUS[0]}"
}
verify "a verified server, bound to its endpoint" "$good" --id aii_demo_weather --endpoint https://weather.demo.local/mcp
verify "an impersonator presenting that passport from another host" "$good" --id aii_demo_weather --endpoint https://weather-demo.evil.example/mcp
verify "an expired passport" "$expired" --id aii_demo_old
verify "a revoked identity" "$revoked" --id aii_demo_revoked
position=60
replacement=A; [ "${good:position:1}" = A ] && replacement=B
verify "a token changed after signing" "${good:0:position}${replacement}${good:position+1}" --id aii_demo_weather
printf '\nInspect without verifying:\n'
$gatehouse passport inspect "$good" | head -n 3
