//! The phone page (`--serve`): one embedded page, its state as JSON and as Server-Sent
//! Events, and the runner's answers to the warm-up check, behind a random token made at
//! start. hyper alone, on the tokio the run already has (docs/live-views.md says why, and
//! what it costs).
//!
//! | request | answer |
//! |---|---|
//! | `GET /?t=TOKEN` | the page (HTML, script and style inline: nothing from outside) |
//! | `GET /state?t=TOKEN` | the [`Glance`] as JSON |
//! | `GET /events?t=TOKEN` | `text/event-stream`: the [`Glance`] at once, on every change, and every second |
//! | `POST /answer?t=TOKEN` | body `eased`, `same` or `worse`: into the session's input path; 204 |
//! | anything without the token | 403 |
//!
//! The server reads the run only through the [`Snapshot`] channel and writes only answers:
//! it cannot change what the coach decides.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full, Limited, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::AbortHandle;

use crate::coach::answer::Answer;
use crate::output::glance::{Glance, Seen, glance};

/// The page, embedded in the binary.
const PAGE: &str = include_str!("page.html");

/// Port when `--serve` is given bare.
pub const DEFAULT_PORT: u16 = 8080;

/// How often the event stream says the state when nothing changes: the page's heartbeat,
/// and its "no signal" counter's tick.
pub const HEARTBEAT: Duration = Duration::from_secs(1);

/// How long a page is given, once the run has ended, to hear so before the server goes.
pub const FAREWELL: Duration = Duration::from_secs(1);

/// Connections open at once: a phone or two, with room for reconnects. One more closes the
/// oldest.
const MAX_CONNECTIONS: usize = 16;

/// The longest answer body read.
const MAX_ANSWER_BYTES: usize = 64;

/// A listening server, not yet serving.
pub struct Server {
    listener: TcpListener,
    token: String,
}

type Body = UnsyncBoxBody<Bytes, Infallible>;

impl Server {
    /// Listens on `addr` with a new random token.
    ///
    /// # Errors
    /// The address cannot be bound (in use, not this machine's), or no randomness for the
    /// token.
    pub async fn bind(addr: SocketAddr) -> io::Result<Server> {
        let listener = TcpListener::bind(addr).await.map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot listen on {addr} for --serve: {e}"),
            )
        })?;
        Ok(Server {
            listener,
            token: token()?,
        })
    }

    /// The address it listens on.
    ///
    /// # Errors
    /// As [`TcpListener::local_addr`].
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The page's address with its token, for the phone: on all interfaces, this machine's
    /// address on the network it would reach others by.
    ///
    /// # Errors
    /// As [`Server::local_addr`].
    pub fn url(&self) -> io::Result<String> {
        let addr = self.local_addr()?;
        let ip = if addr.ip().is_unspecified() {
            network_address().unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
        } else {
            addr.ip()
        };
        Ok(format!(
            "http://{}/?t={}",
            SocketAddr::new(ip, addr.port()),
            self.token
        ))
    }

    /// Serves until `stop` (the run has ended; or until its task is aborted): the views read
    /// `views`, the answers go to `answers`. On `stop`, each page with its event stream open is
    /// told that the run ended before the server goes, waiting at most [`FAREWELL`] for that:
    /// the phone then says "run ended", not "no connection to hrcoach" counting up.
    pub async fn run(
        self,
        views: watch::Receiver<Seen>,
        answers: mpsc::Sender<Answer>,
        stop: oneshot::Receiver<()>,
    ) {
        // Each event stream holds a sender; `recv` says `None` once all are gone.
        let (streams, mut ended) = mpsc::channel::<()>(1);
        let shared = Arc::new(Shared {
            token: self.token,
            views,
            answers,
            streams: streams.downgrade(),
        });
        tokio::select! {
            () = accept(self.listener, &shared) => {}
            _ = stop => {}
        }
        drop(streams);
        let _ = tokio::time::timeout(FAREWELL, ended.recv()).await;
    }
}

/// Accepts connections and serves each on a task of its own, for ever.
async fn accept(listener: TcpListener, shared: &Arc<Shared>) {
    // Open connections, oldest first. When all are taken, the oldest goes: most likely a
    // phone that slept or left without closing its stream, and the newest is most likely the
    // runner's phone coming back. Waiting instead would lock the runner out behind its own
    // dead connections until TCP gave up on them, many minutes later.
    let mut open: VecDeque<AbortHandle> = VecDeque::with_capacity(MAX_CONNECTIONS);
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            // Out of file descriptors and the like: wait a little, go on.
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        open.retain(|c| !c.is_finished());
        if open.len() >= MAX_CONNECTIONS
            && let Some(oldest) = open.pop_front()
        {
            oldest.abort();
        }
        let shared = Arc::clone(shared);
        let connection = tokio::spawn(async move {
            let service = service_fn(move |req| {
                let shared = Arc::clone(&shared);
                async move { Ok::<_, Infallible>(shared.handle(req).await) }
            });
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(Duration::from_secs(10))
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
        open.push_back(connection.abort_handle());
    }
}

/// What every connection shares.
struct Shared {
    token: String,
    views: watch::Receiver<Seen>,
    answers: mpsc::Sender<Answer>,
    /// Upgraded by each event stream, and held while it is open.
    streams: mpsc::WeakSender<()>,
}

impl Shared {
    async fn handle(&self, req: Request<Incoming>) -> Response<Body> {
        if !query_token(req.uri().query()).is_some_and(|t| same(t, &self.token)) {
            return text(
                StatusCode::FORBIDDEN,
                "forbidden: open the address hrcoach printed, with its token\n",
            );
        }
        match (req.method(), req.uri().path()) {
            (&Method::GET, "/") => respond(StatusCode::OK, "text/html; charset=utf-8", PAGE),
            (&Method::GET, "/state") => {
                let body = serde_json::to_string(&self.now()).unwrap_or_default();
                respond(StatusCode::OK, "application/json", body)
            }
            (&Method::GET, "/events") => self.events(),
            (&Method::POST, "/answer") => self.answer(req).await,
            (_, "/" | "/state" | "/events" | "/answer") => {
                text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n")
            }
            _ => text(StatusCode::NOT_FOUND, "not found\n"),
        }
    }

    /// The glance now.
    fn now(&self) -> Glance {
        now(&self.views.borrow())
    }

    /// The event stream: the state at once, then on every change and every [`HEARTBEAT`].
    fn events(&self) -> Response<Body> {
        let views = self.views.clone();
        let mut heartbeat = tokio::time::interval(HEARTBEAT);
        heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // The stream ends once it has said that the run ended (or the run's views are gone).
        let stream = futures::stream::unfold(
            (views, heartbeat, true, self.streams.upgrade()),
            |(mut views, mut heartbeat, mut open, held)| async move {
                if !open {
                    return None;
                }
                tokio::select! {
                    changed = views.changed() => open = changed.is_ok(),
                    _ = heartbeat.tick() => {}
                }
                let g = now(&views.borrow_and_update());
                open &= !g.finished;
                let json = serde_json::to_string(&g).unwrap_or_default();
                let frame = Frame::data(Bytes::from(format!("data: {json}\n\n")));
                Some((Ok::<_, Infallible>(frame), (views, heartbeat, open, held)))
            },
        );
        let mut response = Response::new(StreamBody::new(stream).boxed_unsync());
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }

    /// The runner's answer, into the session's input path.
    async fn answer(&self, req: Request<Incoming>) -> Response<Body> {
        let Ok(body) = Limited::new(req.into_body(), MAX_ANSWER_BYTES)
            .collect()
            .await
        else {
            return text(StatusCode::PAYLOAD_TOO_LARGE, "an answer is one word\n");
        };
        let words = String::from_utf8_lossy(&body.to_bytes()).into_owned();
        let Some(answer) = Answer::parse(words.trim()) else {
            return text(
                StatusCode::BAD_REQUEST,
                "the answer is eased, same or worse\n",
            );
        };
        match self.answers.try_send(answer) {
            Ok(()) => text(StatusCode::NO_CONTENT, ""),
            Err(_) => text(
                StatusCode::SERVICE_UNAVAILABLE,
                "the run is not taking answers\n",
            ),
        }
    }
}

/// The glance of what a view last saw, with the age of its reading now.
fn now(seen: &Seen) -> Glance {
    glance(&seen.snapshot, seen.freshness.age(Instant::now()))
}

/// A response with `body`, never cached, read by nothing outside this page.
fn respond(
    status: StatusCode,
    content_type: &'static str,
    body: impl Into<Bytes>,
) -> Response<Body> {
    let mut response = Response::new(Full::new(body.into()).boxed_unsync());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:",
        ),
    );
    headers.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    response
}

fn text(status: StatusCode, body: &'static str) -> Response<Body> {
    respond(status, "text/plain; charset=utf-8", body)
}

/// The `t` parameter of a query string.
fn query_token(query: Option<&str>) -> Option<&str> {
    query?.split('&').find_map(|pair| pair.strip_prefix("t="))
}

/// Compares tokens in time independent of where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0, |d, (x, y)| d | (x ^ y)) == 0
}

/// A token of 128 random bits, as 32 hex digits.
fn token() -> io::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| io::Error::other(format!("no randomness for the --serve token: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// This machine's address on the network it would reach others by: the source address of a
/// route to a private address (a UDP "connection" sends nothing).
fn network_address() -> Option<IpAddr> {
    let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).ok()?;
    socket.connect((Ipv4Addr::new(10, 255, 255, 255), 1)).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified()).then_some(ip)
}

/// The URL as a QR code for a terminal (two rows of modules to a line), for a phone to scan.
pub fn qr(url: &str) -> Option<String> {
    let code = qrcode::QrCode::new(url.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::unicode::Dense1x2>()
            .dark_color(qrcode::render::unicode::Dense1x2::Light)
            .light_color(qrcode::render::unicode::Dense1x2::Dark)
            .quiet_zone(true)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_read_from_the_query_and_compared_whole() {
        assert_eq!(query_token(Some("t=abc")), Some("abc"));
        assert_eq!(query_token(Some("x=1&t=abc")), Some("abc"));
        assert_eq!(query_token(Some("x=1")), None);
        assert_eq!(query_token(None), None);
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
        assert!(!same("", "a"));
    }

    #[test]
    fn tokens_are_long_and_differ() -> io::Result<()> {
        let (a, b) = (token()?, token()?);
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        Ok(())
    }

    #[test]
    fn the_qr_code_is_drawn_in_text() {
        let code =
            qr("http://192.168.1.5:8080/?t=0123456789abcdef0123456789abcdef").unwrap_or_default();
        assert!(code.lines().count() > 10, "{code}");
    }
}
