#!/usr/bin/env bash
# Fuzzes every kind of outside input refd reads (or the kinds named) with libFuzzer, from the
# seeds in Fuzz/Seeds and the inputs in Fuzz/Regressions, and reports the executions per kind.
#
#   Fuzz/run.sh --runs 2000 --seed 1   # every kind, 2,000 inputs from a fixed seed (make test):
#                                      # the same inputs on every run, so CI is repeatable
#   Fuzz/run.sh --seconds 60           # every kind for a minute
#   Fuzz/run.sh --runs 1000000 osm-xml # one kind for a million executions (make fuzz)
#
# A crash, a hang (over 10 s) or a run over 2 GB stops that kind, leaves the input under
# .build-fuzz/crashes/, and makes the script exit 1: reproduce it with
# `swift run suginami-fuzz KIND FILE`, fix it, and keep the input in Fuzz/Regressions/KIND/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/opt/swift/usr/bin"

budget=(-max_total_time=5)
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) budget=(-max_total_time="$2" "${budget[@]:1}"); shift 2 ;;
        --runs) budget=(-runs="$2" "${budget[@]:1}"); shift 2 ;;
        --seed) budget+=(-seed="$2"); shift 2 ;;
        *) break ;;
    esac
done
if [ $# -gt 0 ]; then
    kinds=("$@")
else
    mapfile -t kinds < <({ ls Fuzz/Seeds | grep -v '\.txt$'; grep -v '^#' Fuzz/Seeds/repository-files.txt | cut -d' ' -f1; } | sort -u)
fi

configuration="${FUZZ_CONFIGURATION:-release}"
swift build -c "$configuration" --product suginami-fuzz --scratch-path .build-fuzz --sanitize=fuzzer \
    -Xswiftc -DFUZZING -Xswiftc -use-ld=lld
binary=".build-fuzz/$configuration/suginami-fuzz"

mkdir -p .build-fuzz/crashes .build-fuzz/logs
# The readers that take a path get their temporary files here, removed at the end.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
status=0
passed=0
failed=0
printf '%-24s %12s %10s  %s\n' kind executions "exec/s" result
for kind in "${kinds[@]}"; do
    corpus=".build-fuzz/corpus/$kind"
    mkdir -p "$corpus"
    [ -d "Fuzz/Seeds/$kind" ] && cp -n "Fuzz/Seeds/$kind"/* "$corpus"/ 2>/dev/null || true
    [ -d "Fuzz/Regressions/$kind" ] && cp -n "Fuzz/Regressions/$kind"/* "$corpus"/ 2>/dev/null || true
    for path in $(awk -v kind="$kind" '$1 == kind { print $2 }' Fuzz/Seeds/repository-files.txt); do
        cp -n "$path" "$corpus/" 2>/dev/null || true
    done
    log=".build-fuzz/logs/$kind.log"
    result=ok
    TMPDIR="$scratch" SUGINAMI_FUZZ_TARGET="$kind" SWIFT_BACKTRACE=enable=no "$binary" "${budget[@]}" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix=".build-fuzz/crashes/$kind-" "$corpus" > "$log" 2>&1 \
        || { result="FAILED: $(grep -o 'Test unit written to .*' "$log" | head -1 | cut -d' ' -f5-) (log $log)"; status=1; }
    if [ "$result" = ok ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
    executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    printf '%-24s %12s %10s  %s\n' "$kind" "$executions" "$speed" "$result"
done
echo "fuzz: $passed passed, $failed failed"
exit $status
