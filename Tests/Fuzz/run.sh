#!/usr/bin/env bash
# `make fuzz`: builds gatehouse-fuzz with libFuzzer and AddressSanitizer (release, scratch .build-fuzz) and
# runs every target for FUZZ_SECONDS (default 120) from its committed seed corpus. An input that crashes,
# hangs (> 10 s) or needs over 2 GiB is written to Tests/Fuzz/Regressions/TARGET/, where `swift test` runs it
# from then on; commit it with the fix. Executions per target go into docs/robustness.md.
#   FUZZ_SECONDS=3600 FUZZ_TARGETS="jws stdio" make fuzz
set -uo pipefail
cd "$(dirname "$0")/../.."
seconds=${FUZZ_SECONDS:-120}
targets=${FUZZ_TARGETS:-"jws jwks revocations stdio sse profile terminal"}
echo "building gatehouse-fuzz with -sanitize=fuzzer,address…" >&2
swift build -c release --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DGATEHOUSE_LIBFUZZER \
    --product gatehouse-fuzz 2>&1 | grep -v "Cannot export local symbol" | tail -1 >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
results=()
for target in $targets; do
    mkdir -p "$work/$target" "Tests/Fuzz/Regressions/$target"
    cp Tests/Fuzz/Corpus/"$target"/* "$work/$target/"
    echo "fuzzing $target for $seconds s…" >&2
    GATEHOUSE_FUZZ_TARGET=$target .build-fuzz/release/gatehouse-fuzz -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="Tests/Fuzz/Regressions/$target/" "$work/$target" \
        > "$work/$target.log" 2>&1
    status=$?
    runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$work/$target.log" | tail -1)
    coverage=$(grep -oE 'cov: [0-9]+' "$work/$target.log" | tail -1 | cut -d' ' -f2)
    corpus=$(ls "$work/$target" | wc -l)
    if [ "$status" -eq 0 ]; then outcome="no crash"; else outcome="**FAILED** (exit $status; see Tests/Fuzz/Regressions/$target/)"; failed=1; tail -30 "$work/$target.log" >&2; fi
    echo "$target: ${runs:-?} executions, coverage ${coverage:-?}, corpus $corpus, $outcome" >&2
    results+=("| \`$target\` | ${runs:-?} | ${coverage:-?} | $corpus | $outcome |")
done
{
    echo "<!-- fuzz-results: written by make fuzz -->"
    echo "Last \`make fuzz\`: $(date -u +%Y-%m-%d), $seconds s per target, $(nproc) cores, release build with libFuzzer and ASan."
    echo
    echo "| target | executions | coverage (edges) | corpus after | result |"
    echo "|---|---|---|---|---|"
    printf '%s\n' "${results[@]}"
    echo "<!-- end fuzz-results -->"
} > "$work/table.md"
python3 - "$work/table.md" <<'PY'
import re, sys
table = open(sys.argv[1]).read().strip()
path = "docs/robustness.md"
text = open(path).read()
text = re.sub(r"<!-- fuzz-results.*?<!-- end fuzz-results -->", lambda _: table, text, flags=re.S)
open(path, "w").write(text)
PY
cat "$work/table.md"
exit $failed
