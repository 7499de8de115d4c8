//! The axum adapter: the only module that knows axum/tower/http. Here: the settings, the
//! state every handler shares, and the router; the accept loop, errors, the home page, the
//! SPARQL endpoint, the Graph Store and the rest are submodules, one concern each. Store calls
//! run in place on a connection's own thread, else on the blocking pool or the query threads.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::{get, post};

use crate::ids::Ids;
use crate::import::Importer;
use crate::sparql::QueryPolicy;
use crate::store::Store;
use crate::views::Views;

mod accept;
mod cache;
mod connections;
mod dumps;
mod edge;
mod endpoint;
mod errors;
mod etag;
mod evaluate;
mod graph_store;
mod home;
mod linked;
pub mod logs;
mod ops;
mod protocol;
mod reconcile;
mod ui;
mod views;
mod write;

pub use accept::{HEADER_READ_TIMEOUT, SHUTDOWN_GRACE, serve};
pub use errors::ApiError;
pub use protocol::{negotiate, pick};

use errors::{internal, not_found};
use etag::{cache_headers, entity_tag, entity_tag_of, not_modified};
use home::page_lang;
use protocol::{header_text, pairs, param};
use protocol::{media_type, posted_operation, single};

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
    /// SPARQL queries one client address may have running at once (`None`: a quarter of
    /// `max_concurrent_queries`; 0: no share per address).
    pub queries_per_client: Option<usize>,
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
            queries_per_client: None,
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
    /// Writes one at a time (each keeps the merge in the default graph from what the store
    /// held before it); queries run on a snapshot each and never wait.
    writing: Arc<std::sync::Mutex<()>>,
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
        .route("/", get(home::home))
        .route("/sparql", get(endpoint::sparql_get).post(endpoint::sparql_post))
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
        clients: Arc::new(evaluate::ClientSlots::new(match settings.queries_per_client {
            None => evaluate::queries_per_client(settings.max_concurrent_queries),
            Some(0) => usize::MAX,
            Some(each) => each,
        })),
        query_slots: 2 * settings.max_concurrent_queries.max(1),
        dumps: Arc::default(),
        dumping: Arc::default(),
        publication: Arc::new(settings.publication),
        suppressed: Arc::new(suppressed),
        writing: Arc::default(),
        cache: Arc::new(cache::ResponseCache::new(settings.cache)),
        query_threads,
    }));
    let writes = Router::new()
        .route("/update", post(write::update))
        .route("/import", post(write::import))
        .route(
            "/store",
            get(graph_store::store_get)
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
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(edge::cors())
        .layer(edge::EdgeLayer(state.clone()))
        .with_state(state)
}

/// `GET /health`: the store answers.
async fn health(State(state): State<AppState>) -> Result<&'static str, ApiError> {
    evaluate::blocking(move || state.store.len().map_err(internal)).await??;
    Ok("ok\n")
}
