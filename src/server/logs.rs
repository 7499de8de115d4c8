//! Where log lines go: every thread appends its formatted lines to one buffer in memory, and
//! one background thread writes that buffer out (to standard error) every [`FLUSH_EVERY`],
//! or as soon as it holds [`FLUSH_AT`] bytes. A request then costs its formatted line and a
//! short lock, not a wake-up of a writer thread and a system call: a line handed to a writer
//! thread one at a time cost a fifth of a trivial ASK's throughput at 8 connections (side by
//! side with `RUST_LOG=warn`, 2026-12-02). Measured again against tracing-subscriber writing
//! each line to standard error itself (2026-12-08, release, bundled data, no answer cache,
//! stderr to a file, `ASK {}` with wrk, three alternating rounds of 5 s): 40,200 against
//! 39,800 requests/s at one connection, 44,500 against 41,000 at eight (the rounds' ranges
//! 43,600–46,200 and 39,200–41,200 do not overlap), so it stays. No line is dropped: a thread that finds
//! [`MAX_HELD`] bytes waiting writes them out itself, and [`LogGuard`] writes the rest when
//! dropped.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// How long a line may wait in memory before it is written.
pub const FLUSH_EVERY: Duration = Duration::from_millis(50);
/// The background thread is woken early once this much is waiting.
pub const FLUSH_AT: usize = 256 * 1024;
/// Past this much waiting, the thread adding a line writes everything out itself.
pub const MAX_HELD: usize = 8 * 1024 * 1024;

/// What the writing threads share.
struct Shared {
    /// Lines not yet written.
    waiting: Mutex<Vec<u8>>,
    /// Wakes the background thread early (a full buffer, or the end).
    wake: Condvar,
    /// The output; taken while a batch is cut from `waiting` and written, so that batches
    /// come out in the order they were cut.
    output: Mutex<Box<dyn Write + Send>>,
    closed: AtomicBool,
}

/// Locks `mutex`, also when a thread panicked holding it (a log buffer is still usable).
fn lock<T: ?Sized>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Shared {
    /// Cuts what is waiting and writes it out, in order with other batches.
    fn write_out(&self) {
        let mut output = lock(&self.output);
        let batch = std::mem::take(&mut *lock(&self.waiting));
        if !batch.is_empty() {
            // Nowhere to report a failing standard error: the lines are lost, as with eprintln.
            let _ = output.write_all(&batch);
            let _ = output.flush();
        }
    }
}

/// The `MakeWriter` for `tracing_subscriber`: each event's line is appended to the buffer.
#[derive(Clone)]
pub struct BatchedWriter {
    shared: Arc<Shared>,
}

/// Ends the background thread when dropped, after writing every line still waiting.
pub struct LogGuard {
    shared: Arc<Shared>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// A writer of batched lines to `output`, and the guard that keeps its thread.
pub fn batched(output: impl Write + Send + 'static) -> std::io::Result<(BatchedWriter, LogGuard)> {
    let shared = Arc::new(Shared {
        waiting: Mutex::new(Vec::new()),
        wake: Condvar::new(),
        output: Mutex::new(Box::new(output)),
        closed: AtomicBool::new(false),
    });
    let background = Arc::clone(&shared);
    let thread = std::thread::Builder::new()
        .name("log-writer".into())
        .spawn(move || write_in_batches(&background))?;
    Ok((
        BatchedWriter {
            shared: Arc::clone(&shared),
        },
        LogGuard {
            shared,
            thread: Some(thread),
        },
    ))
}

/// The background thread: writes what is waiting every [`FLUSH_EVERY`] or when woken, until
/// the guard is dropped.
fn write_in_batches(shared: &Shared) {
    loop {
        {
            let waiting = lock(&shared.waiting);
            if waiting.len() < FLUSH_AT && !shared.closed.load(Ordering::Acquire) {
                let _ = shared.wake.wait_timeout(waiting, FLUSH_EVERY);
            }
        }
        shared.write_out();
        // The guard writes what comes after this last look.
        if shared.closed.load(Ordering::Acquire) {
            return;
        }
    }
}

impl Drop for LogGuard {
    fn drop(&mut self) {
        self.shared.closed.store(true, Ordering::Release);
        self.shared.wake.notify_one();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        // Lines added after the thread's last look.
        self.shared.write_out();
    }
}

/// One event's writer: what it is given goes to the buffer in one piece when it is dropped,
/// so that lines of different threads never interleave.
pub struct EventWriter<'a> {
    shared: &'a Shared,
    line: Vec<u8>,
}

impl Write for EventWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.line.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for EventWriter<'_> {
    fn drop(&mut self) {
        if self.line.is_empty() {
            return;
        }
        let held = {
            let mut waiting = lock(&self.shared.waiting);
            waiting.extend_from_slice(&self.line);
            waiting.len()
        };
        if held >= MAX_HELD {
            self.shared.write_out();
        } else if held >= FLUSH_AT && held - self.line.len() < FLUSH_AT {
            self.shared.wake.notify_one();
        }
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for BatchedWriter {
    type Writer = EventWriter<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        EventWriter {
            shared: &self.shared,
            line: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing_subscriber::fmt::MakeWriter;

    /// An output the test can read.
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);

    impl Write for Sink {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            lock(&self.0).extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Sink {
        fn text(&self) -> String {
            String::from_utf8(lock(&self.0).clone()).unwrap()
        }
    }

    #[test]
    fn every_line_of_every_thread_comes_out_in_each_threads_order() {
        let sink = Sink::default();
        let (writer, guard) = batched(sink.clone()).unwrap();
        std::thread::scope(|scope| {
            for thread in 0..8 {
                let writer = writer.clone();
                scope.spawn(move || {
                    for line in 0..2_000 {
                        writeln!(writer.make_writer(), "{thread} {line}").unwrap();
                    }
                });
            }
        });
        drop(guard);
        let text = sink.text();
        let mut next = [0usize; 8];
        for line in text.lines() {
            let (thread, number) = line.split_once(' ').unwrap();
            let thread: usize = thread.parse().unwrap();
            assert_eq!(number.parse::<usize>().unwrap(), next[thread], "{line}");
            next[thread] += 1;
        }
        assert_eq!(next, [2_000; 8]);
    }

    #[test]
    fn lines_are_written_within_the_flush_interval_without_the_guard() {
        let sink = Sink::default();
        let (writer, _guard) = batched(sink.clone()).unwrap();
        writeln!(writer.make_writer(), "one line").unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while sink.text().is_empty() && std::time::Instant::now() < deadline {
            std::thread::sleep(FLUSH_EVERY / 5);
        }
        assert_eq!(sink.text(), "one line\n");
    }

    #[test]
    fn a_full_buffer_is_written_by_the_thread_that_fills_it() {
        let sink = Sink::default();
        let (writer, _guard) = batched(sink.clone()).unwrap();
        let line = vec![b'x'; MAX_HELD];
        writer.make_writer().write_all(&line).unwrap();
        // No waiting: the writing thread wrote it out when its event ended.
        assert_eq!(lock(&sink.0).len(), MAX_HELD);
    }
}
