//! What a glance at the run shows, kept current: the one thing the live views (a phone page, a
//! full-screen terminal) read, so that they never decide anything the coach did not.
//!
//! [`Publish`] is an [`Output`] like any other: it folds each [`Update`] into a [`Snapshot`]
//! and publishes it on a `tokio::sync::watch` channel, which any number of readers can hold
//! and which always has the latest value (a reader that was asleep catches up at once, and
//! never replays stale ones).

use std::collections::VecDeque;
use std::io;
use std::time::Duration;

use serde::Serialize;
use tokio::sync::watch;

use super::Output;
use super::format::{alert_text, answer_text, question_text};
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
    /// Its zone's name (`easy`, `aerobic`...): a view writes it beside the colour.
    pub zone_name: Option<&'static str>,
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
    /// When the link came back, after a loss (a view says "back" for a while).
    pub link_back_s: Option<f64>,
    /// The latest cue the runner was given.
    pub cue: Option<Cue>,
    /// The last [`RECENT_CUES`] cues, oldest first.
    pub cues: VecDeque<Cue>,
    /// Today's plan in a few words ("easy run, 25 minutes at most"), when there is one.
    pub plan: Option<String>,
    /// The plan's time, seconds: a view shows what is left of it.
    pub plan_s: Option<f64>,
    /// The warm-up check's question, while it waits for an answer.
    pub question: Option<String>,
    /// What the coach made of the runner's last answer.
    pub answered: Option<String>,
    /// The last ten minutes of trusted bpm.
    pub trace: Trace,
    /// Whether the session has ended.
    pub finished: bool,
}

/// How many cues [`Snapshot::cues`] keeps.
pub const RECENT_CUES: usize = 3;
/// Seconds of session time in a step of [`Snapshot::trace`].
pub const TRACE_STEP_S: f64 = 10.0;
/// How many steps [`Snapshot::trace`] keeps: ten minutes.
pub const TRACE_STEPS: usize = 60;

/// A cue the runner was given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cue {
    /// Session time it was given.
    pub at_s: f64,
    /// Its kind (`over_cap`, `reminder`, `back_under`, `creep`, `walk`, `run`, `halfway`,
    /// `time_up`, `stop`).
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
        if let Some(start) = &u.start {
            self.cap_bpm = start.cap_bpm.or(self.cap_bpm);
            self.plan_s = start.time.map(|t| t.as_secs_f64());
        }
        if let Some(q) = &u.question {
            self.question = Some(question_text(q));
        }
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
                    self.zone_name = Some(zone.name());
                    self.trace.add(at, *bpm);
                    self.over_cap_since_s = match (*over_cap, self.over_cap_since_s) {
                        (true, Some(since)) => Some(since),
                        (true, None) => Some(at),
                        (false, _) => None,
                    };
                }
            }
            UpdateKind::Malformed(_) => self.last_reading_s = Some(at),
            UpdateKind::LinkLost => {
                self.link_lost_s = Some(at);
                self.link_back_s = None;
            }
            UpdateKind::LinkRestored => {
                self.link_lost_s = None;
                self.link_back_s = Some(at);
            }
            UpdateKind::Answered(a) => {
                self.question = None;
                self.answered = Some(answer_text(a));
                if let Some(cap) = a.cap_bpm {
                    self.cap_bpm = Some(cap);
                }
                if let Some(time) = a.time {
                    self.plan_s = Some(time.as_secs_f64());
                }
            }
            UpdateKind::Battery(_) | UpdateKind::Paused | UpdateKind::Resumed => {}
        }
        self.link_up = u.link_up;
        if let Some(alert) = &u.alert {
            let cue = Cue {
                at_s: seconds(alert.at),
                kind: alert.kind.as_str(),
                text: alert_text(alert),
            };
            if alert.cap_bpm > 0 {
                self.cap_bpm = Some(alert.cap_bpm);
            }
            if self.cues.len() == RECENT_CUES {
                self.cues.pop_front();
            }
            self.cues.push_back(cue.clone());
            self.cue = Some(cue);
        }
    }
}

/// Trusted bpm in [`TRACE_STEP_S`]-second steps of session time, the latest last, at most
/// [`TRACE_STEPS`] of them (ten minutes): the mean of each step, 0 where there was none.
/// Serialized as the list of steps.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Trace {
    steps: VecDeque<u16>,
    /// Session time at which the last step starts.
    #[serde(skip)]
    from_s: f64,
    /// The sum and count of the last step's readings, for its mean.
    #[serde(skip)]
    sum: (u32, u32),
}

impl Trace {
    /// The steps, oldest first.
    pub fn steps(&self) -> &VecDeque<u16> {
        &self.steps
    }

    /// Adds a trusted reading at session time `at`, starting new steps (empty ones for a
    /// gap) as time passes.
    pub fn add(&mut self, at: f64, bpm: u16) {
        if self.steps.is_empty() {
            self.steps.push_back(0);
            self.from_s = at;
            self.sum = (0, 0);
        }
        let steps = ((at - self.from_s) / TRACE_STEP_S).floor();
        if steps >= 1.0 {
            // A gap longer than the trace clears it; the cast is bounded by TRACE_STEPS.
            let new = steps.min(TRACE_STEPS as f64) as usize;
            for _ in 0..new {
                self.steps.push_back(0);
            }
            while self.steps.len() > TRACE_STEPS {
                self.steps.pop_front();
            }
            self.from_s += steps * TRACE_STEP_S;
            self.sum = (0, 0);
        }
        let (sum, n) = &mut self.sum;
        *sum += u32::from(bpm);
        *n += 1;
        if let Some(last) = self.steps.back_mut() {
            // A mean of u16 values fits a u16.
            *last = u16::try_from(*sum / *n).unwrap_or(u16::MAX);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trace_keeps_ten_minutes_of_ten_second_means_with_gaps_empty() {
        let mut t = Trace::default();
        t.add(0.0, 100);
        t.add(5.0, 110);
        t.add(10.0, 120);
        assert_eq!(t.steps(), &[105, 120]);
        // 30 s without a reading: two empty steps, then the reading's own.
        t.add(40.0, 130);
        assert_eq!(t.steps(), &[105, 120, 0, 0, 130]);
        for i in 0..100 {
            t.add(50.0 + f64::from(i) * 10.0, 140);
        }
        assert_eq!(t.steps().len(), TRACE_STEPS);
        assert!(t.steps().iter().all(|&b| b == 140));
        // A gap longer than the trace leaves only the new reading.
        t.add(10_000.0, 99);
        assert_eq!(t.steps().iter().filter(|&&b| b > 0).count(), 1);
        assert_eq!(t.steps().back(), Some(&99));
    }
}
