//! The memory budget of one query: what its evaluating thread has allocated (and not freed)
//! since the query started, read from jemalloc's per-thread counters, which cost two loads.
//! The evaluator consults it at its periodic cancellation checks (the check of the patched
//! spareval, `vendor/spareval/VENDORED.md`): a query past its budget is cancelled like one past
//! its time limit, and answered with an error naming the budget. With N query slots, the
//! server's memory is bounded by N budgets and its base.
//!
//! Built without jemalloc (the fuzz targets), there are no counters and no budget.

use std::cell::Cell;

/// The default budget of one query.
pub const DEFAULT_QUERY_MEMORY: u64 = 1024 * 1024 * 1024;

thread_local! {
    /// The thread's net allocation when its current query started.
    static STARTED_AT: Cell<u64> = const { Cell::new(0) };
}

/// A size for people: "1 GiB", "256 MiB", "1500 bytes".
pub fn describe(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    match bytes {
        b if b >= 1024 * MIB && b % (1024 * MIB) == 0 => format!("{} GiB", b / (1024 * MIB)),
        b if b >= MIB && b % MIB == 0 => format!("{} MiB", b / MIB),
        b => format!("{b} bytes"),
    }
}

/// Marks the start of a query's evaluation on this thread.
pub fn start() {
    STARTED_AT.set(net_allocated());
}

/// Bytes this thread has allocated and not freed since [`start`] (0 without counters).
pub fn used() -> u64 {
    net_allocated().saturating_sub(STARTED_AT.get())
}

#[cfg(feature = "jemalloc")]
fn net_allocated() -> u64 {
    use tikv_jemalloc_ctl::thread::{ThreadLocal, allocatedp, deallocatedp};
    thread_local! {
        /// Pointers to the thread's counters, looked up once per thread.
        static COUNTERS: Option<(ThreadLocal<u64>, ThreadLocal<u64>)> =
            allocatedp::read().ok().zip(deallocatedp::read().ok());
    }
    COUNTERS.with(|counters| {
        counters.map_or(0, |(allocated, deallocated)| {
            allocated.get().saturating_sub(deallocated.get())
        })
    })
}

#[cfg(not(feature = "jemalloc"))]
fn net_allocated() -> u64 {
    0
}

#[cfg(all(test, feature = "jemalloc"))]
mod tests {
    use super::*;

    /// The unit tests run with jemalloc as the global allocator (`lib.rs`), as the binary does.
    #[test]
    fn what_a_thread_holds_is_counted_from_the_start() {
        std::thread::spawn(|| {
            let before: Vec<u8> = vec![1; 16 * 1024 * 1024];
            start();
            let held: Vec<u8> = vec![1; 64 * 1024 * 1024];
            let used_now = used();
            drop(held);
            drop(before);
            assert!(used_now >= 64 * 1024 * 1024, "{used_now}");
            assert!(
                used_now < 65 * 1024 * 1024,
                "what was held before the start is not counted: {used_now}"
            );
            assert!(used() < 1024 * 1024, "freed: {}", used());
        })
        .join()
        .unwrap();
    }
}
