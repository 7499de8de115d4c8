//! The axum adapter: the only module that knows axum/tower/http. Store calls run in place on
//! a connection's own thread, else on the blocking pool or the query threads; domain errors
//! become plain-text HTTP errors.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::html;
use crate::ids::Ids;
use crate::import::Importer;
use crate::sparql::{self, Dataset, QueryPolicy, ResultFormat, SparqlError};
use crate::store::Store;
use crate::views::Views;

mod cache;
mod connections;
mod dumps;
mod edge;
mod evaluate;
mod linked;
pub mod logs;
mod ops;
mod reconcile;
pub mod request_line;
#[cfg(unix)]
mod socket;
mod ui;
mod views;
mod write;

/// Largest accepted request body.
const MAX_BODY: usize = 1024 * 1024;

/// What the operator configures besides the store and the base IRI.
pub struct Settings {
    /// Limits on every query.
    pub policy: QueryPolicy,
    /// The curated views.
    pub views: Views,
    /// Writes (`/update`, Graph Store writes, `/import`) need `Authorization: Bearer` with
    /// this token; without one, writes are off.
    pub update_token: Option<String>,
    /// What `/import` runs newsletters through (reference data, limits).
    pub importer: Option<Importer>,
    /// Queries evaluated at once; more wait briefly, then get 503 with `Retry-After`.
    pub max_concurrent_queries: usize,
    /// Publisher, contact and licence for the dataset description.
    pub publication: crate::linked::dataset::Publication,
    /// People who asked not to be published: their identifiers answer 410 Gone.
    pub suppressed: Vec<String>,
    /// Keep complete answers by data version (off only to measure the engine itself).
    pub cache: bool,
    /// Connections served on a thread of their own at most at once (the rest share the
    /// async runtime); 0 serves all on the runtime.
    pub connection_threads: usize,
}

/// Connections with a thread of their own, by default: as many as a busy endpoint keeps open,
/// and few enough that their threads (a stack and a small runtime each) stay cheap.
pub const CONNECTION_THREADS: usize = 128;

impl Settings {
    /// Read-only, no importer, four query slots per core (at least four). Queries are
    /// evaluated on their connections' threads, and two slots on two cores left 62 of 64
    /// connections waiting for a slot, each hand-over a thread wake-up: a trivial ASK ran at
    /// 17,600 requests/s against 38,000 with eight slots (2026-12-02).
    pub fn new(policy: QueryPolicy, views: Views) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Self {
            policy,
            views,
            update_token: None,
            importer: None,
            max_concurrent_queries: (4 * cores).max(4),
            publication: Default::default(),
            suppressed: crate::extract::suppress::parse_list(crate::reference::SUPPRESSED_PEOPLE),
            cache: true,
            connection_threads: CONNECTION_THREADS,
        }
    }
}

/// Shared state of the handlers: one `Arc`, since every request clones it (into the
/// request-log middleware and each handler); cloning fifteen `Arc`s and dropping them again
/// cost about 8,000 instructions per request (callgrind).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] shares.
pub struct Shared {
    store: Store,
    ids: Arc<Ids>,
    policy: QueryPolicy,
    views: Arc<Views>,
    update_token: Option<Arc<str>>,
    importer: Option<Arc<Importer>>,
    /// The store's data version when the server started…
    data_version: Arc<str>,
    /// …and how many writes it has taken since: together they name the data a response shows.
    writes: Arc<AtomicU64>,
    metrics: Arc<ops::Metrics>,
    /// Evaluation slots of arbitrary SPARQL (`/sparql`)…
    permits: Arc<tokio::sync::Semaphore>,
    /// …and of what the server itself asks (views, pages, dumps, reconciliation), kept apart so
    /// that strangers' queries cannot take the capacity the curated surface needs.
    curated_permits: Arc<tokio::sync::Semaphore>,
    /// SPARQL queries running per client address, each client held to a few.
    clients: Arc<evaluate::ClientSlots>,
    /// Slots of both kinds together (a query thread each).
    query_slots: usize,
    /// The canonical dumps of the latest data version asked for.
    dumps: Arc<std::sync::Mutex<Option<Arc<dumps::Dumps>>>>,
    /// Held while dumps are computed.
    dumping: Arc<tokio::sync::Mutex<()>>,
    publication: Arc<crate::linked::dataset::Publication>,
    /// Identifiers of suppressed people.
    suppressed: Arc<Vec<oxigraph::model::NamedNode>>,
    /// Writes one at a time; readers wait for writers only where they must (see [`Consistency`]).
    consistency: Consistency,
    /// Complete answers by entity tag (which names the data version).
    cache: Arc<cache::ResponseCache>,
    /// Where queries are evaluated.
    query_threads: evaluate::QueryThreads,
}

impl Shared {
    /// How long a request (reading its body included) may take: the query time twice over
    /// and a little more. A client slower than that is cut off with 408.
    fn request_limit(&self) -> std::time::Duration {
        self.policy.time_limit * 2 + std::time::Duration::from_secs(10)
    }
}

/// Writes hold the lock exclusively, one at a time. Queries on a store whose default graph is
/// the merge run on one snapshot each and need not wait. Queries that merge graphs pattern by
/// pattern (a store an older version wrote, opened read-only) read a fresh view per pattern,
/// so they hold the lock shared: without it a query running across a write could see part
/// of the old and part of the new version of a document (the concurrent re-import test
/// caught it).
#[derive(Clone)]
struct Consistency {
    lock: Arc<std::sync::RwLock<()>>,
    readers_wait: bool,
}

impl Consistency {
    fn reading(&self) -> Option<std::sync::RwLockReadGuard<'_, ()>> {
        self.readers_wait
            .then(|| self.lock.read().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    fn writing(&self) -> std::sync::RwLockWriteGuard<'_, ()> {
        self.lock.write().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl AppState {
    /// The version of the data: changes exactly when a write through this server changes it.
    fn version(&self) -> String {
        let writes = self.writes.load(Ordering::SeqCst).to_string();
        [&*self.data_version, "-", &writes].concat()
    }

    /// A page kept under `tag` (an entity tag, which names the data version).
    fn kept(&self, tag: &str) -> Option<(Bytes, &'static str)> {
        self.cache.get(tag).map(|kept| (kept.body, kept.media_type))
    }

    /// The page `make` renders in a query slot, kept under `tag` for the next request.
    async fn made_and_kept(
        &self,
        tag: &str,
        make: impl FnOnce() -> Result<(Vec<u8>, &'static str), ApiError> + Send + 'static,
    ) -> Result<(Bytes, &'static str), ApiError> {
        let (body, media_type) = evaluate::bounded(self, make).await?;
        let body = Bytes::from(body);
        self.cache.put(
            tag,
            cache::Cached {
                media_type,
                headers: Vec::new(),
                body: body.clone(),
            },
        );
        Ok((body, media_type))
    }
}

/// How long clients and caches may reuse a query response without asking again.
const CACHE_CONTROL: &str = "public, max-age=300";

/// The header that says the row cap cut a result short (its value is the cap).
pub const ROWS_CAPPED_HEADER: &str = "x-esam-rows-capped";

/// Output held back before a response streams: errors up to this size get a proper status.
pub const STREAM_COMMIT_BYTES: usize = evaluate::COMMIT_AT;

/// The member added at the end of a capped SPARQL JSON result (its value is the cap).
pub const ROWS_CAPPED_JSON_MEMBER: &str = "esam:rowsCapped";

/// Largest accepted body of a write (a newsletter, a graph).
const MAX_WRITE_BODY: usize = 64 * 1024 * 1024;

/// The router, for `serve` and for in-process tests.
pub fn router(store: Store, ids: Ids, settings: Settings) -> Router {
    // Without a version, responses are simply not cacheable (a fresh value per start).
    let data_version: Arc<str> = store
        .data_version()
        .unwrap_or_else(|_| format!("{:?}", std::time::SystemTime::now()))
        .into();
    let reads = Router::new()
        .route("/", get(home))
        .route("/sparql", get(sparql_get).post(sparql_post))
        .route("/health", get(health))
        .route("/metrics", get(ops::metrics))
        .route("/id/{*rest}", get(linked::thing))
        .route("/doc/{*rest}", get(linked::document))
        .route("/context.jsonld", get(linked::context))
        .route("/dump.nq", get(dumps::nquads))
        .route("/dump.nq.gz", get(dumps::nquads_gz))
        .route("/dump.ttl", get(dumps::turtle))
        .route("/dump.sha256", get(dumps::checksums))
        .route(
            "/dataset",
            get(|state, headers| linked::dataset(state, axum::extract::Path(String::new()), headers)),
        )
        .route("/dataset.{suffix}", get(linked::dataset))
        .route("/ns", get(linked::ontology))
        .route("/changes.atom", get(linked::changes))
        .route("/reconcile", get(reconcile::reconcile).post(reconcile::reconcile))
        .route("/ns.ttl", get(linked::ontology))
        .route("/views", get(views::index))
        .route("/views/{name}", get(views::view))
        .route("/openapi.json", get(views::openapi))
        .route("/ui/yasgui.min.js", get(ui::script))
        .route("/ui/yasgui.min.css", get(ui::style))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY));
    let suppressed = settings
        .suppressed
        .iter()
        .map(|name| {
            ids.entity(
                crate::model::EntityKind::Person,
                &crate::extract::suppress::key_of(name),
            )
        })
        .collect();
    let consistency = Consistency {
        lock: Arc::default(),
        readers_wait: !store.default_graph_is_merge(),
    };
    // A thread per slot of either kind.
    let query_threads =
        evaluate::QueryThreads::start(2 * settings.max_concurrent_queries.max(1)).unwrap_or_else(|error| {
            tracing::warn!(%error, "cannot start the query threads; queries run on the blocking pool");
            evaluate::QueryThreads::none()
        });
    let state = AppState(Arc::new(Shared {
        store,
        ids: Arc::new(ids),
        policy: settings.policy,
        views: Arc::new(settings.views),
        update_token: settings.update_token.map(Into::into),
        importer: settings.importer.map(Arc::new),
        data_version,
        writes: Arc::new(AtomicU64::new(0)),
        metrics: Arc::default(),
        permits: Arc::new(tokio::sync::Semaphore::new(settings.max_concurrent_queries.max(1))),
        curated_permits: Arc::new(tokio::sync::Semaphore::new(settings.max_concurrent_queries.max(1))),
        clients: Arc::new(evaluate::ClientSlots::new(evaluate::queries_per_client(
            settings.max_concurrent_queries,
        ))),
        query_slots: 2 * settings.max_concurrent_queries.max(1),
        dumps: Arc::default(),
        dumping: Arc::default(),
        publication: Arc::new(settings.publication),
        suppressed: Arc::new(suppressed),
        consistency,
        cache: Arc::new(cache::ResponseCache::new(settings.cache)),
        query_threads,
    }));
    let writes = Router::new()
        .route("/update", post(write::update))
        .route("/import", post(write::import))
        .route(
            "/store",
            get(store_get)
                .put(write::store_put)
                .post(write::store_post)
                .delete(write::store_delete),
        )
        .layer(axum::extract::DefaultBodyLimit::max(MAX_WRITE_BODY))
        // The token before the body: a refused write reads none of it.
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), write::token_first));
    Router::new()
        .merge(reads)
        .merge(writes)
        .fallback(not_found)
        .layer(edge::CompressWhenAsked)
        .layer(edge::EdgeLayer(state.clone()))
        .with_state(state)
}

/// Serves until interrupted.
///
/// Connections are served by hyper directly (not `axum::serve`) so that a client
/// must send its request head within [`HEADER_READ_TIMEOUT`]: slow-loris
/// connections are closed instead of holding a task forever. Each connection gets a thread of
/// its own while there are fewer than [`Settings::connection_threads`] (see
/// [`connections`]), else a task on this runtime.
pub async fn serve(store: Store, ids: Ids, settings: Settings, bind: &str) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(bind).await?;
    tracing::info!(address = %listener.local_addr()?, "esam-kg serving http://{}/sparql", listener.local_addr()?);
    let threads = connections::ConnectionThreads::new(settings.connection_threads);
    let app = router(store, ids, settings);
    let (closing, closed) = tokio::sync::watch::channel(false);
    // Every connection holds a clone; once all are dropped, the last connection has closed.
    let (open, mut all_closed) = tokio::sync::mpsc::channel::<()>(1);
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors and the like: wait a moment rather than spin.
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Taken off this runtime, to be registered with the one that will serve it.
        let Ok(stream) = stream.into_std() else { continue };
        let job = connection(stream, app.clone(), closed.clone(), open.clone());
        if let Err(job) = threads.run(job) {
            tokio::spawn(job());
        }
    }
    // Stop accepting; cancel the queries that run (they answer with an error at their next
    // check), let the other requests in flight finish, and give up on what is left after
    // SHUTDOWN_GRACE: a shutdown must not wait for a query, nor for a client that reads slowly.
    drop(listener);
    let _ = closing.send(true);
    let cancelled = crate::sparql::cancel_all_queries();
    tracing::info!(cancelled, "shutting down");
    drop(open);
    if tokio::time::timeout(SHUTDOWN_GRACE, all_closed.recv()).await.is_err() {
        tracing::warn!(grace = ?SHUTDOWN_GRACE, "connections still open at shutdown are closed");
    }
    Ok(())
}

/// How long a shutdown waits for the requests in flight.
pub const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(3);

/// Serving `stream` with `app` until it closes, or gracefully once `closed` changes.
fn connection(
    stream: std::net::TcpStream,
    app: Router,
    closed: tokio::sync::watch::Receiver<bool>,
    open: tokio::sync::mpsc::Sender<()>,
) -> connections::Job {
    Box::new(move || {
        Box::pin(async move {
            let _open = open;
            // A response written in more than one piece (a streamed body) must not wait for
            // the client's acknowledgement of the first (Nagle's algorithm); `oxigraph serve`
            // sets it too. Failing to set it costs only latency.
            let _ = stream.set_nodelay(true);
            // The client's address, for the per-client share of query slots.
            let client = stream.peer_addr().ok().map(|peer| evaluate::ClientAddr(peer.ip()));
            let app = tower::ServiceExt::map_request(
                app,
                move |mut request: axum::extract::Request<hyper::body::Incoming>| {
                    if let Some(client) = client {
                        request.extensions_mut().insert(client);
                    }
                    request
                },
            );
            let service = hyper_util::service::TowerToHyperService::new(app);
            #[cfg(unix)]
            if connections::on_connection_thread() {
                let requests = socket::InFlight::default();
                let Ok(stream) = socket::ThreadSocket::new(stream, requests.clone()) else {
                    return;
                };
                let service = socket::Tracked::new(service, requests);
                return serve_http1(hyper_util::rt::TokioIo::new(stream), service, closed).await;
            }
            let Ok(stream) = tokio::net::TcpStream::from_std(stream) else {
                return;
            };
            serve_http1(hyper_util::rt::TokioIo::new(stream), service, closed).await;
        })
    })
}

/// HTTP/1.1 on `io` until the client closes, or gracefully once `closed` changes.
async fn serve_http1<I, S, B>(io: I, service: S, mut closed: tokio::sync::watch::Receiver<bool>)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + 'static,
    S: hyper::service::HttpService<hyper::body::Incoming, ResBody = B>,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    B: http_body::Body + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .serve_connection(io, service);
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        _ = closed.changed() => {
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        }
    }
}

/// A client must send its whole request head within this time.
pub const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Ctrl-C or SIGTERM: stop accepting, finish the requests in flight.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

/// `GET /health`: the store answers.
async fn health(State(state): State<AppState>) -> Result<&'static str, ApiError> {
    evaluate::blocking(move || state.store.len().map_err(internal)).await??;
    Ok("ok\n")
}

/// An HTTP error with a message a person can read.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
    retry_after: Option<u32>,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            retry_after: None,
        }
    }

    /// Tells the client when to try again (with a 503).
    fn retry_after(mut self, seconds: u32) -> Self {
        self.retry_after = Some(seconds);
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut message = self.message;
        message.push('\n');
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            message,
        )
            .into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<SparqlError> for ApiError {
    fn from(error: SparqlError) -> Self {
        let status = match error {
            SparqlError::Syntax(_)
            | SparqlError::FormatMismatch { .. }
            | SparqlError::ServiceDisabled(_)
            | SparqlError::LoadDisabled
            | SparqlError::TooComplex(_)
            | SparqlError::DatasetConflict => StatusCode::BAD_REQUEST,
            SparqlError::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            SparqlError::TimedOut(_) => StatusCode::SERVICE_UNAVAILABLE,
            SparqlError::OverMemory(_) => StatusCode::INSUFFICIENT_STORAGE,
            SparqlError::Evaluation(_) | SparqlError::Output(_) | SparqlError::Update(_) | SparqlError::Store(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        Self::new(status, error.to_string())
    }
}

async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, format!("nothing at {}", uri.path()))
}

/// `GET /`: what the dataset is, counts by kind, the newsletters, the views, the query UI, the dumps.
async fn home(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let task_state = state.clone();
    let lang = page_lang(&headers);
    let tag = entity_tag_of(&state.version(), &("home", format!("{lang:?}")));
    let (page, media_type) = match state.kept(&tag) {
        Some(kept) => kept,
        None => {
            state
                .made_and_kept(&tag, move || {
                    Ok((home_page(&task_state, lang)?.into_bytes(), "text/html; charset=utf-8"))
                })
                .await?
        }
    };
    let mut response = page.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    Ok(response)
}

/// The Swedish words for the counts `stats` names in English.
fn count_label(label: &str, lang: html::Lang) -> &str {
    let swedish = match label {
        "documents" => "nyhetsbrev",
        "organisations mentioned" => "organisationer som nämns",
        "organisations in reference data" => "organisationer i referensdata",
        "people" => "personer",
        "groups" => "arbetsgrupper och projekt",
        "events" => "händelser",
        "decisions" => "beslut",
        "mentions" => "omnämnanden",
        other => other,
    };
    lang.pick(swedish, label)
}

fn home_page(state: &AppState, lang: html::Lang) -> Result<String, ApiError> {
    use std::fmt::Write as _;
    let t = |sv: &'static str, en: &'static str| lang.pick(sv, en);
    let mut body = format!(
        "<h1>{}</h1><p>{}</p><form method=\"get\" action=\"/views/search\" role=\"search\"><label>{} \
         <input name=\"q\" required minlength=\"2\"></label><input type=\"hidden\" name=\"format\" value=\"html\"> \
         <button type=\"submit\">{}</button></form><h2>{}</h2><table><tbody>",
        t("eSam-grafen", "The eSam graph"),
        t(
            "En länkad datamängd byggd ur eSams nyhetsbrev: vilka myndigheter som deltog i vilka arbetsgrupper och \
             projekt, vem som leder vad, vad styrgruppen beslutade och vilka möten som hölls — varje uppgift med \
             nyhetsbrevet, avsnittet och meningen den kommer från.",
            "A linked dataset built from the eSam newsletters: which authorities took part in which working groups \
             and projects, who leads what, what the steering group decided and which meetings took place — each \
             fact with the newsletter, section and sentence it comes from.",
        ),
        t("Sök", "Search"),
        t("Sök", "Search"),
        t("Innehåll", "Contents"),
    );
    for (label, query) in crate::stats::COUNTS {
        let n = sparql::count(&state.store, query)?;
        let _ = write!(
            body,
            "<tr><th scope=\"row\">{}</th><td>{n}</td></tr>",
            html::escape(count_label(label, lang))
        );
    }
    let _ = write!(body, "</tbody></table><h2>{}</h2><ul>", t("Nyhetsbrev", "Newsletters"));
    let newsletters = "SELECT ?d ?title ?issued WHERE { ?d a esam:Newsletter ; dcterms:title ?title . \
                       OPTIONAL { ?d dcterms:issued ?issued } } ORDER BY DESC(STR(?issued)) ?d LIMIT 24";
    if let oxigraph::sparql::QueryResults::Solutions(rows) =
        sparql::execute(&state.store, sparql::prepare(newsletters, &Dataset::default())?)?
    {
        for row in rows {
            let row = row.map_err(|e| ApiError::from(SparqlError::from(e)))?;
            let (Some(oxigraph::model::Term::NamedNode(doc)), Some(title)) = (row.get("d"), row.get("title")) else {
                continue;
            };
            let issued = row.get("issued").map(crate::views::render::plain).unwrap_or_default();
            let _ = write!(
                body,
                "<li><a href=\"{}\">{}</a> {}</li>",
                html::escape(doc.as_str()),
                html::escape(&crate::views::render::plain(title)),
                html::escape(&issued)
            );
        }
    }
    let _ = write!(
        body,
        "</ul><h2>{}</h2><ul><li><a href=\"/views\">{}</a> — {} (<a href=\"/openapi.json\">OpenAPI</a>)</li>\
         <li><a href=\"/sparql\">SPARQL</a> — {}</li>\
         <li><a href=\"/dump.nq\">{}</a> (N-Quads, <a href=\"/dump.nq.gz\">gzip</a>, <a href=\"/dump.ttl\">Turtle</a>)</li>\
         <li><a href=\"/dataset\">{}</a> (DCAT-AP-SE) · <a href=\"/ns\">{}</a> · <a href=\"/changes.atom\">{}</a></li></ul>\
         <p class=\"muted\">{} <code>{}</code>.</p>",
        t("Använd datan", "Use the data"),
        t("Vyer", "Views"),
        t(
            "färdiga frågor som tabeller, CSV, JSON och bilder",
            "ready-made questions as tables, CSV, JSON and pictures"
        ),
        t(
            "frågegränssnitt och SPARQL 1.1-ändpunkt",
            "query interface and SPARQL 1.1 endpoint"
        ),
        t("Hela datamängden", "The whole dataset"),
        t("Beskrivning av datamängden", "Dataset description"),
        t("ontologin", "the ontology"),
        t("ändringar (Atom)", "changes (Atom)"),
        t("Identifierare skapas under", "Identifiers are minted under"),
        html::escape(state.ids.base())
    );
    Ok(html::page_in(lang, t("eSam-grafen", "The eSam graph"), &body))
}

/// The language of a page's own words for this request (`Accept-Language`, Swedish first).
fn page_lang(headers: &HeaderMap) -> html::Lang {
    html::Lang::from_accept(&crate::linked::languages(header_text(headers, header::ACCEPT_LANGUAGE)))
}

/// The dataset a protocol request names, with relative IRIs resolved against the server's base.
fn request_dataset(state: &AppState, pairs: &[(String, String)]) -> Result<Dataset, ApiError> {
    Ok(Dataset {
        base: Some(state.ids.base().to_string()),
        ..dataset_from_pairs(pairs)?
    })
}

/// The one value of a protocol parameter that must appear at most once (`query`, `update`).
fn single(pairs: &[(String, String)], key: &str) -> Result<Option<String>, ApiError> {
    let mut values = pairs.iter().filter(|(k, _)| k == key).map(|(_, v)| v.clone());
    let first = values.next();
    if values.next().is_some() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("the request has more than one {key:?} parameter; send one {key} per request"),
        ));
    }
    Ok(first)
}

fn dataset_from_pairs(pairs: &[(String, String)]) -> Result<Dataset, ApiError> {
    let iri = |value: &str| {
        oxigraph::model::NamedNode::new(value)
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("invalid graph IRI {value:?}: {e}")))
    };
    let mut dataset = Dataset::default();
    for (key, value) in pairs {
        match key.as_str() {
            "default-graph-uri" => dataset.default_graphs.push(iri(value)?),
            "named-graph-uri" => dataset.named_graphs.push(iri(value)?),
            _ => {}
        }
    }
    Ok(dataset)
}

/// Decodes `application/x-www-form-urlencoded` text (query strings and form bodies).
fn pairs(text: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(text.as_bytes()).into_owned().collect()
}

/// The first value of a parameter.
fn param(pairs: &[(String, String)], key: &str) -> Option<String> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

/// A request header as text, if present and readable.
fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The client's address, when the request came over a connection (not in process).
type Client = Option<axum::Extension<evaluate::ClientAddr>>;

async fn sparql_get(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Result<Response, ApiError> {
    let pairs = pairs(uri.query().unwrap_or(""));
    let Some(query) = single(&pairs, "query")? else {
        return Ok(service_description(&state, &headers));
    };
    let dataset = request_dataset(&state, &pairs)?;
    answer(state, client, headers, query, param(&pairs, "format"), dataset).await
}

async fn sparql_post(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    uri: axum::http::Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    let content_type = header_text(&headers, header::CONTENT_TYPE)
        .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .unwrap_or_default();
    let mut url_pairs = pairs(uri.query().unwrap_or(""));
    let body_text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "the request body is not UTF-8"))?;
    let query = match content_type.as_str() {
        "application/sparql-query" => body_text.to_string(),
        "application/x-www-form-urlencoded" => {
            url_pairs.extend(pairs(body_text));
            single(&url_pairs, "query")?
                .ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, "the form has no 'query' field"))?
        }
        other => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "unsupported request body type {other:?}: use application/sparql-query or application/x-www-form-urlencoded"
                ),
            ));
        }
    };
    let format = param(&url_pairs, "format");
    let dataset = request_dataset(&state, &url_pairs)?;
    answer(state, client, headers, query, format, dataset).await
}

async fn answer(
    state: AppState,
    client: Client,
    headers: HeaderMap,
    query: String,
    format: Option<String>,
    dataset: Dataset,
) -> Result<Response, ApiError> {
    let explicit = match format.as_deref() {
        Some(name) => Some(
            ResultFormat::from_name(name)
                .ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, format!("unknown format {name:?}")))?,
        ),
        None => None,
    };
    let etag = entity_tag(&state.version(), &query, &format, &dataset, &headers);
    let if_none_match = header_text(&headers, header::IF_NONE_MATCH).unwrap_or("");
    if if_none_match
        .split(',')
        .any(|tag| tag.trim() == etag || tag.trim() == "*")
    {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        response
            .headers_mut()
            .insert(header::ETAG, HeaderValue::from_str(&etag).map_err(internal)?);
        return Ok(response);
    }
    let accept = header_text(&headers, header::ACCEPT).unwrap_or("*/*").to_string();
    let policy = state.policy;
    let store = state.store.clone();
    let hash = ops::query_hash(&query);
    let keep = Some((Arc::clone(&state.cache), etag.clone()));
    let client = client.map(|axum::Extension(client)| client);
    let mut response = evaluate::stream(&state, client, keep, move |writer| {
        let prepared = sparql::prepare(&query, &dataset)?;
        let media_type = writer.media_type();
        let choose = |results: &oxigraph::sparql::QueryResults<'_>| {
            let is_graph = matches!(results, oxigraph::sparql::QueryResults::Graph(_));
            let format = match explicit {
                Some(format) => format,
                None => negotiate(&accept, is_graph).ok_or(SparqlError::NotAcceptable(accept.clone()))?,
            };
            let _ = media_type.set(format.media_type());
            Ok(format)
        };
        let (written, format) = sparql::run_with_policy(&store, prepared, choose, policy, &mut *writer)?;
        let mut extra = Vec::new();
        if written.capped
            && let Some(cap) = policy.max_rows
        {
            extra.push((ROWS_CAPPED_HEADER, cap.to_string()));
            if format == ResultFormat::Solutions(oxigraph::sparql::results::QueryResultsFormat::Json) {
                writer.append_json_member(&format!("\"{ROWS_CAPPED_JSON_MEMBER}\":{cap}"));
            }
        }
        Ok(extra)
    })
    .await?;
    response.extensions_mut().insert(ops::QueryHash(hash));
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    headers.insert(header::ETAG, HeaderValue::from_str(&etag).map_err(internal)?);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL));
    Ok(response)
}

/// Graph Store Protocol, read side: `GET /store?graph=IRI` (one document's graph, the
/// reference data, the ontology) or `GET /store?default` (all graphs merged, as the
/// SPARQL default graph), in the RDF format the client accepts.
async fn store_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Result<Response, ApiError> {
    let params = pairs(uri.query().unwrap_or(""));
    let graph = match (
        params.iter().find(|(k, _)| k == "graph"),
        params.iter().any(|(k, _)| k == "default"),
    ) {
        (Some((_, iri)), false) => Some(
            oxigraph::model::NamedNode::new(iri)
                .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("invalid graph IRI {iri:?}: {e}")))?,
        ),
        (None, true) => None,
        _ => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "give exactly one of ?graph=IRI or ?default",
            ));
        }
    };
    let accept = header_text(&headers, header::ACCEPT)
        .unwrap_or("text/turtle")
        .to_string();
    let format = match negotiate(&accept, true) {
        Some(ResultFormat::Graph(format)) if !format.supports_datasets() => format,
        _ => {
            return Err(ApiError::new(
                StatusCode::NOT_ACCEPTABLE,
                format!("no RDF triple format matches Accept: {accept}"),
            ));
        }
    };
    let body = evaluate::blocking(move || {
        let _reading = state.consistency.reading();
        if let Some(graph) = &graph
            && !state.store.contains_graph(graph).map_err(internal)?
        {
            return Err(ApiError::new(StatusCode::NOT_FOUND, format!("no graph {graph}")));
        }
        let mut body = Vec::new();
        state
            .store
            .write_triples(graph.as_ref(), format, &mut body)
            .map_err(internal)?;
        Ok(body)
    })
    .await??;
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(format.media_type()));
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    Ok(response)
}

fn internal(error: impl std::fmt::Display) -> ApiError {
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, error.to_string())
}

/// A strong entity tag for a response that depends only on the data and `request`.
fn entity_tag_of(data_version: &str, request: &impl std::hash::Hash) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (data_version, request).hash(&mut hasher);
    ops::quoted_hex16(hasher.finish())
}

/// `304 Not Modified` when the client already holds `etag`.
fn not_modified(headers: &HeaderMap, etag: &str) -> Option<Response> {
    let if_none_match = header_text(headers, header::IF_NONE_MATCH)?;
    if !if_none_match
        .split(',')
        .any(|tag| tag.trim() == etag || tag.trim() == "*")
    {
        return None;
    }
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    response
        .headers_mut()
        .insert(header::ETAG, HeaderValue::from_str(etag).ok()?);
    Some(response)
}

/// `ETag` and `Cache-Control` on a response whose content changes only at import.
fn cache_headers(response: &mut Response, etag: &str) -> Result<(), ApiError> {
    let headers = response.headers_mut();
    headers.insert(header::ETAG, HeaderValue::from_str(etag).map_err(internal)?);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL));
    Ok(())
}

/// The entity tag of a query response: the same data, query, dataset and format give the same bytes.
fn entity_tag(
    data_version: &str,
    query: &str,
    format: &Option<String>,
    dataset: &Dataset,
    headers: &HeaderMap,
) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (data_version, query, format).hash(&mut hasher);
    // The two lists hash apart: default-graph-uri=A and named-graph-uri=A are different requests.
    let iris =
        |graphs: &[oxigraph::model::NamedNode]| graphs.iter().map(|g| g.as_str().to_string()).collect::<Vec<_>>();
    (iris(&dataset.default_graphs), iris(&dataset.named_graphs)).hash(&mut hasher);
    headers.get(header::ACCEPT).map(|v| v.as_bytes()).hash(&mut hasher);
    ops::quoted_hex16(hasher.finish())
}

/// Picks the format for an `Accept` header, honouring q-values.
pub fn negotiate(accept: &str, is_graph: bool) -> Option<ResultFormat> {
    let offers: &[(&str, &str)] = if is_graph {
        &[
            ("text/turtle", "ttl"),
            ("application/n-triples", "nt"),
            ("application/ld+json", "jsonld"),
            ("application/rdf+xml", "rdfxml"),
            ("application/n-quads", "nq"),
            ("application/trig", "trig"),
        ]
    } else {
        &[
            ("application/sparql-results+json", "json"),
            ("application/json", "json"),
            ("application/sparql-results+xml", "xml"),
            ("application/xml", "xml"),
            ("text/csv", "csv"),
            ("text/tab-separated-values", "tsv"),
        ]
    };
    pick(accept, offers).and_then(ResultFormat::from_name)
}

/// The first offer (media type, value) that the `Accept` header ranks highest:
/// q-values first, then the header's order; `*/*` and `type/*` match in the offers' order.
pub fn pick<T: Copy>(accept: &str, offers: &[(&str, T)]) -> Option<T> {
    let mut ranges: Vec<(f32, usize, String)> = accept
        .split(',')
        .enumerate()
        .filter_map(|(position, part)| {
            let mut pieces = part.split(';');
            let range = pieces.next()?.trim().to_ascii_lowercase();
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (!range.is_empty() && q > 0.0).then_some((q, position, range))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranges.into_iter().find_map(|(_, _, range)| {
        offers
            .iter()
            .find(|(media, _)| {
                range == "*/*"
                    || range == *media
                    || range
                        .strip_suffix("/*")
                        .is_some_and(|major| media.starts_with(&format!("{major}/")))
            })
            .map(|(_, value)| *value)
    })
}

fn service_description(state: &AppState, headers: &HeaderMap) -> Response {
    let wants_html = header_text(headers, header::ACCEPT).is_some_and(|a| a.contains("text/html"));
    if wants_html {
        return ui::page(state, page_lang(headers)).into_response();
    }
    let description = "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n\
        [] a sd:Service ;\n  sd:endpoint <> ;\n  sd:supportedLanguage sd:SPARQL11Query ;\n  sd:feature sd:UnionDefaultGraph ;\n\
        sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON>, <http://www.w3.org/ns/formats/SPARQL_Results_XML>, \
        <http://www.w3.org/ns/formats/SPARQL_Results_CSV>, <http://www.w3.org/ns/formats/SPARQL_Results_TSV>, \
        <http://www.w3.org/ns/formats/Turtle>, <http://www.w3.org/ns/formats/N-Triples>, <http://www.w3.org/ns/formats/JSON-LD>, \
        <http://www.w3.org/ns/formats/RDF_XML> .\n";
    ([(header::CONTENT_TYPE, "text/turtle")], description).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::sparql::results::QueryResultsFormat;

    #[test]
    fn negotiation_honours_q_values_and_wildcards() {
        assert_eq!(
            negotiate("*/*", false),
            Some(ResultFormat::Solutions(QueryResultsFormat::Json))
        );
        assert_eq!(
            negotiate("text/csv;q=0.5, application/sparql-results+xml", false),
            Some(ResultFormat::Solutions(QueryResultsFormat::Xml))
        );
        assert_eq!(
            negotiate("text/csv;q=0.9, application/sparql-results+xml;q=0.1", false),
            Some(ResultFormat::Solutions(QueryResultsFormat::Csv))
        );
        assert_eq!(negotiate("image/png", false), None);
        assert_eq!(negotiate("text/*", true), ResultFormat::from_name("ttl"));
    }
}
