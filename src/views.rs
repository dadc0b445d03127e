//! The live views of a run: the phone page (`--serve`, [`crate::serve`]) and the full-screen
//! terminal (`--tui`, [`crate::tui`]). Both read the run's [`Snapshot`] through one
//! [`Publish`] output and write only the runner's answers, into the same channel as the
//! answers typed on stdin: neither can change what the coach decides.
//!
//! [`Views::start`] starts what the settings ask for and gives the [`Wiring`] a run takes
//! ([`crate::live_run::record_live`], a replay's session); [`Views::close`] ends them, the
//! terminal restored, however the run ended.

use std::io::{self, BufRead, IsTerminal};
use std::net::SocketAddr;

use tokio::sync::{mpsc, watch};

use crate::coach::answer::Answer;
use crate::output::glance::{Seen, stamped};
use crate::output::snapshot::Publish;
use crate::shutdown::Trigger;

/// Which views to show.
#[derive(Debug, Clone, Default)]
pub struct ViewSettings {
    /// Serve the phone page on this address.
    pub serve: Option<SocketAddr>,
    /// The full-screen terminal view (only when stdout is a terminal).
    pub tui: bool,
}

/// What a run is wired to: the publisher the views read, and the runner's answers (typed,
/// pressed on the page, or keys on the full screen).
#[derive(Default)]
pub struct Wiring {
    /// Keeps the views' snapshot; `None` without views.
    pub publish: Option<Publish>,
    /// The runner's answers; `None`: nobody can answer.
    pub answers: Option<mpsc::Receiver<Answer>>,
}

/// The views of one run, started.
pub struct Views {
    /// The page's server, and what stops it.
    server: Option<(
        tokio::task::JoinHandle<()>,
        tokio::sync::oneshot::Sender<()>,
    )>,
    screen: Option<crate::tui::Screen>,
    /// The page's address with its token, when serving.
    pub url: Option<String>,
}

impl Views {
    /// Starts the views `settings` asks for. Answers come from `lines` (stdin, one a line)
    /// unless the full screen reads the keys, from the page's buttons, and from the screen's
    /// keys, all into one channel. `quit` fires when the runner ends the run on the screen
    /// (`q`, Ctrl-C). The page's address is printed on stderr, as a QR code too on a
    /// terminal.
    ///
    /// # Errors
    /// The address cannot be listened on, or the terminal cannot be set up.
    pub async fn start(
        settings: &ViewSettings,
        lines: Option<Box<dyn BufRead + Send>>,
        quit: Trigger,
    ) -> io::Result<(Views, Wiring)> {
        let (tx, rx) = mpsc::channel(8);
        let tui = settings.tui && io::stdout().is_terminal();
        if settings.tui && !tui {
            eprintln!("--tui: stdout is not a terminal, so the status line instead");
        }
        let want_views = settings.serve.is_some() || tui;
        let (publish, snapshots) = if want_views {
            let (p, rx) = Publish::new(None, None);
            (Some(p), Some(rx))
        } else {
            (None, None)
        };
        let seen: Option<watch::Receiver<Seen>> = snapshots.map(stamped);
        let mut views = Views {
            server: None,
            screen: None,
            url: None,
        };
        if let (Some(addr), Some(seen)) = (settings.serve, &seen) {
            views.serve(addr, seen.clone(), tx.clone()).await?;
        }
        if tui && let Some(seen) = &seen {
            views.screen = Some(crate::tui::Screen::start(
                seen.clone(),
                tx.clone(),
                quit,
                views.url.clone(),
            )?);
        } else if let Some(lines) = lines {
            crate::live_run::answers_into(lines, tx.clone());
        }
        Ok((
            views,
            Wiring {
                publish,
                answers: Some(rx),
            },
        ))
    }

    /// Serves the phone page on `addr`, its address said on stderr.
    #[cfg(feature = "serve")]
    async fn serve(
        &mut self,
        addr: SocketAddr,
        seen: watch::Receiver<Seen>,
        answers: mpsc::Sender<Answer>,
    ) -> io::Result<()> {
        let server = crate::serve::Server::bind(addr).await?;
        let url = server.url()?;
        say_url(&url);
        // On all interfaces, the address said is loopback only when this machine is on no
        // network yet (a Pi started before it joined the phone's hotspot).
        if addr.ip().is_unspecified() && url.starts_with("http://127.0.0.1:") {
            say_without_network(&url);
        }
        self.url = Some(url);
        let (stop, stopped) = tokio::sync::oneshot::channel();
        self.server = Some((tokio::spawn(server.run(seen, answers, stopped)), stop));
        Ok(())
    }

    /// Built without the page: `--serve` is an error that says so.
    #[cfg(not(feature = "serve"))]
    async fn serve(
        &mut self,
        _: SocketAddr,
        _: watch::Receiver<Seen>,
        _: mpsc::Sender<Answer>,
    ) -> io::Result<()> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "--serve: this hrcoach was built without the phone page (cargo feature `serve`)",
        ))
    }

    /// Whether the full screen is up (the run's own terminal output is off then: its summary
    /// is printed after [`Views::close`]).
    pub fn full_screen(&self) -> bool {
        self.screen.is_some()
    }

    /// Ends the views: the terminal restored; the page told that the run ended (waiting
    /// a second at most), then no longer served.
    pub async fn close(mut self) {
        if let Some(screen) = self.screen.take() {
            screen.close().await;
        }
        if let Some((server, stop)) = self.server.take() {
            let _ = stop.send(());
            let _ = server.await;
        }
    }
}

impl Drop for Views {
    fn drop(&mut self) {
        // An early return (an error) without close: still stop serving; the screen restores
        // the terminal in its own drop.
        if let Some((server, _)) = self.server.take() {
            server.abort();
        }
    }
}

/// Said under a loopback address given for all interfaces: the page is served, but a phone
/// needs this machine's address on the network it will join.
#[cfg(feature = "serve")]
fn say_without_network(url: &str) {
    let port_and_token = url
        .trim_start_matches("http://")
        .split_once(':')
        .map_or(url, |(_, rest)| rest);
    eprintln!(
        "No network yet: a phone cannot open 127.0.0.1. Once this machine is on the phone's \
         network (its hotspot), open http://ADDRESS:{port_and_token} there, with ADDRESS \
         this machine's address on it (`hostname -I` shows it)."
    );
}

/// The page's address on stderr, on a line of its own that starts with `http://`, and as a QR
/// code when stderr is a terminal.
#[cfg(feature = "serve")]
fn say_url(url: &str) {
    use std::io::Write as _;
    let mut err = io::stderr().lock();
    let _ = writeln!(
        err,
        "Phone page (on the same network; keep the address private, it holds the key):"
    );
    let _ = writeln!(err, "{url}");
    if io::stderr().is_terminal()
        && let Some(code) = crate::serve::qr(url)
    {
        let _ = write!(err, "{code}");
        let _ = writeln!(err);
    }
}
