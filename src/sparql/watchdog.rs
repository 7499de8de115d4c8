//! One thread for every query's time limit: a query registers its deadline and
//! cancellation token, and the watchdog cancels it when the deadline passes. (A thread
//! per query cost a spawn and a join on every request, more than a small query itself.)

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use oxigraph::sparql::CancellationToken;

/// A registered deadline; dropping it unregisters the query.
pub struct Watch {
    key: (Instant, u64),
    fired: Arc<AtomicBool>,
}

impl Watch {
    /// Whether the watchdog cancelled the query because its time was up.
    pub fn fired(&self) -> bool {
        self.fired.load(Ordering::SeqCst)
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let watchdog = watchdog();
        watchdog.lock().deadlines.remove(&self.key);
    }
}

/// Cancels `token` once `limit` has passed, unless the returned [`Watch`] is dropped first.
pub fn watch(token: CancellationToken, limit: Duration) -> Watch {
    let watchdog = watchdog();
    let fired = Arc::new(AtomicBool::new(false));
    // A limit too far ahead to represent is no limit in practice: a day is plenty.
    let deadline = Instant::now()
        .checked_add(limit)
        .unwrap_or_else(|| Instant::now() + Duration::from_secs(24 * 3600));
    let mut state = watchdog.lock();
    state.next += 1;
    let key = (deadline, state.next);
    state.deadlines.insert(key, (token, Arc::clone(&fired)));
    // Wake the watchdog only when it would otherwise sleep past this deadline: with one time
    // limit for all queries that is almost never, and a wake-up per query was a thread switch
    // per request.
    let wake = state.wakes_at.is_none_or(|planned| deadline < planned);
    drop(state);
    if wake {
        watchdog.wake.notify_one();
    }
    Watch { key, fired }
}

/// Cancels every query being watched now (the server is shutting down); returns how many.
pub fn cancel_all() -> usize {
    let watchdog = watchdog();
    let state = watchdog.lock();
    for (token, _) in state.deadlines.values() {
        token.cancel();
    }
    state.deadlines.len()
}

/// How long the watchdog sleeps with no query to watch.
const IDLE_LOOK: Duration = Duration::from_secs(1);

#[derive(Default)]
struct State {
    /// When the watchdog will look next (`None` while it is running).
    wakes_at: Option<Instant>,
    next: u64,
    deadlines: BTreeMap<(Instant, u64), (CancellationToken, Arc<AtomicBool>)>,
}

struct Watchdog {
    state: Mutex<State>,
    wake: Condvar,
}

impl Watchdog {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sleeps until the earliest deadline (or a new registration), cancels what is due.
    fn run(&self) {
        let mut state = self.lock();
        loop {
            let now = Instant::now();
            while let Some(entry) = state.deadlines.first_entry() {
                if entry.key().0 > now {
                    break;
                }
                let (token, fired) = entry.remove();
                fired.store(true, Ordering::SeqCst);
                token.cancel();
            }
            // With nothing to watch it still looks once a second, so that registering a
            // query need not wake it (see `watch`).
            let next = state
                .deadlines
                .keys()
                .next()
                .map_or(now + IDLE_LOOK, |(deadline, _)| *deadline);
            state.wakes_at = Some(next);
            state = self
                .wake
                .wait_timeout(state, next.saturating_duration_since(now))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
            state.wakes_at = None;
        }
    }
}

fn watchdog() -> &'static Watchdog {
    static WATCHDOG: OnceLock<&'static Watchdog> = OnceLock::new();
    WATCHDOG.get_or_init(|| {
        let watchdog: &'static Watchdog = Box::leak(Box::new(Watchdog {
            state: Mutex::default(),
            wake: Condvar::new(),
        }));
        std::thread::Builder::new()
            .name("query-watchdog".into())
            .spawn(move || watchdog.run())
            .map(|_| ())
            // Without the thread no query is ever stopped by time; the process cannot run
            // queries safely, and a thread that cannot be started means it is out of resources.
            .unwrap_or_else(|error| panic!("cannot start the query watchdog thread: {error}"));
        watchdog
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancels_when_time_is_up_and_not_before() {
        let late = CancellationToken::new();
        let watch = watch(late.clone(), Duration::from_millis(20));
        let early = CancellationToken::new();
        let finished = super::watch(early.clone(), Duration::from_secs(60));
        drop(finished);
        let started = Instant::now();
        while !late.is_cancelled() && started.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(late.is_cancelled() && watch.fired());
        assert!(!early.is_cancelled());
    }

    #[test]
    fn a_nearer_deadline_wakes_a_watchdog_sleeping_until_a_later_one() {
        let long = watch(CancellationToken::new(), Duration::from_secs(60));
        // The watchdog now sleeps until the long query's deadline (or its idle look)…
        std::thread::sleep(Duration::from_millis(20));
        let short = CancellationToken::new();
        let _watch = watch(short.clone(), Duration::from_millis(10));
        // …and must be woken for the short one: cancelled well before either.
        let started = Instant::now();
        while !short.is_cancelled() && started.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(2));
        }
        // (Unwoken, it would sleep until the long query's deadline, a minute away.)
        assert!(short.is_cancelled());
        drop(long);
    }
}
