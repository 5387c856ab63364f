#!/usr/bin/env bash
# Load test of the receiver example on 127.0.0.1 with wrk, then a throughput
# comparison with the baselines of the `bare` example: a handler that only reads the
# body (`bare`), one that also checks the signature (`signature`), and one that
# verifies the whole delivery without the layer (`verify`).
#
# Usage: scripts/load.sh [DURATION_SECONDS]
#
#   DURATION_SECONDS   length of the mixed run, as the argument or the DURATION
#                      variable (default 60)
#   COMPARE_SECONDS    length of each comparison run at 1 KiB (default 15)
#   ROUNDS             comparison rounds, each a run of bare, signature, verify and
#                      receiver in that order (default 2)
#   CONNECTIONS        open connections (default 32); THREADS: wrk threads (default 1)
#   RSS_GROWTH_LIMIT_MIB  largest receiver RSS growth from after the warm-up to the
#                      end of the mixed run before the script fails (default 32)
#   PIN                1 (the default on machines with 2 or more CPUs) runs wrk on CPU 0
#                      and the servers on the other CPUs, with one tokio worker per
#                      server CPU. The load generator and the server under test then
#                      do not take CPU time from each other. 0 lets the kernel place them,
#                      and each server gets tokio's default of one worker per CPU.
#
# The mixed run rotates through valid, forged, stale, malformed and oversized
# deliveries (see scripts/load_requests.py for the shares). All four servers are started
# and stopped by this script, on free loopback ports; nothing else is contacted.
# Needs wrk (`apt-get install -y wrk`), python3, curl and taskset (util-linux), which
# the script checks for even with PIN=0.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
duration=${1:-${DURATION:-60}}
compare_seconds=${COMPARE_SECONDS:-15}
rounds=${ROUNDS:-2}
connections=${CONNECTIONS:-32}
threads=${THREADS:-1}
rss_growth_limit_mib=${RSS_GROWTH_LIMIT_MIB:-32}
cpus=$(nproc)
if [ "$cpus" -ge 2 ]; then pin=${PIN:-1}; else pin=0; fi
if [ "$pin" = 1 ]; then
    wrk_cpus=(taskset -c 0)
    server_cpus=(taskset -c "1-$((cpus - 1))")
    export TOKIO_WORKER_THREADS=$((cpus - 1))
else
    wrk_cpus=()
    server_cpus=()
fi
clock_ticks=$(getconf CLK_TCK)
warmup_seconds=5
secret="whsec_load_$(date +%s)"

for tool in wrk python3 curl taskset; do
    if ! command -v "$tool" >/dev/null; then
        echo "error: $tool is not installed (wrk: apt-get install -y wrk; taskset: apt-get install -y util-linux)" >&2
        exit 1
    fi
done

cd "$root"
echo "== building the examples in release mode"
cargo build --release --quiet --example receiver --example bare
bin_dir="${CARGO_TARGET_DIR:-$root/target}/release/examples"

work=$(mktemp -d)
pids=()

stop_servers() {
    for pid in "${pids[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -INT "$pid" 2>/dev/null || true
            for _ in $(seq 50); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    pids=()
}
trap 'stop_servers; rm -rf "$work"' EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server NAME EXAMPLE [CHECK]: starts an example on a free port and sets
# `server_pid` and `url`. CHECK is passed on to the `bare` example.
start_server() {
    local name=$1 example=$2 check=${3:-none} port
    port=$(free_port)
    REACHCELL_WEBHOOK_SECRET=$secret BIND_ADDR="127.0.0.1:$port" RUST_LOG=warn CHECK=$check \
        "${server_cpus[@]}" "$bin_dir/$example" >"$work/$name.log" 2>&1 &
    server_pid=$!
    pids+=("$server_pid")
    url="http://127.0.0.1:$port/webhooks/reachcell"
    for _ in $(seq 100); do
        if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
            return
        fi
        if ! kill -0 "$server_pid" 2>/dev/null; then
            echo "error: $name exited at start:" >&2
            cat "$work/$name.log" >&2
            exit 1
        fi
        sleep 0.1
    done
    echo "error: $name did not listen on 127.0.0.1:$port within 10 s" >&2
    exit 1
}

rss_kib() {
    awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

# cpu_ticks PID: user plus system CPU time of a process so far, in clock ticks.
cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# run_wrk MIX SECONDS URL: writes fresh deliveries, runs wrk and prints its RESULT json.
run_wrk() {
    local mix=$1 seconds=$2 target=$3
    python3 scripts/load_requests.py "$mix" "$secret" "$work/$mix.lua" >&2
    "${wrk_cpus[@]}" wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 5s \
        -s scripts/load.lua "$target" -- "$work/$mix.lua" >"$work/wrk.out" 2>&1 || {
        cat "$work/wrk.out" >&2
        exit 1
    }
    grep '^RESULT ' "$work/wrk.out" | sed 's/^RESULT //'
}

# field JSON PATH: prints one value of a RESULT json, such as `latency_us.p99`;
# an object is printed as `key: value` pairs.
field() {
    python3 -c 'import json, sys
value = json.loads(sys.argv[1])
for key in sys.argv[2].split("."):
    value = value[key]
if isinstance(value, dict):
    value = ", ".join(f"{key}: {count}" for key, count in value.items())
print(value)' "$1" "$2"
}

declare -A server_pids server_urls
for name in receiver bare signature verify; do
    case $name in
        receiver) start_server receiver receiver ;;
        bare) start_server bare bare none ;;
        *) start_server "$name" bare "$name" ;;
    esac
    server_pids[$name]=$server_pid
    server_urls[$name]=$url
done
receiver_pid=${server_pids[receiver]}
receiver_url=${server_urls[receiver]}

# An unsigned delivery must get 400, or a server that should verify is not verifying.
for name in receiver signature verify; do
    unsigned_status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -d '{}' "${server_urls[$name]}")
    if [ "$unsigned_status" != 400 ]; then
        echo "error: $name responded with $unsigned_status to an unsigned delivery, expected 400" >&2
        exit 1
    fi
done

rss_start=$(rss_kib "$receiver_pid")
echo "== warm-up: $warmup_seconds s of mixed deliveries"
run_wrk mixed "$warmup_seconds" "$receiver_url" >/dev/null
rss_warm=$(rss_kib "$receiver_pid")

echo "== mixed run: $duration s, $connections connections, $threads wrk thread(s)"
mixed=$(run_wrk mixed "$duration" "$receiver_url")
rss_end=$(rss_kib "$receiver_pid")
echo "$mixed"

# The receiver was warmed up by the mixed run; each baseline gets the same length of
# valid deliveries, so none starts the comparison cold.
baselines=(bare signature verify)
for name in "${baselines[@]}"; do
    run_wrk valid1k "$warmup_seconds" "${server_urls[$name]}" >/dev/null
done

echo "== comparison at 1 KiB: $rounds round(s) of $compare_seconds s per server"
comparison_rows=()
declare -A ratios
for round in $(seq "$rounds"); do
    bare_rps=0
    for name in "${baselines[@]}" receiver; do
        pid=${server_pids[$name]}
        ticks_before=$(cpu_ticks "$pid")
        result=$(run_wrk valid1k "$compare_seconds" "${server_urls[$name]}")
        ticks=$(( $(cpu_ticks "$pid") - ticks_before ))
        rps=$(field "$result" requests_per_second)
        cpu_us=$(python3 -c "print(f'{$ticks * 1e6 / $clock_ticks / $(field "$result" requests):.1f}')")
        if [ "$name" = bare ]; then
            bare_rps=$rps
            ratio=1
        else
            ratio=$(python3 -c "print(f'{$rps / $bare_rps:.3f}')")
            ratios[$name]+="$ratio "
        fi
        comparison_rows+=("| $round | $name | $rps | $ratio | $(field "$result" latency_us.p50) | $(field "$result" latency_us.p99) | $cpu_us | $(field "$result" statuses) |")
    done
done

echo
echo "## Mixed run"
echo
echo "| requests | requests/s | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs | statuses | wrk errors |"
echo "|---|---|---|---|---|---|---|---|---|"
echo "| $(field "$mixed" requests) | $(field "$mixed" requests_per_second) | $(field "$mixed" latency_us.p50) | $(field "$mixed" latency_us.p90) | $(field "$mixed" latency_us.p99) | $(field "$mixed" latency_us.p999) | $(field "$mixed" latency_us.max) | $(field "$mixed" statuses) | $(field "$mixed" errors) |"
echo
echo "Receiver RSS: $rss_start KiB at start, $rss_warm KiB after the warm-up, $rss_end KiB at the end."
echo
echo "## Receiver and baselines against the bare handler, valid 1 KiB deliveries"
echo
if [ "$pin" = 1 ]; then
    if [ "$cpus" = 2 ]; then server_cpu_list="CPU 1"; else server_cpu_list="CPUs 1-$((cpus - 1))"; fi
    echo "wrk on CPU 0, servers on $server_cpu_list with $TOKIO_WORKER_THREADS tokio worker(s)."
else
    echo "wrk and the servers share all $cpus CPUs."
fi
echo
echo "| round | server | requests/s | / bare | p50 µs | p99 µs | server CPU µs per request | statuses |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${comparison_rows[@]}"
echo
for name in signature verify receiver; do
    # shellcheck disable=SC2086 # the ratios are space-separated on purpose
    python3 -c "import statistics, sys
ratios = sys.argv[2:]
print(f'{sys.argv[1]} / bare requests per second, per round: {\" \".join(ratios)}; median {statistics.median(map(float, ratios)):.3f}')" "$name" ${ratios[$name]}
done

growth_kib=$((rss_end - rss_warm))
if [ "$growth_kib" -gt $((rss_growth_limit_mib * 1024)) ]; then
    echo "FAIL: receiver RSS grew by $growth_kib KiB during the mixed run, over the $rss_growth_limit_mib MiB limit" >&2
    exit 1
fi
echo "Receiver RSS growth during the mixed run: $growth_kib KiB (limit $rss_growth_limit_mib MiB)."
