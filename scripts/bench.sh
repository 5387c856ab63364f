#!/usr/bin/env bash
# Reruns every benchmark: the criterion benches of the crate, the paired ratio
# bench, the peer comparison in benches/peers, then writes the tables and the
# throughput plot.
#
# Usage: scripts/bench.sh [--load]
#   --load   also runs scripts/load.sh (about 2 minutes more by default)
#
# Criterion stores its results under $CARGO_TARGET_DIR/criterion (target/criterion by
# default) and under the peers package's target directory. The Markdown tables go to
# stdout and to target/bench-report.md; the plot to benches/throughput.png. Needs
# python3 with matplotlib for the plot (`pip install matplotlib`).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
main_target=${CARGO_TARGET_DIR:-$root/target}
peers_target=${PEERS_TARGET_DIR:-$root/benches/peers/target}

echo "== machine"
lscpu | grep -E '^(Model name|CPU\(s\)|Thread\(s\) per core|Flags)' | sed 's/Flags:.*sha_ni.*/Flags: ... sha_ni .../'
rustc --version
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== criterion benches of the crate"
cargo bench --bench signature --bench events --bench layer

echo "== paired ratios"
cargo bench --bench paired | grep '^|' >"$main_target/paired.md"
cat "$main_target/paired.md"

echo "== peer comparison"
(cd benches/peers && CARGO_TARGET_DIR=$peers_target cargo bench --bench peers)
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

{
    python3 scripts/bench_report.py "$main_target/criterion" "$peers_target/criterion" \
        benches/throughput.png
    echo
    echo "## Paired ratios"
    echo
    cat "$main_target/paired.md"
} | tee "$main_target/bench-report.md"

if [ "${1:-}" = --load ]; then
    scripts/load.sh
fi
