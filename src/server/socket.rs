//! The socket of a connection that has a thread of its own ([`connections`](super::connections)):
//! while the connection is idle, its thread waits for the client's next request in a blocking
//! `recv`, as `oxigraph serve`'s threads do, instead of in the runtime's `epoll_wait`.
//!
//! Waiting in `epoll_wait` costs, on every keep-alive request, a second system call (readiness
//! first, then the read) and the runtime's trip through its I/O driver and scheduler before
//! hyper sees a byte. A blocking read is safe only when nothing else on the thread has work,
//! so a read blocks only when
//! - no request of the connection is in flight ([`Tracked`] counts them: from the request
//!   head until its response body has been handed over or dropped), and
//! - the last write did not find the socket full.
//!
//! Otherwise reads and writes go through the runtime's readiness (the socket is registered
//! as a `tokio::net::TcpStream`, used only for `poll_*_ready` and `try_io`), each with
//! `MSG_DONTWAIT`. Timers (hyper's header time-out) and the graceful-shutdown signal are
//! polled by the runtime, which cannot happen while the thread is blocked: a blocked read
//! gives up after [`YIELD_EVERY`] (`SO_RCVTIMEO`), and a connection that keeps sending slowly
//! is made to yield that often too, so neither waits longer than that for a timer.

use std::future::Future;
use std::io::IoSlice;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use rustix::net::{RecvFlags, SendAncillaryBuffer, SendFlags};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Longest a blocked read keeps the runtime from its timers and signals.
pub const YIELD_EVERY: Duration = Duration::from_millis(250);

/// Most bytes one read asks for, and the size of the buffer the kernel writes them into.
///
/// hyper hands each read a buffer it has not initialised, and this crate forbids `unsafe`,
/// so the kernel cannot write into it directly: the slice offered would have to be zeroed
/// first, for every read. Zeroing 64 KiB a request was 8 % of a trivial query's instructions
/// and swept the first-level data cache (callgrind, 2026-12-04). Instead each connection has
/// a buffer of its own, zeroed once, and hyper gets a copy of the bytes that came.
const MOST_PER_READ: usize = 64 * 1024;

/// Requests of one connection whose responses are not yet handed to the socket.
#[derive(Clone, Default)]
pub struct InFlight(Arc<AtomicUsize>);

impl InFlight {
    fn idle(&self) -> bool {
        self.0.load(Ordering::Acquire) == 0
    }

    /// Counts a request until the returned guard is dropped.
    pub fn start(&self) -> RequestGuard {
        self.0.fetch_add(1, Ordering::AcqRel);
        RequestGuard(self.clone())
    }
}

/// One request in flight; dropped with its response body (or its handler, if that is
/// dropped first).
pub struct RequestGuard(InFlight);

impl Drop for RequestGuard {
    fn drop(&mut self) {
        (self.0).0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A connection's socket, blocking while the connection is idle (see the module's doc).
pub struct ThreadSocket {
    /// Registered with the runtime for its readiness only: every read and write is ours,
    /// with flags tokio's own would not pass.
    socket: tokio::net::TcpStream,
    requests: InFlight,
    /// The last write found the socket full: hyper has bytes waiting for the client.
    write_blocked: bool,
    last_yield: Instant,
    /// Where the kernel writes what it receives ([`MOST_PER_READ`]).
    received: Box<[u8]>,
}

impl ThreadSocket {
    /// Takes `stream` and registers it with the current runtime, which must have I/O
    /// enabled; from then on the socket is in blocking mode.
    pub fn new(stream: std::net::TcpStream, requests: InFlight) -> std::io::Result<Self> {
        stream.set_read_timeout(Some(YIELD_EVERY))?;
        // Registered while non-blocking, as tokio asks; only our calls read and write it.
        stream.set_nonblocking(true)?;
        let socket = tokio::net::TcpStream::from_std(stream)?;
        rustix::io::ioctl_fionbio(&socket, false)?;
        Ok(Self {
            socket,
            requests,
            write_blocked: false,
            last_yield: Instant::now(),
            received: vec![0; MOST_PER_READ].into_boxed_slice(),
        })
    }

    /// Whether a read may block: nothing on this thread waits for anything but the client.
    fn may_block(&self) -> bool {
        !self.write_blocked && self.requests.idle()
    }

    /// Gives the runtime its turn (timers, signals), to be polled again at once.
    fn yield_now(&mut self, cx: &Context<'_>) -> Poll<std::io::Result<()>> {
        self.last_yield = Instant::now();
        cx.waker().wake_by_ref();
        Poll::Pending
    }

    fn poll_read_blocking(&mut self, cx: &Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        if self.last_yield.elapsed() >= YIELD_EVERY {
            return self.yield_now(cx);
        }
        loop {
            match recv_into(&self.socket, &mut self.received, buf, RecvFlags::empty()) {
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                // SO_RCVTIMEO ran out.
                Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => return self.yield_now(cx),
                done => return Poll::Ready(done),
            }
        }
    }

    fn poll_read_ready(&mut self, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        // Asking the runtime first: hyper reads while a request is in flight to learn whether
        // the client hung up, and mostly nothing is there. tokio knows that without a system
        // call (a read that came back empty cleared its readiness; since then its driver has
        // not seen new bytes), while data that came in the meantime is in epoll's ready list.
        let Self { socket, received, .. } = self;
        loop {
            ready!(socket.poll_read_ready(cx))?;
            let read = socket.try_io(tokio::io::Interest::READABLE, || {
                recv_into(socket, received, buf, RecvFlags::DONTWAIT)
            });
            if !matches!(&read, Err(error) if retry(error)) {
                return Poll::Ready(read);
            }
        }
    }

    fn poll_send(
        &mut self,
        cx: &mut Context<'_>,
        send: impl Fn(&tokio::net::TcpStream) -> rustix::io::Result<usize>,
    ) -> Poll<std::io::Result<usize>> {
        let mut sent = send(&self.socket).map_err(std::io::Error::from);
        loop {
            match sent {
                Err(error) if retry(&error) => self.write_blocked = true,
                done => {
                    self.write_blocked = false;
                    return Poll::Ready(done);
                }
            }
            ready!(self.socket.poll_write_ready(cx))?;
            sent = self
                .socket
                .try_io(tokio::io::Interest::WRITABLE, || Ok(send(&self.socket)?));
        }
    }
}

/// One read into `buf` with `flags`, through `received`; `WouldBlock` when nothing is there yet.
fn recv_into(
    socket: &tokio::net::TcpStream,
    received: &mut [u8],
    buf: &mut ReadBuf<'_>,
    flags: RecvFlags,
) -> std::io::Result<()> {
    let offered = buf.remaining().min(received.len());
    let (n, _) = rustix::net::recv(socket, &mut received[..offered], flags)?;
    buf.put_slice(&received[..n]);
    Ok(())
}

/// Errors after which the call is made again: the socket was not ready (tokio has cleared
/// its readiness) or a signal interrupted it.
fn retry(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::Interrupted
    )
}

/// `MSG_NOSIGNAL`: a client gone is an error to return, not a SIGPIPE.
fn send_flags() -> SendFlags {
    SendFlags::DONTWAIT | SendFlags::NOSIGNAL
}

impl AsyncRead for ThreadSocket {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        if this.may_block() {
            this.poll_read_blocking(cx, buf)
        } else {
            this.poll_read_ready(cx, buf)
        }
    }
}

impl AsyncWrite for ThreadSocket {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<std::io::Result<usize>> {
        self.get_mut()
            .poll_send(cx, |socket| rustix::net::send(socket, data, send_flags()))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        self.get_mut().poll_send(cx, |socket| {
            rustix::net::sendmsg(socket, data, &mut SendAncillaryBuffer::default(), send_flags())
        })
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(rustix::net::shutdown(&self.socket, rustix::net::Shutdown::Write)?))
    }
}

/// A hyper service that counts its requests in [`InFlight`] until their response bodies are
/// handed over, so that [`ThreadSocket`] knows when nothing but the client can bring work.
pub struct Tracked<S> {
    service: S,
    requests: InFlight,
}

impl<S> Tracked<S> {
    /// Counts the requests of `service` in `requests`.
    pub fn new(service: S, requests: InFlight) -> Self {
        Self { service, requests }
    }
}

impl<S, R, B> hyper::service::Service<R> for Tracked<S>
where
    S: hyper::service::Service<R, Response = axum::http::Response<B>>,
    S::Future: Send + 'static,
{
    type Response = axum::http::Response<TrackedBody<B>>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn call(&self, request: R) -> Self::Future {
        let guard = self.requests.start();
        let response = self.service.call(request);
        Box::pin(async move {
            let response = response.await?;
            Ok(response.map(|body| TrackedBody { body, _guard: guard }))
        })
    }
}

/// A response body that keeps its request counted while hyper still has it.
pub struct TrackedBody<B> {
    body: B,
    _guard: RequestGuard,
}

impl<B: http_body::Body + Unpin> http_body::Body for TrackedBody<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::atomic::AtomicUsize;
    use std::task::{Wake, Waker};

    /// Counts its wake-ups.
    #[derive(Default)]
    struct Wakes(AtomicUsize);

    impl Wake for Wakes {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// A connected pair on loopback: (client, server side).
    fn pair() -> (std::net::TcpStream, std::net::TcpStream) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let client = std::net::TcpStream::connect(listener.local_addr().expect("its address")).expect("connected");
        let (server, _) = listener.accept().expect("accepted");
        (client, server)
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    }

    /// Reads once, as the runtime polls it.
    async fn read(socket: &mut ThreadSocket, into: &mut [u8]) -> std::io::Result<usize> {
        let mut buf = ReadBuf::new(into);
        std::future::poll_fn(|cx| Pin::new(&mut *socket).poll_read(cx, &mut buf)).await?;
        Ok(buf.filled().len())
    }

    /// Polls one read with a waker that counts.
    fn poll_once(socket: &mut ThreadSocket, wakes: &Arc<Wakes>, into: &mut [u8]) -> Poll<std::io::Result<usize>> {
        let waker = Waker::from(Arc::clone(wakes));
        let mut cx = Context::from_waker(&waker);
        let mut buf = ReadBuf::new(into);
        Pin::new(socket)
            .poll_read(&mut cx, &mut buf)
            .map_ok(|()| buf.filled().len())
    }

    /// Polls until the read is done; every time it was not, it must have asked to be polled
    /// again (a yield), not waited for readiness.
    fn poll_until_ready(socket: &mut ThreadSocket, wakes: &Arc<Wakes>, into: &mut [u8]) -> std::io::Result<usize> {
        for _ in 0..20 {
            let before = wakes.0.load(Ordering::SeqCst);
            match poll_once(socket, wakes, into) {
                Poll::Ready(read) => return read,
                Poll::Pending => assert_eq!(wakes.0.load(Ordering::SeqCst), before + 1, "waited for readiness"),
            }
        }
        panic!("the read never returned");
    }

    #[test]
    fn an_idle_read_waits_for_the_client_and_gives_the_runtime_its_turn() {
        let (mut client, server) = pair();
        runtime().block_on(async {
            let mut socket = ThreadSocket::new(server, InFlight::default()).expect("registered");
            let wakes = Arc::new(Wakes::default());
            let mut into = [0u8; 64];
            // Nothing sent: the read gives up after a while, asking to be polled again at once.
            assert!(poll_once(&mut socket, &wakes, &mut into).is_pending());
            assert_eq!(wakes.0.load(Ordering::SeqCst), 1);
            client.write_all(b"GET / HTTP/1.1\r\n").expect("sent");
            // Sent before the read: it returns the bytes without the runtime's help (its
            // driver never runs here), after yielding at most now and then on a busy machine.
            let read = poll_until_ready(&mut socket, &wakes, &mut into);
            assert_eq!(read.expect("read"), 16);
            assert_eq!(&into[..16], b"GET / HTTP/1.1\r\n");
            drop(client);
            let read = poll_until_ready(&mut socket, &wakes, &mut into);
            assert_eq!(read.expect("the end of the stream"), 0);
        });
    }

    #[test]
    fn what_the_client_sends_arrives_whole_and_in_order_through_the_connections_buffer() {
        let (mut client, server) = pair();
        // More than the connection's buffer holds, in a pattern that shows any byte out of place.
        let sent: Vec<u8> = (0..3 * MOST_PER_READ + 1234).map(|i| (i % 251) as u8).collect();
        let sending = sent.clone();
        let sender = std::thread::spawn(move || client.write_all(&sending));
        runtime().block_on(async {
            let mut socket = ThreadSocket::new(server, InFlight::default()).expect("registered");
            let mut received = Vec::new();
            // Reads smaller and larger than the connection's buffer, as hyper's may be.
            let mut small = [0u8; 100];
            let mut large = vec![0u8; 2 * MOST_PER_READ];
            for turn in 0.. {
                if received.len() == sent.len() {
                    break;
                }
                let into: &mut [u8] = if turn % 2 == 0 { &mut small } else { &mut large };
                let n = read(&mut socket, into).await.expect("read");
                assert!(n > 0, "the stream ended after {} bytes", received.len());
                assert!(n <= MOST_PER_READ);
                received.extend_from_slice(&into[..n]);
            }
            assert!(received == sent, "the bytes read differ from those sent");
        });
        sender.join().expect("the sender").expect("sent");
    }

    #[test]
    fn timers_fire_while_an_idle_connection_waits() {
        let (client, server) = pair();
        runtime().block_on(async {
            let mut socket = ThreadSocket::new(server, InFlight::default()).expect("registered");
            let mut into = [0u8; 64];
            tokio::select! {
                read = read(&mut socket, &mut into) => {
                    panic!("the client sent nothing, yet the read returned {read:?}")
                }
                () = tokio::time::sleep(Duration::from_millis(50)) => {}
            }
        });
        drop(client);
    }

    #[test]
    fn with_a_request_in_flight_a_read_does_not_block() {
        let (mut client, server) = pair();
        runtime().block_on(async {
            let requests = InFlight::default();
            let mut socket = ThreadSocket::new(server, requests.clone()).expect("registered");
            let request = requests.start();
            let wakes = Arc::new(Wakes::default());
            let mut into = [0u8; 64];
            // Pending at once, waiting for readiness rather than asking to be polled again.
            assert!(poll_once(&mut socket, &wakes, &mut into).is_pending());
            assert_eq!(wakes.0.load(Ordering::SeqCst), 0);
            client.write_all(b"more").expect("sent");
            let read = read(&mut socket, &mut into).await;
            assert_eq!(read.expect("read"), 4);
            drop(request);
            assert!(requests.idle());
        });
    }

    #[test]
    fn a_request_is_counted_until_its_response_body_is_dropped() {
        let requests = InFlight::default();
        let service = Tracked::new(
            hyper::service::service_fn(|_: axum::http::Request<axum::body::Body>| async {
                Ok::<_, std::convert::Infallible>(axum::http::Response::new(axum::body::Body::from("answer")))
            }),
            requests.clone(),
        );
        runtime().block_on(async {
            let pending = hyper::service::Service::call(&service, axum::http::Request::new(axum::body::Body::empty()));
            assert!(!requests.idle(), "counted from the call");
            let response = pending.await.expect("a response");
            assert!(!requests.idle(), "and while the body is unsent");
            drop(response);
            assert!(requests.idle());
            // A handler dropped before it answers (the client went away) is not counted.
            drop(hyper::service::Service::call(
                &service,
                axum::http::Request::new(axum::body::Body::empty()),
            ));
            assert!(requests.idle());
        });
    }
}
