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
    drop(state);
    watchdog.wake.notify_one();
    Watch { key, fired }
}

#[derive(Default)]
struct State {
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
            state = match state.deadlines.keys().next().map(|(deadline, _)| *deadline) {
                Some(deadline) => {
                    self.wake
                        .wait_timeout(state, deadline.saturating_duration_since(now))
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
                None => self.wake.wait(state).unwrap_or_else(PoisonError::into_inner),
            };
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
}
