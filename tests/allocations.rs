//! Checks that `Verifier::verify_signature` allocates nothing on the heap when the
//! signature is valid.
//!
//! A counting global allocator wraps the system allocator. It counts only on the
//! thread that turned counting on, so allocations by the test harness on other threads
//! do not show up.

// The global allocator has to implement the unsafe `GlobalAlloc` trait; the unsafe
// code stays in this test and forwards every call to `System` unchanged.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use reachcell_webhooks::{Verifier, sign};

struct CountingAllocator;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

fn count_allocation() {
    if COUNTING.with(Cell::get) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: every method forwards to `System` with the caller's arguments, so the
// `GlobalAlloc` contract is met as it is for `System`. Counting touches only an
// atomic and a const-initialised thread-local, neither of which allocates.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_allocation();
        // SAFETY: forwarded unchanged; the caller upholds `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_allocation();
        // SAFETY: forwarded unchanged; the caller upholds `alloc_zeroed`'s contract.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_allocation();
        // SAFETY: forwarded unchanged; the caller upholds `realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged; the caller upholds `dealloc`'s contract.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

/// Runs `f` and returns how many allocations this thread made during it.
fn allocations_during(f: impl FnOnce()) -> usize {
    ALLOCATIONS.store(0, Ordering::Relaxed);
    COUNTING.with(|counting| counting.set(true));
    f();
    COUNTING.with(|counting| counting.set(false));
    ALLOCATIONS.load(Ordering::Relaxed)
}

const SECRET: &str = "whsec_test_secret";

#[test]
fn counter_sees_allocations() {
    let allocations = allocations_during(|| {
        std::hint::black_box(vec![0u8; 64]);
    });
    assert_eq!(
        allocations, 1,
        "the counting allocator must see a Vec allocation"
    );
}

#[test]
fn verify_signature_success_allocates_nothing() {
    let verifier = Verifier::builder()
        .secret("whsec_old_secret")
        .secret(SECRET)
        .build()
        .expect("non-empty secrets");

    for size in [0, 1, 255, 1024, 64 * 1024] {
        let body = vec![b'x'; size];
        let header = sign(SECRET, &body);
        let upper = format!("SHA256={}", header["sha256=".len()..].to_ascii_uppercase());
        let padded = format!(" \t{header}\t ");

        for value in [&header, &upper, &padded] {
            let mut result = Ok(());
            let allocations = allocations_during(|| {
                result = verifier.verify_signature(value, &body);
            });
            assert!(
                result.is_ok(),
                "{size}-byte body, header {value:?}: {result:?}"
            );
            assert_eq!(allocations, 0, "{size}-byte body, header {value:?}");
        }
    }
}
