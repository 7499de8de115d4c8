//! Operations: one structured log event per request (method, route, status,
//! latency, a hash of the query when there is one) and Prometheus metrics at
//! `GET /metrics` (requests by route and status, latency histogram, query
//! time-outs, refusals for load, store size, and what the memory is made of:
//! the kernel's resident count, the allocator's own figures, the answer cache and
//! the dumps held).

use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::{MatchedPath, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{AppState, internal};

/// Upper bounds (seconds) of the latency histogram's buckets.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

/// Counters shared by the handlers.
#[derive(Debug, Default)]
pub struct Metrics {
    /// What every request adds to, under one lock: a request takes it once, and shares no
    /// other cache line with the requests of other threads.
    requests: Mutex<Requests>,
    /// Queries stopped at the time limit.
    pub timeouts: AtomicU64,
    /// Queries refused because too many were running.
    pub refused: AtomicU64,
    /// Queries refused because their client had its share of the slots running (429).
    pub refused_per_client: AtomicU64,
    /// Queries stopped at the memory budget.
    pub over_memory: AtomicU64,
}

/// The limits that bound the memory of queries, for `/metrics`.
#[derive(Debug, Clone, Copy)]
pub struct QueryLimits {
    /// Query slots of all kinds (arbitrary SPARQL and the curated surface).
    pub slots: usize,
    /// The memory budget of one query (`None`: none).
    pub budget: Option<u64>,
}

/// Requests counted by route, method and status, and their latencies.
#[derive(Debug, Default)]
struct Requests {
    /// (route, method, status) → count. Few distinct keys (routes and methods are from fixed
    /// sets), found by a scan that allocates nothing once a key is there.
    counts: Vec<((String, &'static str, u16), u64)>,
    /// Requests by latency bucket, each counted once in the first bucket it fits (the
    /// exposition adds them up); the last holds those beyond every bound.
    buckets: [u64; BUCKETS.len() + 1],
    sum_micros: u64,
    count: u64,
}

/// A request method as a metrics label: the standard ones by name, any other as "other"
/// (a client can send any token as a method; labels must stay few).
pub fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    const KNOWN: [(Method, &str); 9] = [
        (Method::GET, "GET"),
        (Method::POST, "POST"),
        (Method::PUT, "PUT"),
        (Method::DELETE, "DELETE"),
        (Method::HEAD, "HEAD"),
        (Method::OPTIONS, "OPTIONS"),
        (Method::PATCH, "PATCH"),
        (Method::CONNECT, "CONNECT"),
        (Method::TRACE, "TRACE"),
    ];
    KNOWN
        .iter()
        .find(|(known, _)| known == method)
        .map_or("other", |(_, label)| label)
}

impl Metrics {
    fn observe(&self, route: &str, method: &'static str, status: u16, seconds: f64) {
        let mut requests = self.requests.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let found = requests
            .counts
            .iter_mut()
            .find(|((r, m, s), _)| *s == status && *m == method && r == route);
        match found {
            Some((_, count)) => *count += 1,
            None => requests.counts.push(((route.to_string(), method, status), 1)),
        }
        let bucket = BUCKETS
            .iter()
            .position(|bound| seconds <= *bound)
            .unwrap_or(BUCKETS.len());
        requests.buckets[bucket] += 1;
        requests.sum_micros += (seconds * 1e6) as u64;
        requests.count += 1;
    }

    /// The Prometheus text exposition, with the store's size and the memory figures.
    fn render(&self, store_quads: usize, cache: (u64, u64), memory: &Memory, limits: QueryLimits) -> String {
        let mut out = String::new();
        let requests = self.requests.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        out.push_str("# HELP esam_kg_http_requests_total HTTP requests by route, method and status.\n");
        out.push_str("# TYPE esam_kg_http_requests_total counter\n");
        let mut counts: Vec<_> = requests.counts.iter().collect();
        counts.sort();
        for ((route, method, status), count) in counts {
            let _ = writeln!(
                out,
                "esam_kg_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {count}",
                label(route),
            );
        }
        out.push_str("# HELP esam_kg_http_request_duration_seconds Time to answer a request.\n");
        out.push_str("# TYPE esam_kg_http_request_duration_seconds histogram\n");
        let mut cumulative = 0;
        for (in_bucket, bound) in requests.buckets.iter().zip(BUCKETS) {
            cumulative += in_bucket;
            let _ = writeln!(
                out,
                "esam_kg_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {cumulative}"
            );
        }
        let count = requests.count;
        let _ = writeln!(
            out,
            "esam_kg_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(
            out,
            "esam_kg_http_request_duration_seconds_sum {}",
            requests.sum_micros as f64 / 1e6
        );
        let _ = writeln!(out, "esam_kg_http_request_duration_seconds_count {count}");
        drop(requests);
        let gauges = [
            (
                "esam_kg_query_timeouts_total",
                "counter",
                "Queries stopped at the time limit.",
                self.timeouts.load(Ordering::Relaxed),
            ),
            (
                "esam_kg_queries_refused_total",
                "counter",
                "Queries refused (503) because too many were running.",
                self.refused.load(Ordering::Relaxed),
            ),
            (
                "esam_kg_queries_refused_per_client_total",
                "counter",
                "Queries refused (429) because their client already had its share of the slots running.",
                self.refused_per_client.load(Ordering::Relaxed),
            ),
            (
                "esam_kg_queries_over_memory_total",
                "counter",
                "Queries stopped at the memory budget (507).",
                self.over_memory.load(Ordering::Relaxed),
            ),
            (
                "esam_kg_query_slots",
                "gauge",
                "Queries that may run at once (arbitrary SPARQL and the curated surface together).",
                limits.slots as u64,
            ),
            (
                "esam_kg_query_memory_budget_bytes",
                "gauge",
                "Memory one query may hold while it is evaluated (0: no budget).",
                limits.budget.unwrap_or(0),
            ),
            (
                "esam_kg_query_memory_bound_bytes",
                "gauge",
                "What running queries can hold together at most: slots times the budget (0: unbounded). The process needs this beyond its base.",
                limits.budget.map_or(0, |b| b.saturating_mul(limits.slots as u64)),
            ),
            (
                "esam_kg_store_quads",
                "gauge",
                "Quads in the store.",
                store_quads as u64,
            ),
            (
                "esam_kg_cache_hits_total",
                "counter",
                "Answers sent from the data-version cache.",
                cache.0,
            ),
            (
                "esam_kg_cache_misses_total",
                "counter",
                "Answers that had to be computed.",
                cache.1,
            ),
        ];
        for (name, kind, help, value) in gauges.into_iter().chain(memory.gauges()) {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}");
        }
        out
    }
}

/// One gauge or counter: name, Prometheus type, help text, value.
type Gauge = (&'static str, &'static str, &'static str, u64);

/// What the process's memory is made of, as far as it can be told. The allocator's figures
/// include RocksDB's (it allocates through the same jemalloc), so `allocated` minus the answer
/// cache and the dumps is, roughly, the store's memory tables, block cache and table readers
/// plus the server's working memory.
#[derive(Debug, Default, Clone, Copy)]
pub struct Memory {
    /// The kernel's count of resident pages (`VmRSS`), in bytes.
    pub resident: Option<u64>,
    /// The allocator's figures, when jemalloc is the allocator (the `jemalloc` feature).
    pub allocator: Option<Allocator>,
    /// Responses kept in the answer cache, and their bytes.
    pub answer_cache: (usize, usize),
    /// Bytes of the canonical dumps held.
    pub dumps: usize,
}

/// jemalloc's statistics (`stats.*`), in bytes.
#[derive(Debug, Default, Clone, Copy)]
pub struct Allocator {
    /// Bytes the program holds (what it asked for and has not freed).
    pub allocated: u64,
    /// Bytes in pages that hold allocations (allocated plus fragmentation inside them).
    pub active: u64,
    /// Bytes in pages the allocator has resident: active, its metadata, and freed pages not yet returned.
    pub resident: u64,
    /// Bytes of address space kept but returned to the system (not resident).
    pub retained: u64,
}

impl Memory {
    /// The figures now.
    pub fn now(answer_cache: (usize, usize), dumps: usize) -> Self {
        Self {
            resident: process_resident_bytes(),
            allocator: allocator_stats(),
            answer_cache,
            dumps,
        }
    }

    fn gauges(&self) -> Vec<Gauge> {
        let mut gauges = vec![
            (
                "esam_kg_answer_cache_entries",
                "gauge",
                "Responses kept in the answer cache.",
                self.answer_cache.0 as u64,
            ),
            (
                "esam_kg_answer_cache_bytes",
                "gauge",
                "Bytes of the responses kept in the answer cache.",
                self.answer_cache.1 as u64,
            ),
            (
                "esam_kg_dump_bytes",
                "gauge",
                "Bytes of the canonical dumps held: the last ones made, which may be of an earlier data version until a dump is asked for again.",
                self.dumps as u64,
            ),
        ];
        if let Some(resident) = self.resident {
            gauges.push((
                "esam_kg_process_resident_bytes",
                "gauge",
                "Resident memory of the process, as the kernel counts it (VmRSS).",
                resident,
            ));
        }
        if let Some(a) = self.allocator {
            gauges.extend([
                (
                    "esam_kg_allocator_allocated_bytes",
                    "gauge",
                    "Bytes the process holds from its allocator (jemalloc stats.allocated; RocksDB's included).",
                    a.allocated,
                ),
                (
                    "esam_kg_allocator_active_bytes",
                    "gauge",
                    "Bytes in the allocator's pages that hold allocations (stats.active).",
                    a.active,
                ),
                (
                    "esam_kg_allocator_resident_bytes",
                    "gauge",
                    "Bytes the allocator keeps resident, freed pages not yet returned included (stats.resident).",
                    a.resident,
                ),
                (
                    "esam_kg_allocator_retained_bytes",
                    "gauge",
                    "Address space the allocator keeps but has returned to the system (stats.retained).",
                    a.retained,
                ),
            ]);
        }
        gauges
    }
}

/// `VmRSS` of `/proc/self/status`, on Linux.
fn process_resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[cfg(feature = "jemalloc")]
fn allocator_stats() -> Option<Allocator> {
    use tikv_jemalloc_ctl::{epoch, stats};
    // The statistics are a snapshot taken when the epoch advances.
    epoch::advance().ok()?;
    Some(Allocator {
        allocated: stats::allocated::read().ok()? as u64,
        active: stats::active::read().ok()? as u64,
        resident: stats::resident::read().ok()? as u64,
        retained: stats::retained::read().ok()? as u64,
    })
}

#[cfg(not(feature = "jemalloc"))]
fn allocator_stats() -> Option<Allocator> {
    None
}

/// A label value with `\`, `"` and newlines escaped.
fn label(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// A short, stable hash of a query text (logs name queries without printing them).
pub fn query_hash(query: &str) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    query.hash(&mut hasher);
    hex16(hasher.finish())
}

/// `value` as 16 lower-case hexadecimal digits, as `format!("{value:016x}")` writes it but
/// without the formatter: three such tags a request cost 3,300 instructions that way, 4 % of
/// a trivial ASK (callgrind, 2026-12-04).
pub fn hex16(value: u64) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    (0..16)
        .rev()
        .map(|nibble| char::from(DIGITS[((value >> (nibble * 4)) & 0xf) as usize]))
        .collect()
}

/// `"…"`: [`hex16`] quoted, an entity tag.
pub fn quoted_hex16(value: u64) -> String {
    let mut tag = String::with_capacity(18);
    tag.push('"');
    tag.push_str(&hex16(value));
    tag.push('"');
    tag
}

/// The hash a handler attaches to its response for the request log.
#[derive(Debug, Clone)]
pub struct QueryHash(pub String);

/// Logs and counts a request that `started` and got `response`. The request's method, path
/// and route are passed as they came (a standard method, the path's shared bytes and the
/// route's shared name), not copied.
pub(super) fn record(
    state: &AppState,
    method: &'static str,
    path: &str,
    route: Option<&MatchedPath>,
    started: Instant,
    response: &Response,
) {
    let seconds = started.elapsed().as_secs_f64();
    let status = response.status().as_u16();
    let route = route.map_or("(unmatched)", MatchedPath::as_str);
    state.metrics.observe(route, method, status, seconds);
    let query = response.extensions().get::<QueryHash>().map_or("-", |h| h.0.as_str());
    tracing::info!(
        target: "esam_kg::request",
        method,
        path,
        status,
        latency_ms = seconds * 1000.0,
        query_hash = query,
        "request"
    );
}

/// `GET /metrics`.
pub(super) async fn metrics(State(state): State<AppState>) -> Result<Response, super::ApiError> {
    let store = state.store.clone();
    let quads = super::evaluate::blocking(move || store.len())
        .await?
        .map_err(internal)?;
    let dumps = state
        .dumps
        .lock()
        .ok()
        .and_then(|held| held.as_ref().map(|d| d.bytes()))
        .unwrap_or(0);
    let memory = Memory::now(state.cache.size(), dumps);
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        state.metrics.render(
            quads,
            (
                state.cache.hits.load(Ordering::Relaxed),
                state.cache.misses.load(Ordering::Relaxed),
            ),
            &memory,
            QueryLimits {
                slots: state.query_slots,
                budget: state.policy.memory_limit,
            },
        ),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_digits_as_the_formatter_writes_them() {
        for value in [0, 1, 0xf, 0x10, 0xdead_beef, 0x0123_4567_89ab_cdef, u64::MAX, 1 << 63] {
            assert_eq!(hex16(value), format!("{value:016x}"));
            assert_eq!(quoted_hex16(value), format!("\"{value:016x}\""));
        }
    }

    #[test]
    fn exposition_counts_requests_and_buckets() {
        let metrics = Metrics::default();
        metrics.observe("/sparql", "GET", 200, 0.003);
        metrics.observe("/sparql", "GET", 200, 0.2);
        metrics.observe("/views/{name}", "GET", 400, 0.0005);
        metrics.observe("/sparql", "GET", 200, 30.0);
        let memory = Memory {
            answer_cache: (3, 1500),
            ..Memory::default()
        };
        let limits = QueryLimits {
            slots: 16,
            budget: Some(1 << 30),
        };
        let text = metrics.render(42, (0, 0), &memory, limits);
        assert!(
            text.contains("esam_kg_query_memory_bound_bytes 17179869184\n"),
            "{text}"
        );
        assert!(text.contains("esam_kg_http_requests_total{route=\"/sparql\",method=\"GET\",status=\"200\"} 3"));
        assert!(text.contains("esam_kg_http_requests_total{route=\"/views/{name}\",method=\"GET\",status=\"400\"} 1"));
        // Cumulative: each bound counts the requests at or below it.
        assert!(text.contains("esam_kg_http_request_duration_seconds_bucket{le=\"0.001\"} 1\n"));
        assert!(text.contains("esam_kg_http_request_duration_seconds_bucket{le=\"0.005\"} 2\n"));
        assert!(text.contains("esam_kg_http_request_duration_seconds_bucket{le=\"0.25\"} 3\n"));
        assert!(text.contains("esam_kg_http_request_duration_seconds_bucket{le=\"10\"} 3\n"));
        // The request of 30 s is beyond every bound: only in +Inf and the count.
        assert!(text.contains("esam_kg_http_request_duration_seconds_bucket{le=\"+Inf\"} 4\n"));
        assert!(text.contains("esam_kg_http_request_duration_seconds_count 4\n"));
        assert!(text.contains("esam_kg_http_request_duration_seconds_sum 30.2035\n"));
        assert!(text.contains("esam_kg_store_quads 42"));
        assert!(text.contains("esam_kg_answer_cache_bytes 1500"));
        assert!(
            !text.contains("esam_kg_allocator_allocated_bytes"),
            "no allocator figures were given"
        );
    }

    #[test]
    fn memory_figures_are_read_from_the_process() {
        let memory = Memory::now((0, 0), 0);
        if cfg!(target_os = "linux") {
            assert!(memory.resident.is_some_and(|bytes| bytes > 0), "{memory:?}");
        }
        if cfg!(feature = "jemalloc") {
            // Holding 16 MiB shows in what the allocator counts as allocated.
            let held = std::hint::black_box(vec![1u8; 16 << 20]);
            let allocator = Memory::now((0, 0), 0).allocator.expect("jemalloc statistics");
            assert!(allocator.allocated >= held.len() as u64, "{allocator:?}");
            assert!(allocator.resident >= allocator.active && allocator.active >= allocator.allocated);
            drop(held);
        }
    }
}
