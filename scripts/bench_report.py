#!/usr/bin/env python3
"""Turn criterion's results into the Markdown tables of BENCHMARKS.md and a plot.

Usage: bench_report.py MAIN_CRITERION_DIR PEERS_CRITERION_DIR PLOT_PNG

Reads the median of each benchmark from criterion's `new/estimates.json` files, as
written by the last run of scripts/bench.sh. Every ratio compares benchmarks of the
same run.
"""

import json
import pathlib
import sys

SIZES = [("256B", 256), ("1KiB", 1024), ("16KiB", 16 * 1024), ("1MiB", 1024 * 1024)]


def median_ns(root, *parts):
    """Return the median time in nanoseconds of one benchmark, or None if absent."""
    path = pathlib.Path(root, *parts, "new", "estimates.json")
    if not path.exists():
        return None
    return json.loads(path.read_text())["median"]["point_estimate"]


def show_time(ns):
    if ns is None:
        return "n/a"
    if ns < 1e3:
        return f"{ns:.0f} ns"
    if ns < 1e6:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns / 1e6:.2f} ms"


def show_ratio(numerator, denominator):
    if numerator is None or denominator is None:
        return "n/a"
    return f"{numerator / denominator:.2f}×"


def gib_per_second(size, ns):
    return size / ns * 1e9 / 2**30


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def signature_table(main):
    rows = []
    for label, _ in SIZES:
        raw = median_ns(main, "signature", "raw_hmac", label)
        verify = median_ns(main, "signature", "verify_signature", label)
        naive = median_ns(main, "signature", "naive", label)
        rows.append([label, show_time(raw), show_time(verify), show_time(naive),
                     show_ratio(verify, raw), show_ratio(naive, verify)])
    return table(["body", "raw HMAC", "verify_signature", "naive", "verify / raw", "naive / verify"], rows)


def peers_table(peers):
    rows = []
    for label, _ in SIZES:
        raw, ours, naive, svix = (median_ns(peers, "peers", name, label)
                                  for name in ("raw_hmac", "reachcell", "naive", "svix"))
        rows.append([label, show_time(raw), show_time(ours), show_time(naive), show_time(svix),
                     show_ratio(ours, raw), show_ratio(naive, ours), show_ratio(svix, ours)])
    return table(["body", "raw HMAC", "this crate", "naive", "svix", "this crate / raw",
                  "naive / this crate", "svix / this crate"], rows)


def events_tables(main):
    parse_dir = pathlib.Path(main, "parse")
    rows = []
    if parse_dir.exists():
        for fixture in sorted(p.name for p in parse_dir.iterdir() if (p / "new").exists()):
            rows.append([fixture, show_time(median_ns(main, "parse", fixture))])
    parse = table(["fixture", "serde_json::from_slice::<Event>"], rows)

    raw = median_ns(main, "verify_1KiB", "raw_hmac")
    signature = median_ns(main, "verify_1KiB", "verify_signature")
    full = median_ns(main, "verify_1KiB", "verify_at")
    verify = table(["raw HMAC", "verify_signature", "verify_at", "verify_at / raw"],
                   [[show_time(raw), show_time(signature), show_time(full), show_ratio(full, raw)]])
    return parse, verify


def layer_table(main):
    bare = median_ns(main, "service_1KiB", "bare")
    layered = median_ns(main, "service_1KiB", "verify_layer")
    return table(["bare service", "with VerifyLayer", "layer / bare", "added per request"],
                 [[show_time(bare), show_time(layered), show_ratio(layered, bare),
                   show_time(None if bare is None or layered is None else layered - bare)]])


def router_table(main):
    bare, extractor, layered = (median_ns(main, "router_1KiB", name)
                                for name in ("bare", "extractor", "layer_and_extractor"))
    return table(["bare route", "extractor", "layer and extractor", "extractor / bare",
                  "layer and extractor / extractor"],
                 [[show_time(bare), show_time(extractor), show_time(layered),
                   show_ratio(extractor, bare), show_ratio(layered, extractor)]])


def plot(peers, output):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=120)
    series = [("raw_hmac", "raw pre-keyed HMAC-SHA256 (limit)"), ("reachcell", "reachcell-webhooks verify_signature"),
              ("naive", "naive verifier"), ("svix", "svix Webhook::verify")]
    for name, legend in series:
        points = [(size, median_ns(peers, "peers", name, label)) for label, size in SIZES]
        points = [(size, gib_per_second(size, ns)) for size, ns in points if ns is not None]
        if points:
            axes.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=legend)
    axes.set_xscale("log", base=2)
    axes.set_xticks([size for _, size in SIZES], [label for label, _ in SIZES])
    axes.set_xlabel("body size")
    axes.set_ylabel("throughput, GiB/s (criterion median)")
    axes.set_title("Signature check throughput against body size")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(output)


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: bench_report.py MAIN_CRITERION_DIR PEERS_CRITERION_DIR PLOT_PNG")
    main_dir, peers_dir, plot_path = sys.argv[1:]
    parse, verify = events_tables(main_dir)
    sections = [
        ("Signature check (benches/signature.rs)", signature_table(main_dir)),
        ("Peer comparison (benches/peers)", peers_table(peers_dir)),
        ("Full verification of a 1 KiB sms.received (benches/events.rs)", verify),
        ("Typed parse of each sample delivery (benches/events.rs)", parse),
        ("Tower service in process, 1 KiB delivery (benches/layer.rs)", layer_table(main_dir)),
        ("axum routers in process, 1 KiB delivery (benches/layer.rs)", router_table(main_dir)),
    ]
    for title, body in sections:
        print(f"### {title}\n\n{body}\n")
    plot(peers_dir, plot_path)
    print(f"Plot written to {plot_path}")


if __name__ == "__main__":
    main()
