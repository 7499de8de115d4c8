//! The accept loop: hyper's HTTP/1.1 on every connection (not `axum::serve`, so that a client
//! must send its request head within [`HEADER_READ_TIMEOUT`]), on a thread of its own while
//! there are few enough ([`super::connections`]), and the graceful shutdown on Ctrl-C or
//! SIGTERM.

use axum::Router;

use super::{Settings, connections, evaluate, router};
use crate::ids::Ids;
use crate::store::Store;

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
