//! Where a connection is served: on a thread of its own while fewer than a cap are busy
//! (the model of `oxigraph serve`), else as a task on the shared runtime.
//!
//! A connection thread runs a single-threaded tokio runtime, and the queries of its
//! connection are evaluated right there ([`on_connection_thread`] tells
//! [`evaluate`](super::evaluate) so): blocking that thread holds up nobody else, and a
//! request involves no hand-off between threads. Handing every query to a query thread and
//! its answer back cost two thread wake-ups per request; measured side by side with
//! `oxigraph serve` on the bundled data (2026-12-02, 2 cores, eight connections), a trivial
//! ASK ran at 15,400 requests/s against Oxigraph's 48,700.
//!
//! Threads are kept after their connection closes and given the next one (the one idle the
//! shortest first, whose caches are warm), and end after [`IDLE_FOR`] without work.
//! Beyond the cap, connections are served as before, on the shared runtime, so a flood of
//! connections cannot start threads without bound.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::Duration;

/// Serving one connection: called where the connection is polled (its stream is registered
/// with that runtime when the future is made).
pub type Job = Box<dyn FnOnce() -> Pin<Box<dyn Future<Output = ()> + Send>> + Send>;

/// How long a thread without a connection waits for the next before it ends.
pub const IDLE_FOR: Duration = Duration::from_secs(30);

thread_local! {
    static CONNECTION_THREAD: Cell<bool> = const { Cell::new(false) };
}

/// Whether this thread serves a single connection, so that blocking it (evaluating a query
/// in place) holds up only that connection.
pub fn on_connection_thread() -> bool {
    CONNECTION_THREAD.with(Cell::get)
}

/// An idle thread, waiting on its channel for the next connection.
struct Idle {
    id: usize,
    next: mpsc::SyncSender<Job>,
}

#[derive(Default)]
struct Pool {
    idle: Mutex<Vec<Idle>>,
    /// Threads alive, busy or idle.
    live: AtomicUsize,
    /// Names threads, and tells idle ones apart.
    started: AtomicUsize,
}

impl Pool {
    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<Idle>> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Up to `cap` threads, each serving one connection at a time.
pub struct ConnectionThreads {
    pool: Arc<Pool>,
    cap: usize,
}

impl ConnectionThreads {
    /// At most `cap` threads (0: every connection goes to the shared runtime).
    pub fn new(cap: usize) -> Self {
        Self {
            pool: Arc::default(),
            cap,
        }
    }

    /// Threads alive now (busy or idle).
    #[cfg(test)]
    pub fn live(&self) -> usize {
        self.pool.live.load(Ordering::SeqCst)
    }

    /// Serves `job` on an idle thread or a new one; gives it back when `cap` threads are
    /// busy or no thread can be started, for the caller to serve elsewhere.
    pub fn run(&self, job: Job) -> Result<(), Job> {
        let job = match self.hand_to_idle(job) {
            Ok(()) => return Ok(()),
            Err(job) => job,
        };
        if self.pool.live.fetch_add(1, Ordering::SeqCst) >= self.cap {
            self.pool.live.fetch_sub(1, Ordering::SeqCst);
            return Err(job);
        }
        self.start(job).inspect_err(|_| {
            self.pool.live.fetch_sub(1, Ordering::SeqCst);
        })
    }

    fn hand_to_idle(&self, mut job: Job) -> Result<(), Job> {
        loop {
            let Some(idle) = self.pool.idle().pop() else {
                return Err(job);
            };
            // The channel holds one job and the thread took itself off the list to wait on
            // it, or it is gone (it ended between our look and its leaving): try the next.
            match idle.next.try_send(job) {
                Ok(()) => return Ok(()),
                Err(mpsc::TrySendError::Full(back) | mpsc::TrySendError::Disconnected(back)) => job = back,
            }
        }
    }

    fn start(&self, job: Job) -> Result<(), Job> {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
            return Err(job);
        };
        // Kept where the caller can take it back if the thread cannot be started.
        let first = Arc::new(Mutex::new(Some(job)));
        let handed = Arc::clone(&first);
        let pool = Arc::clone(&self.pool);
        let n = pool.started.fetch_add(1, Ordering::SeqCst);
        // Queries are parsed and evaluated in place here: a stack the nesting limits fit.
        let started = std::thread::Builder::new()
            .name(format!("connection-{n}"))
            .stack_size(crate::sparql::nesting::QUERY_STACK_BYTES)
            .spawn(move || {
                let job = handed.lock().unwrap_or_else(PoisonError::into_inner).take();
                if let Some(job) = job {
                    serve_connections(&runtime, &pool, job, n);
                }
                pool.live.fetch_sub(1, Ordering::SeqCst);
            });
        match started {
            Ok(_) => Ok(()),
            Err(_) => {
                let job = first.lock().unwrap_or_else(PoisonError::into_inner).take();
                // The thread never ran, so the job is still there.
                job.map_or(Ok(()), Err)
            }
        }
    }
}

impl Drop for ConnectionThreads {
    /// Idle threads end (their channels close); busy ones end after their connection.
    fn drop(&mut self) {
        self.pool.idle().clear();
    }
}

/// A connection thread's life: serve, wait for the next connection, until idle too long
/// or the pool is gone. A panic ends the thread (and its connection), not the server.
fn serve_connections(runtime: &tokio::runtime::Runtime, pool: &Pool, first: Job, id: usize) {
    CONNECTION_THREAD.with(|flag| flag.set(true));
    let mut job = first;
    loop {
        let served = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| runtime.block_on(job())));
        if served.is_err() {
            return;
        }
        match wait_for_next(pool, id) {
            Some(next) => job = next,
            None => return,
        }
    }
}

/// Puts this thread on the idle list and waits for a connection; `None` when it waited
/// [`IDLE_FOR`] in vain or the pool is gone.
fn wait_for_next(pool: &Pool, id: usize) -> Option<Job> {
    let (next, receiver) = mpsc::sync_channel(1);
    pool.idle().push(Idle { id, next });
    match receiver.recv_timeout(IDLE_FOR) {
        Ok(job) => Some(job),
        Err(mpsc::RecvTimeoutError::Disconnected) => None,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            let mut idle = pool.idle();
            match idle.iter().position(|thread| thread.id == id) {
                Some(at) => {
                    idle.remove(at);
                    None
                }
                // Taken off the list just now: a connection is on its way.
                None => {
                    drop(idle);
                    receiver.recv().ok()
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A job that reports the name of the thread it ran on, then waits for `release`.
    fn reporting(report: mpsc::Sender<String>, release: Option<mpsc::Receiver<()>>) -> Job {
        Box::new(move || {
            Box::pin(async move {
                let name = std::thread::current().name().unwrap_or("").to_string();
                let _ = report.send(format!("{name} {}", on_connection_thread()));
                if let Some(release) = release {
                    let _ = tokio::task::spawn_blocking(move || release.recv()).await;
                }
            })
        })
    }

    fn next(report: &mpsc::Receiver<String>) -> String {
        report.recv_timeout(Duration::from_secs(10)).unwrap_or_default()
    }

    #[test]
    fn a_thread_serves_one_connection_at_a_time_and_is_reused() {
        let threads = ConnectionThreads::new(1);
        let (report, reports) = mpsc::channel();
        let (release, released) = mpsc::channel();
        assert!(threads.run(reporting(report.clone(), Some(released))).is_ok());
        let first = next(&reports);
        assert!(first.starts_with("connection-") && first.ends_with(" true"), "{first}");
        // The only thread is busy: a second connection is given back to be served elsewhere.
        assert!(threads.run(reporting(report.clone(), None)).is_err());
        release.send(()).unwrap();
        // Once free, the same thread takes the next connection.
        let mut handed = Err(reporting(report.clone(), None));
        for _ in 0..200 {
            match threads.run(handed.unwrap_err()) {
                Ok(()) => {
                    handed = Ok(());
                    break;
                }
                Err(job) => {
                    handed = Err(job);
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
        }
        assert!(handed.is_ok(), "the thread did not become free");
        assert_eq!(next(&reports), first);
        assert_eq!(threads.live(), 1);
        assert!(
            !on_connection_thread(),
            "the test's own thread is not a connection thread"
        );
    }

    #[test]
    fn a_panicking_connection_ends_its_thread_not_the_pool() {
        let threads = ConnectionThreads::new(1);
        let panicking: Job = Box::new(|| Box::pin(async { panic!("a handler that panics") }));
        assert!(threads.run(panicking).is_ok());
        for _ in 0..200 {
            if threads.live() == 0 {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(threads.live(), 0);
        let (report, reports) = mpsc::channel();
        assert!(threads.run(reporting(report, None)).is_ok());
        assert!(next(&reports).ends_with(" true"));
    }

    #[test]
    fn no_threads_with_a_cap_of_zero() {
        let threads = ConnectionThreads::new(0);
        let (report, _reports) = mpsc::channel();
        assert!(threads.run(reporting(report, None)).is_err());
        assert_eq!(threads.live(), 0);
    }
}
