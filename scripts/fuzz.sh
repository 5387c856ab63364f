#!/usr/bin/env bash
# Runs each cargo-fuzz target in turn, at the lowest CPU priority, and prints the
# executions and crashes of each run.
#
# Usage: scripts/fuzz.sh [RUNS] [MAX_SECONDS] [TARGET...]
#   RUNS         executions per target (default 10000000)
#   MAX_SECONDS  time bound per target, whichever comes first (default 1800)
#   TARGET       targets to run (default: all four)
#
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Seeds are
# written by scripts/fuzz-seeds.py into fuzz/corpus/, which git ignores; the corpus
# grows as the fuzzer finds new inputs. Crashes land in fuzz/artifacts/<target>/.
#
# The targets are built without a sanitizer because the crate forbids unsafe code;
# debug assertions stay on so that integer overflow panics.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-10000000}
max_seconds=${2:-1800}
shift $(( $# < 2 ? $# : 2 ))
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(header_parser verify_signature event_parser tower_service)
fi

python3 "$root/scripts/fuzz-seeds.py"
cd "$root/fuzz"
logs=${FUZZ_LOG_DIR:-"$root/fuzz/logs"}
mkdir -p "$logs"

echo "source: $(git -C "$root" log -1 --format='%h, %cd' 2>/dev/null || echo 'not a git checkout')$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ', with uncommitted changes')"
status=0
for target in "${targets[@]}"; do
    log="$logs/$target.log"
    echo "== $target: up to $runs executions or $max_seconds s; log in $log"
    set +e
    nice -n 19 cargo +nightly fuzz run --sanitizer none --debug-assertions "$target" -- \
        -runs="$runs" -max_total_time="$max_seconds" -print_final_stats=1 >"$log" 2>&1
    code=$?
    set -e
    executed=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    seconds=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o '[0-9]* second' | grep -o '[0-9]*' || echo "?")
    echo "$target: exit $code, $executed executions, ${seconds} s"
    if [ "$code" -ne 0 ]; then
        grep -E 'panicked at|Test unit written' "$log" || true
        status=1
    fi
done
exit $status
