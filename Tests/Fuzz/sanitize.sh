#!/usr/bin/env bash
# `make sanitize`: the whole test suite under AddressSanitizer, then under ThreadSanitizer, each in its own
# build folder (.build-asan, .build-tsan). Prints each run's closing line; exits non-zero if either fails.
#   SANITIZERS="thread" make sanitize
set -uo pipefail
cd "$(dirname "$0")/../.."
failed=0
for sanitizer in ${SANITIZERS:-address thread}; do
    short=${sanitizer:0:1}san
    echo "== swift test --sanitize=$sanitizer (scratch .build-$short)" >&2
    log=$(mktemp)
    # Under ThreadSanitizer, Locked is a pthread mutex (Sources/Locking: TSan cannot see Mutex's futexes).
    defines=()
    [ "$sanitizer" = thread ] && defines=(-Xswiftc -DGATEHOUSE_TSAN)
    # Sanitized processes are several times slower: SPEC's timing bounds get GATEHOUSE_TIMING_SLACK seconds
    # more here (TestTiming.slack); the ordinary suite checks them exactly.
    GATEHOUSE_TIMING_SLACK=${GATEHOUSE_TIMING_SLACK:-2} \
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=0} \
        swift test --sanitize="$sanitizer" --scratch-path ".build-$short" "${defines[@]}" > "$log" 2>&1
    status=$?
    reports=$(grep -cE '^ *(==[0-9]+==ERROR: AddressSanitizer|WARNING: ThreadSanitizer)' "$log")
    grep -E '^ *(SUMMARY: |==[0-9]+==ERROR)' "$log" | sort | uniq -c | sort -rn | head -20
    tail -1 "$log"
    echo "$sanitizer: exit $status, $reports sanitizer reports (log: $log)" >&2
    if [ "$status" -ne 0 ] || [ "$reports" -ne 0 ]; then failed=1; fi
done
exit $failed
