//! Ratios of the signature checks to the raw HMAC, measured in alternating blocks.
//!
//! Criterion measures one function, then the next, seconds later. On a shared
//! machine the load changes in between, and the ratio of two medians moves with it.
//! Here each comparison runs a block of the baseline and a block of the candidate in
//! turn, a few hundred times, and reports the median and the 10th and 90th
//! percentiles of the per-pair ratios. Both blocks of a pair see the same load.
//!
//! The last two rows compare the axum routers of `benches/routes` in process: the
//! extractor verifying in the handler against the bare route, and the layer in front
//! of the extractor against the extractor alone.
//!
//! Run it with `cargo bench --bench paired`; it prints a Markdown table.

mod common;
mod routes;

use std::hint::black_box;
use std::time::{Duration, Instant};

use hmac::Mac;
use reachcell_webhooks::{Verifier, sign};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use common::{SECRET, SIZES, TIMESTAMP, keyed_hmac, naive_verify, sms_received};
use routes::{Routers, pinned_verifier, send};

/// Length of one block of the baseline.
const BLOCK: Duration = Duration::from_millis(2);

/// Pairs of blocks per comparison.
const PAIRS: usize = 300;

/// The median and spread of the candidate-to-baseline time ratios of one comparison.
struct Ratios {
    p10: f64,
    median: f64,
    p90: f64,
}

/// Times `iterations` calls of `routine`.
fn time_block(iterations: u64, routine: &mut impl FnMut()) -> Duration {
    let start = Instant::now();
    for _ in 0..iterations {
        routine();
    }
    start.elapsed()
}

/// Measures `candidate` against `baseline` in alternating blocks of the same number
/// of calls. The order inside a pair alternates too, so neither always runs first.
fn compare(mut baseline: impl FnMut(), mut candidate: impl FnMut()) -> Ratios {
    // Warm up both, then size the blocks so that one of the baseline takes `BLOCK`.
    let mut iterations = 1;
    while time_block(iterations, &mut baseline) < BLOCK {
        iterations *= 2;
    }
    time_block(iterations, &mut candidate);

    let mut ratios: Vec<f64> = (0..PAIRS)
        .map(|pair| {
            let (base, cand) = if pair % 2 == 0 {
                let base = time_block(iterations, &mut baseline);
                (base, time_block(iterations, &mut candidate))
            } else {
                let cand = time_block(iterations, &mut candidate);
                (time_block(iterations, &mut baseline), cand)
            };
            cand.as_secs_f64() / base.as_secs_f64()
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    let at = |quantile: f64| ratios[((ratios.len() - 1) as f64 * quantile).round() as usize];
    Ratios {
        p10: at(0.1),
        median: at(0.5),
        p90: at(0.9),
    }
}

fn print_row(comparison: &str, body: &str, ratios: &Ratios) {
    println!(
        "| {comparison} | {body} | {:.3}× | {:.3}× | {:.3}× |",
        ratios.median, ratios.p10, ratios.p90
    );
}

fn main() {
    // `cargo bench` passes `--bench`, and `cargo test --benches` runs this once with
    // no arguments; only the former measures.
    if !std::env::args().any(|argument| argument == "--bench") {
        return;
    }

    let verifier = Verifier::new(SECRET).expect("the benchmark secret is not empty");
    let keyed = keyed_hmac();

    println!("| comparison | body | median ratio | 10th percentile | 90th percentile |");
    println!("|---|---|---|---|---|");
    for (size, label) in SIZES {
        let body = sms_received(size);
        let header = sign(SECRET, &body);
        assert!(verifier.verify_signature(&header, &body).is_ok());

        let raw = || {
            let mut mac = keyed.clone();
            mac.update(black_box(&body));
            black_box(mac.finalize().into_bytes());
        };
        let check = || {
            black_box(verifier.verify_signature(black_box(&header), black_box(&body))).ok();
        };
        print_row("verify_signature / raw HMAC", label, &compare(raw, check));
        if size == 256 {
            let naive = || {
                black_box(naive_verify(SECRET, black_box(&header), black_box(&body)));
            };
            print_row("naive / verify_signature", label, &compare(check, naive));
        }
    }

    let body = sms_received(1024);
    let header = sign(SECRET, &body);
    let now = OffsetDateTime::parse(TIMESTAMP, &Rfc3339).expect("valid timestamp");
    verifier
        .verify_at(&header, &body, now)
        .expect("the benchmark delivery verifies");
    let raw = || {
        let mut mac = keyed.clone();
        mac.update(black_box(&body));
        black_box(mac.finalize().into_bytes());
    };
    let full = || {
        black_box(verifier.verify_at(black_box(&header), black_box(&body), now)).ok();
    };
    print_row("verify_at / raw HMAC", "1KiB", &compare(raw, full));

    let runtime = routes::runtime();
    let body = bytes::Bytes::from(body);
    let routers = Routers::new(&pinned_verifier());
    let (runtime, header, body) = (&runtime, header.as_str(), &body);
    let sender = |router| {
        let status = send(runtime, router, header, body);
        assert!(status.is_success(), "the benchmark delivery must verify");
        move || {
            black_box(send(runtime, router, header, body));
        }
    };
    print_row(
        "router: extractor / bare",
        "1KiB",
        &compare(sender(&routers.bare), sender(&routers.extractor)),
    );
    print_row(
        "router: layer and extractor / extractor",
        "1KiB",
        &compare(sender(&routers.extractor), sender(&routers.layered)),
    );
}
