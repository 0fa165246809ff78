//! Connections for `briefly serve`: the tokio runtime (a small fixed number of threads, no
//! thread per connection), the accept loop, and what any one connection may cost: how
//! large a request head may be, how long a client may take to send it, and how long a
//! connection may sit idle.
//!
//! HTTP/1.1 is spoken by hyper. Its read buffer is capped ([`MAX_HEAD`]), so a request head
//! that does not fit is answered `431` by hyper and the connection closed; the finer limits
//! (the length of the request target, the total size of the headers) are checked on each
//! request in [`super::http`]. hyper's header read timeout runs whenever a connection waits
//! for a request head, so it also closes keep-alive connections that sit idle between
//! requests. A connection on which no byte moves either way for [`Limits::idle`] is closed
//! too (a client that stops reading its response); the live-reload stream sends a comment
//! more often than that, so it stays open.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

/// The longest request target (path and query) answered; longer ones get `414`.
pub const MAX_URL: usize = 8 * 1024;
/// The most header bytes (names, values and separators) a request may carry; more get `431`.
pub const MAX_HEADERS: usize = 64 * 1024;
/// hyper's read buffer: the request line and the headers, with room to spare, so that a
/// request just over either limit above still arrives whole and gets its own answer.
pub const MAX_HEAD: usize = MAX_URL + MAX_HEADERS + 8 * 1024;
/// The most headers a request may have (hyper answers `431` past it).
const MAX_HEADER_COUNT: usize = 200;
/// The most connections open at once; further clients wait to be accepted.
const MAX_CONNECTIONS: usize = 1024;
/// Threads that answer requests.
const WORKERS: usize = 2;
/// Threads for blocking file-system calls (opening, reading, canonicalizing files).
const BLOCKING: usize = 4;

/// How long clients may take.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// To send a whole request head, counted from when the server starts waiting for one:
    /// on a new connection, or after the previous response of a kept-alive one.
    pub header_read: Duration,
    /// With no byte read or written.
    pub idle: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read: Duration::from_secs(10),
            idle: Duration::from_secs(60),
        }
    }
}

impl Limits {
    /// The defaults, shortened by `BRIEFLY_SERVE_HEADER_TIMEOUT_MS` and
    /// `BRIEFLY_SERVE_IDLE_TIMEOUT_MS` (used by the tests, so that they take seconds).
    pub fn from_env() -> Limits {
        let millis = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .filter(|&ms| ms > 0)
                .map(Duration::from_millis)
        };
        let default = Limits::default();
        Limits {
            header_read: millis("BRIEFLY_SERVE_HEADER_TIMEOUT_MS").unwrap_or(default.header_read),
            idle: millis("BRIEFLY_SERVE_IDLE_TIMEOUT_MS").unwrap_or(default.idle),
        }
    }

    /// How often an open event stream sends a comment: well within the idle limit.
    pub fn keep_alive(&self) -> Duration {
        (self.idle / 4).clamp(Duration::from_millis(100), Duration::from_secs(15))
    }
}

/// The runtime that serves requests.
pub fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKERS)
        .max_blocking_threads(BLOCKING)
        .thread_name("briefly-http")
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| format!("could not start the server's threads: {e}"))
}

/// Accepts connections on `listener` forever and answers them with `app`.
pub async fn serve(listener: TcpListener, app: axum::Router, limits: Limits) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read)
        .max_buf_size(MAX_HEAD)
        .max_headers(MAX_HEADER_COUNT)
        .keep_alive(true);
    loop {
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors, or a connection reset before it was accepted:
                // wait a moment rather than spin.
                if !matches!(
                    e.kind(),
                    io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset
                ) {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                continue;
            }
        };
        // Small responses go out at once; otherwise Nagle's algorithm and delayed ACKs add
        // ~40 ms to each keep-alive request.
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        let builder = builder.clone();
        tokio::spawn(async move {
            let _slot = slot;
            connection(stream, &builder, service, limits.idle).await;
        });
    }
}

/// Serves one connection until it ends, fails, or sits idle for `idle`.
async fn connection(
    stream: TcpStream,
    builder: &http1::Builder,
    service: TowerToHyperService<axum::Router>,
    idle: Duration,
) {
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Tracked {
        inner: stream,
        activity: Arc::clone(&activity),
    });
    let mut conn = std::pin::pin!(builder.serve_connection(io, service));
    loop {
        let left = idle.saturating_sub(activity.since());
        match tokio::time::timeout(left, conn.as_mut()).await {
            // Ended or failed (a client that went away, a header timeout): nothing to do.
            Ok(_) => return,
            Err(_) if activity.since() >= idle => return,
            Err(_) => {}
        }
    }
}

/// When a connection last moved a byte.
struct Activity {
    start: Instant,
    /// Milliseconds after `start`.
    last: AtomicU64,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            start: Instant::now(),
            last: AtomicU64::new(0),
        }
    }

    fn touch(&self) {
        let now = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.store(now, Ordering::Relaxed);
    }

    /// How long since the last byte moved.
    fn since(&self) -> Duration {
        let last = Duration::from_millis(self.last.load(Ordering::Relaxed));
        self.start.elapsed().saturating_sub(last)
    }
}

/// A connection that notes when bytes move.
struct Tracked {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.touch();
        }
        result
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        result
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keep_alive_is_well_within_the_idle_limit() {
        let limits = Limits::default();
        assert_eq!(limits.keep_alive(), Duration::from_secs(15));
        let short = Limits {
            header_read: Duration::from_secs(1),
            idle: Duration::from_secs(2),
        };
        assert_eq!(short.keep_alive(), Duration::from_millis(500));
    }
}
