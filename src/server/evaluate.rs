//! Running queries within bounds: a limited number at once (beyond that, 503 with
//! `Retry-After` rather than piling up threads), the time limit with a backstop, and
//! streamed results. On a connection's own thread (see [`super::connections`]) a query is
//! evaluated in place; elsewhere on a query thread, off the async workers. A result is held
//! back until it passes [`COMMIT_AT`] bytes, so that a time-out or an error before then is a
//! proper status code; past that, the response streams in chunks from a query thread and a
//! later failure can only cut it short.

use std::io::Write;
use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::mpsc;

use super::cache::{Cached, ResponseCache};
use super::connections::on_connection_thread;
use super::{ApiError, AppState, internal};
use crate::sparql::SparqlError;

/// Output held back before a response is committed to streaming.
pub const COMMIT_AT: usize = 4 * 1024 * 1024;
/// Size of the chunks a committed response streams in.
const CHUNK: usize = 64 * 1024;
/// Bytes always kept unsent, so the end of a document can still be amended.
const HOLD_BACK: usize = 64;
/// How long a query waits for a free evaluation slot before it is refused.
const QUEUE_WAIT: Duration = Duration::from_secs(2);

/// What the evaluating task tells the response, in order: the content type, chunks, the end.
enum Message {
    Head(&'static str),
    Data(Bytes),
    Done(Result<Finished, ApiError>),
}

/// The end of a query's output: the bytes still held and headers for a complete response.
struct Finished {
    rest: Bytes,
    media_type: &'static str,
    headers: Vec<(&'static str, String)>,
}

/// Where the evaluating task records the content type once it has chosen the format.
pub type MediaType = Arc<OnceLock<&'static str>>;

fn media_of(media: &MediaType) -> &'static str {
    media.get().copied().unwrap_or("application/octet-stream")
}

/// The writer a query's results go to: buffers, then sends chunks to the response.
pub struct ChannelWriter {
    /// `None` while evaluating in place, where nothing can be sent before the end.
    sender: Option<mpsc::Sender<Message>>,
    buffer: Vec<u8>,
    committed: bool,
    media: MediaType,
    /// Set when the output outgrew [`COMMIT_AT`] with nowhere to stream it.
    overflowed: bool,
}

impl ChannelWriter {
    /// The handle to record the content type with (before the first byte is written).
    pub fn media_type(&self) -> MediaType {
        Arc::clone(&self.media)
    }

    fn new(sender: Option<mpsc::Sender<Message>>) -> Self {
        Self {
            sender,
            buffer: Vec::new(),
            committed: false,
            media: MediaType::default(),
            overflowed: false,
        }
    }

    /// Inserts `member` (e.g. `"capped":1000`) as the last member of the JSON object
    /// that ends the output. The end is always still held back.
    pub fn append_json_member(&mut self, member: &str) {
        if let Some(end) = self.buffer.iter().rposition(|b| *b == b'}') {
            let insertion = format!(",{member}");
            self.buffer.splice(end..end, insertion.into_bytes());
        }
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        let threshold = if self.committed { CHUNK } else { COMMIT_AT };
        if self.buffer.len() >= threshold + HOLD_BACK {
            let Some(sender) = &self.sender else {
                self.overflowed = true;
                return Err(std::io::Error::other("the answer is too large to be sent whole"));
            };
            let rest = self.buffer.split_off(self.buffer.len() - HOLD_BACK);
            let chunk = std::mem::replace(&mut self.buffer, rest);
            // The receiver is gone when the client went away: stop evaluating.
            let gone = |_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away");
            if !self.committed {
                sender
                    .blocking_send(Message::Head(media_of(&self.media)))
                    .map_err(gone)?;
            }
            sender.blocking_send(Message::Data(chunk.into())).map_err(gone)?;
            self.committed = true;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Work for a query thread.
type Job = Box<dyn FnOnce() + Send>;

/// The threads queries are evaluated on: one per query slot, started with the server and
/// reused. tokio's blocking pool wakes whichever idle thread it has, so a query often ran on a
/// thread whose caches (RocksDB's per-thread state, the allocator's) were cold. Measured side
/// by side at eight connections against the previous commit: the aggregate over all mentions
/// 2,380 against 1,840 requests/s, a trivial ASK 23,100 against 18,600. Evaluating on the
/// connection's own worker inside `tokio::task::block_in_place` instead (no hand-off on the
/// request's path, but tokio starts a thread to carry the worker's other tasks each time) was
/// slower, side by side at eight connections: a trivial ASK 15,900 against 21,100 requests/s,
/// a DESCRIBE 11,000 against 14,600, the aggregate the same (2026-12-02).
pub struct QueryThreads {
    jobs: std::sync::mpsc::Sender<Job>,
}

impl QueryThreads {
    /// Starts `count` threads; they end when this is dropped.
    pub fn start(count: usize) -> std::io::Result<Self> {
        let (sender, receiver) = std::sync::mpsc::channel::<Job>();
        let receiver = Arc::new(std::sync::Mutex::new(receiver));
        for n in 0..count.max(1) {
            let receiver = Arc::clone(&receiver);
            let builder = std::thread::Builder::new()
                .name(format!("query-{n}"))
                .stack_size(crate::sparql::nesting::QUERY_STACK_BYTES);
            builder.spawn(move || {
                loop {
                    let next = receiver
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .recv();
                    let Ok(job) = next else { return };
                    // A panic ends the query (its channel closes: a 500), not the thread.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                }
            })?;
        }
        Ok(Self { jobs: sender })
    }

    /// No threads of its own: every job goes to the blocking pool (when threads cannot be
    /// started, the process is short of resources, and the pool is the better place to wait).
    pub fn none() -> Self {
        let (sender, _) = std::sync::mpsc::channel::<Job>();
        Self { jobs: sender }
    }

    /// Runs `job` on a query thread (on the blocking pool if they are gone).
    fn run(&self, job: impl FnOnce() + Send + 'static) {
        let sent = self.jobs.send(Box::new(job));
        if let Err(std::sync::mpsc::SendError(job)) = sent {
            tokio::task::spawn_blocking(job);
        }
    }
}

/// The address a request came from (set on each request of a connection).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientAddr(pub std::net::IpAddr);

/// How many SPARQL queries one client may have running at once, of `slots` in all: a quarter,
/// at least one, so that one client (address) cannot take every slot.
pub fn queries_per_client(slots: usize) -> usize {
    (slots / 4).max(1)
}

/// The SPARQL queries running per client address.
pub struct ClientSlots {
    each: usize,
    running: std::sync::Mutex<std::collections::HashMap<std::net::IpAddr, usize>>,
}

/// A client's running query; dropping it frees the client's place.
pub struct ClientSlot {
    slots: Arc<ClientSlots>,
    client: std::net::IpAddr,
}

impl ClientSlots {
    /// Each client may run `each` queries at once.
    pub fn new(each: usize) -> Self {
        Self {
            each,
            running: std::sync::Mutex::default(),
        }
    }

    fn running(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<std::net::IpAddr, usize>> {
        self.running.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A place for one more query of `client`, or 429 with `Retry-After` when it has its share.
    fn take(self: &Arc<Self>, client: ClientAddr, metrics: &super::ops::Metrics) -> Result<ClientSlot, ApiError> {
        let mut running = self.running();
        let count = running.entry(client.0).or_insert(0);
        if *count >= self.each {
            metrics.refused_per_client.fetch_add(1, Ordering::Relaxed);
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "this client already has {} queries running, the most one client may; wait for an answer before asking again",
                    self.each
                ),
            )
            .retry_after(2));
        }
        *count += 1;
        Ok(ClientSlot {
            slots: Arc::clone(self),
            client: client.0,
        })
    }
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut running = self.slots.running();
        if let Some(count) = running.get_mut(&self.client) {
            *count -= 1;
            if *count == 0 {
                running.remove(&self.client);
            }
        }
    }
}

/// Which slots a request takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Arbitrary SPARQL.
    Sparql,
    /// Views, pages, dumps, reconciliation.
    Curated,
}

/// A slot to evaluate in, or 503 with `Retry-After` when all are busy for too long.
async fn slot(state: &AppState, class: Class) -> Result<tokio::sync::OwnedSemaphorePermit, ApiError> {
    let permits = match class {
        Class::Sparql => &state.permits,
        Class::Curated => &state.curated_permits,
    };
    // Mostly a slot is free: taken at once, without arming the waiting time's timer.
    if let Ok(permit) = permits.clone().try_acquire_owned() {
        return Ok(permit);
    }
    match tokio::time::timeout(QUEUE_WAIT, permits.clone().acquire_owned()).await {
        Ok(Ok(permit)) => Ok(permit),
        _ => {
            state.metrics.refused.fetch_add(1, Ordering::Relaxed);
            Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "too many queries are running; try again in a few seconds",
            )
            .retry_after(5))
        }
    }
}

fn timed_out(state: &AppState) -> ApiError {
    state.metrics.timeouts.fetch_add(1, Ordering::Relaxed);
    ApiError::from(SparqlError::TimedOut(state.policy.time_limit))
}

/// What a query's work returns: headers for a response sent whole.
type Headers = Vec<(&'static str, String)>;

/// Runs `work` (which records its content type in [`ChannelWriter::media_type`], then
/// writes the body) in a slot and answers with what it wrote, streaming once the output
/// passes [`COMMIT_AT`]. The headers `work` returns are added when the response is complete
/// before that point.
/// With `keep` (a cache and an entity tag), a complete answer kept under that tag is sent
/// without evaluating, and a new complete one is kept.
///
/// On a connection thread `work` runs in place; an answer that outgrows [`COMMIT_AT`] there
/// cannot be streamed (the response is only sent once this returns), so `work` runs once
/// more on a query thread, streaming. Answers that large are rare and cost far more than
/// the hand-off saved on every other request.
pub(super) async fn stream(
    state: &AppState,
    client: Option<ClientAddr>,
    keep: Option<(Arc<ResponseCache>, String)>,
    work: impl Fn(&mut ChannelWriter) -> Result<Headers, ApiError> + Send + Sync + 'static,
) -> Result<Response, ApiError> {
    if let Some((cache, tag)) = &keep
        && let Some(hit) = cache.get(tag)
    {
        return complete(hit.body, hit.media_type, hit.headers);
    }
    // Held until the answer is complete (or the stream's thread is done with it).
    let client_slot = client
        .map(|client| state.clients.take(client, &state.metrics))
        .transpose()?;
    if on_connection_thread() {
        let permit = slot(state, Class::Sparql).await?;
        if let Some(outcome) = in_place(permit, &work) {
            let finished = outcome.map_err(|error| counted(state, error))?;
            return kept_and_complete(keep.as_ref(), finished);
        }
    }
    let permit = slot(state, Class::Sparql).await?;
    let (sender, mut receiver) = mpsc::channel::<Message>(4);
    state.query_threads.run(move || {
        let mut writer = ChannelWriter::new(Some(sender.clone()));
        let outcome = work(&mut writer).map(|headers| finished(&mut writer, headers));
        // Free the slots before the answer's end is handed over: a client that sends its next
        // query as soon as it has read this answer must find its share free (else a 429 to a
        // client that never had two queries running; seen in a CI run).
        drop((permit, client_slot));
        let _ = sender.blocking_send(Message::Done(outcome));
    });
    let deadline = tokio::time::Instant::now() + state.policy.time_limit + Duration::from_secs(1);
    let mut media_type = media_of(&MediaType::default());
    loop {
        let message = match tokio::time::timeout_at(deadline, receiver.recv()).await {
            Err(_) => return Err(timed_out(state)),
            Ok(None) => return Err(internal("the query task ended without an answer")),
            Ok(Some(message)) => message,
        };
        match message {
            Message::Head(declared) => media_type = declared,
            Message::Done(Err(error)) => return Err(counted(state, error)),
            Message::Done(Ok(finished)) => return kept_and_complete(keep.as_ref(), finished),
            Message::Data(first) => {
                let stream = Chunks {
                    first: Some(first),
                    receiver,
                };
                let mut response = Body::from_stream(stream).into_response();
                response
                    .headers_mut()
                    .insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
                return Ok(response);
            }
        }
    }
}

/// Evaluates `work` on this thread, holding `permit`; `None` when the answer outgrew
/// [`COMMIT_AT`] (and must be evaluated again where it can stream).
fn in_place(
    permit: tokio::sync::OwnedSemaphorePermit,
    work: &(impl Fn(&mut ChannelWriter) -> Result<Headers, ApiError> + Sync),
) -> Option<Result<Finished, ApiError>> {
    let _permit = permit;
    let mut writer = ChannelWriter::new(None);
    // A panic ends this query with a 500, as on a query thread, not the connection's thread.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&mut writer)));
    if writer.overflowed {
        return None;
    }
    Some(match outcome {
        Ok(result) => result.map(|headers| finished(&mut writer, headers)),
        Err(_) => Err(internal("the query failed unexpectedly")),
    })
}

/// The end of `writer`'s output, complete.
fn finished(writer: &mut ChannelWriter, headers: Headers) -> Finished {
    Finished {
        rest: Bytes::from(std::mem::take(&mut writer.buffer)),
        media_type: media_of(&writer.media),
        headers,
    }
}

/// A query's error, counted among the time-outs or the memory stops when it is one.
fn counted(state: &AppState, error: ApiError) -> ApiError {
    if error.status == StatusCode::SERVICE_UNAVAILABLE {
        state.metrics.timeouts.fetch_add(1, Ordering::Relaxed);
    }
    if error.status == StatusCode::INSUFFICIENT_STORAGE {
        state.metrics.over_memory.fetch_add(1, Ordering::Relaxed);
    }
    error
}

/// A complete answer, kept under the entity tag of `keep` when there is one.
fn kept_and_complete(keep: Option<&(Arc<ResponseCache>, String)>, finished: Finished) -> Result<Response, ApiError> {
    if let Some((cache, tag)) = keep {
        cache.put(
            tag,
            Cached {
                media_type: finished.media_type,
                headers: finished.headers.clone(),
                body: finished.rest.clone(),
            },
        );
    }
    complete(finished.rest, finished.media_type, finished.headers)
}

/// A response sent whole.
fn complete(body: Bytes, media_type: &'static str, extra: Vec<(&'static str, String)>) -> Result<Response, ApiError> {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    for (name, value) in extra {
        headers.insert(name, HeaderValue::from_str(&value).map_err(internal)?);
    }
    Ok(response)
}

struct Chunks {
    first: Option<Bytes>,
    receiver: mpsc::Receiver<Message>,
}

impl futures_core::Stream for Chunks {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        if let Some(first) = self.first.take() {
            return std::task::Poll::Ready(Some(Ok(first)));
        }
        self.receiver.poll_recv(cx).map(|message| match message? {
            Message::Data(chunk) => Some(Ok(chunk)),
            Message::Head(_) => Some(Ok(Bytes::new())),
            Message::Done(Ok(finished)) => Some(Ok(finished.rest)),
            // Too late for a status code: end the body with an error, which cuts the response.
            Message::Done(Err(error)) => Some(Err(std::io::Error::other(error.message))),
        })
    }
}

/// Runs `work` in a slot under the time limit (for responses that are small and complete,
/// such as views): in place on a connection thread, else on a query thread.
pub(super) async fn bounded<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let permit = slot(state, Class::Curated).await?;
    if on_connection_thread() {
        let _permit = permit;
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
            .unwrap_or_else(|_| Err(internal("the query failed unexpectedly")));
        return outcome.map_err(|error| counted(state, error));
    }
    let (sender, task) = tokio::sync::oneshot::channel();
    state.query_threads.run(move || {
        let _permit = permit;
        let _ = sender.send(work());
    });
    let backstop = state.policy.time_limit + Duration::from_secs(1);
    match tokio::time::timeout(backstop, task).await {
        Err(_) => Err(timed_out(state)),
        Ok(joined) => {
            let result = joined.map_err(|_| internal("the query thread ended without an answer"))?;
            result.map_err(|error| counted(state, error))
        }
    }
}

/// Runs blocking store work that needs no query slot (counts, a status look-up): in place
/// on a connection thread, else on tokio's blocking pool.
pub(super) async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
    if on_connection_thread() {
        return std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
            .map_err(|_| internal("the store call failed unexpectedly"));
    }
    tokio::task::spawn_blocking(work).await.map_err(internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thread_name_of(threads: &QueryThreads) -> String {
        let (sender, receiver) = std::sync::mpsc::channel();
        threads.run(move || {
            let _ = sender.send(std::thread::current().name().unwrap_or("").to_string());
        });
        receiver.recv_timeout(Duration::from_secs(10)).unwrap_or_default()
    }

    #[test]
    fn query_threads_are_reused_and_survive_a_panicking_query() {
        let threads = QueryThreads::start(1).expect("a thread starts");
        assert_eq!(thread_name_of(&threads), "query-0");
        threads.run(|| panic!("a query that panics"));
        assert_eq!(thread_name_of(&threads), "query-0", "the thread is still there");
    }

    #[test]
    fn without_threads_jobs_go_to_the_blocking_pool() {
        let runtime = tokio::runtime::Runtime::new().expect("a runtime");
        let _inside = runtime.enter();
        let name = thread_name_of(&QueryThreads::none());
        assert!(!name.is_empty() && !name.starts_with("query-"), "{name}");
    }
}
