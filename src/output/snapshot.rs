//! What a glance at the run shows, kept current: the one thing the live views (a phone page, a
//! full-screen terminal) read, so that they never decide anything the coach did not.
//!
//! [`Publish`] is an [`Output`] like any other: it folds each [`Update`] into a [`Snapshot`]
//! and publishes it on a `tokio::sync::watch` channel, which any number of readers can hold
//! and which always has the latest value (a reader that was asleep catches up at once, and
//! never replays stale ones).

use std::io;
use std::time::Duration;

use serde::Serialize;
use tokio::sync::watch;

use super::Output;
use super::format::alert_text;
use crate::coach::summary::Summary;
use crate::coach::{Reading, Update, UpdateKind};
use crate::event::seconds;

/// The run at a glance. Times are session seconds (the [`Update::at`] of the event), so a view
/// shows staleness with its own clock: [`Snapshot::since_last_reading`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Snapshot {
    /// Session time of the latest event.
    pub elapsed_s: f64,
    /// The latest trusted bpm (the bpm the coach coached from).
    pub bpm: Option<u16>,
    /// Its zone number (0-5).
    pub zone: Option<u8>,
    /// When the latest notification came (trusted or not): a view greys the bpm out when
    /// this is a few seconds old.
    pub last_reading_s: Option<f64>,
    /// The sore-day cap, bpm.
    pub cap_bpm: Option<u16>,
    /// Over the cap now: since when (the first trusted reading at or over it).
    pub over_cap_since_s: Option<f64>,
    /// Time over the cap so far.
    pub over_cap_s: f64,
    /// Whether heart rate is reliable enough to coach from.
    pub reliable: bool,
    /// Whether the strap is connected.
    pub link_up: bool,
    /// When the link was lost, while it is.
    pub link_lost_s: Option<f64>,
    /// The latest cue the runner was given.
    pub cue: Option<Cue>,
    /// Today's plan in a few words ("easy run, 25 minutes at most"), when there is one.
    pub plan: Option<String>,
    /// Whether the session has ended.
    pub finished: bool,
}

/// A cue the runner was given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cue {
    /// Session time it was given.
    pub at_s: f64,
    /// Its kind (`over_cap`, `reminder`, `back_under`, `creep`).
    pub kind: &'static str,
    /// Its words.
    pub text: String,
}

impl Snapshot {
    /// How long it has been since the latest notification, at session time `now`; `None`
    /// before the first.
    pub fn since_last_reading(&self, now: Duration) -> Option<Duration> {
        let last = Duration::from_secs_f64(self.last_reading_s?);
        Some(now.saturating_sub(last))
    }

    /// Folds one update in.
    pub fn apply(&mut self, u: &Update) {
        let at = seconds(u.at);
        self.elapsed_s = at;
        self.over_cap_s = seconds(u.over_cap);
        self.reliable = u.reliable;
        match &u.kind {
            UpdateKind::Sample { reading, .. } => {
                self.last_reading_s = Some(at);
                if let Reading::Trusted {
                    bpm,
                    zone,
                    over_cap,
                    ..
                } = reading
                {
                    self.bpm = Some(*bpm);
                    self.zone = Some(zone.number());
                    self.over_cap_since_s = match (*over_cap, self.over_cap_since_s) {
                        (true, Some(since)) => Some(since),
                        (true, None) => Some(at),
                        (false, _) => None,
                    };
                }
            }
            UpdateKind::Malformed(_) => self.last_reading_s = Some(at),
            UpdateKind::LinkLost => self.link_lost_s = Some(at),
            UpdateKind::LinkRestored => self.link_lost_s = None,
            UpdateKind::Battery(_)
            | UpdateKind::Paused
            | UpdateKind::Resumed
            | UpdateKind::Answered(_) => {}
        }
        self.link_up = u.link_up;
        if let Some(alert) = &u.alert {
            self.cue = Some(Cue {
                at_s: seconds(alert.at),
                kind: alert.kind.as_str(),
                text: alert_text(alert),
            });
        }
    }
}

/// Keeps a [`Snapshot`] current and publishes it.
pub struct Publish {
    snapshot: Snapshot,
    tx: watch::Sender<Snapshot>,
}

impl Publish {
    /// A publisher for a run under `cap_bpm` with today's `plan`, and the first reader of its
    /// channel (more with [`watch::Receiver::clone`] or [`Publish::subscribe`]).
    pub fn new(cap_bpm: Option<u16>, plan: Option<String>) -> (Self, watch::Receiver<Snapshot>) {
        let snapshot = Snapshot {
            cap_bpm,
            plan,
            link_up: true,
            reliable: true,
            ..Snapshot::default()
        };
        let (tx, rx) = watch::channel(snapshot.clone());
        (Publish { snapshot, tx }, rx)
    }

    /// Another reader.
    pub fn subscribe(&self) -> watch::Receiver<Snapshot> {
        self.tx.subscribe()
    }
}

impl Output for Publish {
    fn update(&mut self, update: &Update) -> io::Result<()> {
        self.snapshot.apply(update);
        // No reader is no error: the views come and go.
        self.tx.send_replace(self.snapshot.clone());
        Ok(())
    }

    fn warning(&mut self, _: &str) -> io::Result<()> {
        Ok(())
    }

    fn finish(&mut self, _: &Summary) -> io::Result<()> {
        self.snapshot.finished = true;
        self.tx.send_replace(self.snapshot.clone());
        Ok(())
    }
}
