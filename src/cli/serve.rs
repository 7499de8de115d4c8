//! `serve`: the logs, the store opened for the server (read-only unless writes are on), the
//! settings from the flags, and the runtime that serves until interrupted.

use std::io::IsTerminal;

use anyhow::Context;

use crate::config::Config;
use crate::reference::BUNDLED_NEWSLETTERS;
use crate::store::Store;
use crate::views::Views;

use super::LogFormat;
use super::import::{importer, suppressed};

/// Structured logs for the server: RUST_LOG filters (default `info`). Lines go to standard
/// error through a background thread (never dropped: a full queue makes the logger wait);
/// the returned guard writes what is queued when it is dropped.
pub(super) fn init_logs(format: LogFormat) -> anyhow::Result<crate::server::logs::LogGuard> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let (writer, guard) =
        crate::server::logs::batched(std::io::stderr()).context("cannot start the thread that writes the logs")?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(writer);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
    Ok(guard)
}

/// How `serve` trades memory and threads for speed.
pub(super) struct Tuning {
    pub(super) cache: bool,
    pub(super) connection_threads: usize,
    pub(super) queries_per_client: Option<usize>,
}

pub(super) fn serve(
    config: &Config,
    bind: &str,
    policy: crate::sparql::QueryPolicy,
    views_dir: &std::path::Path,
    update_token: Option<String>,
    publication: crate::linked::dataset::Publication,
    tuning: Tuning,
) -> anyhow::Result<i32> {
    let views = Views::load(views_dir)?;
    let store = Store::open(&config.store_dir)?;
    let importer = importer(config, None)?;
    importer.store_reference(&store)?;
    if !importer.store_has_documents(&store)? {
        eprintln!(
            "empty store: importing the bundled newsletters into {}",
            store.path().display()
        );
        for (name, bytes) in BUNDLED_NEWSLETTERS {
            importer.import_bytes(&store, name, bytes)?;
        }
        store.flush()?;
    }
    // Work that falls to the runtime's threads (the blocking pool) may parse and evaluate
    // queries too: the same stack as the query threads.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(crate::sparql::nesting::QUERY_STACK_BYTES)
        .build()
        .context("cannot start the async runtime")?;
    let settings = crate::server::Settings {
        update_token,
        importer: Some(importer),
        publication,
        suppressed: suppressed()?,
        cache: tuning.cache,
        connection_threads: tuning.connection_threads,
        queries_per_client: tuning.queries_per_client,
        ..crate::server::Settings::new(policy, views)
    };
    let serving = store.clone();
    runtime.block_on(crate::server::serve(serving, config.ids.clone(), settings, bind))?;
    // Whatever still runs on the runtime's threads (a connection past the grace period) is
    // left behind rather than waited for: the process is ending.
    runtime.shutdown_background();
    store.flush()?;
    Ok(0)
}
