//! What a live view shows, in words and figures: the phone page and the full-screen terminal
//! read the same [`Glance`], made here from the [`Snapshot`] and how long ago the last
//! reading came, so that the two never disagree and neither decides anything the coach did
//! not.
//!
//! A view never shows a stale number as if it were live: [`STALE_AFTER`] without a reading,
//! the bpm is marked stale and the link says "no signal 0:12", counting up. The age is
//! measured by the view with its own clock ([`Freshness`]): session time stands still when no
//! event comes, which is exactly when it matters.

use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::watch;

use super::format::clock;
use super::snapshot::Snapshot;

/// Without a reading for this long, the bpm is stale. A strap notifies about once a second:
/// two and a half seconds is a notification and a half missed, and with a view that looks
/// four times a second the runner sees it within 3 s.
pub const STALE_AFTER: Duration = Duration::from_millis(2500);

/// For this long after the link comes back, the link says "back".
pub const BACK_FOR: Duration = Duration::from_secs(10);

/// The run at a glance, ready to draw. Serialized as the phone page's `GET /state` and each
/// of its events (docs/live-views.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Glance {
    /// The bpm to show in big digits: the latest trusted reading, or `--` before the first.
    pub bpm: String,
    /// Whether that bpm is stale (no reading for [`STALE_AFTER`], or the link down): grey it
    /// out.
    pub stale: bool,
    /// Milliseconds since the last reading, by the view's clock (`None` before the first):
    /// a page counts on from it between updates.
    pub age_ms: Option<u64>,
    /// The zone number, for the colour.
    pub zone_number: Option<u8>,
    /// The zone written out: `Z2 easy`.
    pub zone: String,
    /// The cap and where the heart rate is against it: `under 130 · 4 below`,
    /// `under 130 · 3 over`; empty when there is no cap.
    pub cap: String,
    /// Whether the heart rate is at or over the cap now.
    pub over: bool,
    /// Session time: `12:34`.
    pub elapsed: String,
    /// The plan's time left (`17:26 left`) or past (`2:05 past the plan's time`); empty
    /// without a plan's time.
    pub left: String,
    /// The link: `connected`, `no signal 0:12`, `no signal 0:12, reconnecting`, `back`,
    /// `waiting for the strap`, `run ended`.
    pub link: String,
    /// Whether the link is up (the session's link state).
    pub link_up: bool,
    /// The last cue's words, with its time: `[12:05] Walk. ...`; empty before the first.
    pub cue: String,
    /// The last few cues, oldest first, as `cue`.
    pub cues: Vec<String>,
    /// The warm-up check's question while it waits: show the answers.
    pub question: Option<String>,
    /// What the coach made of the last answer.
    pub answered: Option<String>,
    /// Heart rate is not reliable enough to coach from: run by feel.
    pub unreliable: bool,
    /// The run has ended.
    pub finished: bool,
}

/// Makes the [`Glance`] of `s`, the last reading having come `age` ago by the view's clock.
pub fn glance(s: &Snapshot, age: Option<Duration>) -> Glance {
    // A number is not live once it is old, or once the strap has gone (the session's link
    // state), whichever comes first.
    let stale = age.is_some_and(|a| a >= STALE_AFTER || !s.link_up);
    let bpm = s.bpm.map_or_else(|| "--".to_owned(), |b| b.to_string());
    let zone = match (s.zone, s.zone_name) {
        (Some(n), Some(name)) => format!("Z{n} {name}"),
        _ => String::new(),
    };
    let over = s.over_cap_since_s.is_some() && !stale;
    let cap = match (s.cap_bpm, s.bpm) {
        (None, _) => String::new(),
        (Some(cap), Some(bpm)) if !stale => {
            if bpm >= cap {
                format!("under {cap} · {} over", bpm + 1 - cap)
            } else {
                format!("under {cap} · {} below", cap - bpm)
            }
        }
        (Some(cap), _) => format!("under {cap}"),
    };
    let elapsed_d = Duration::from_secs_f64(s.elapsed_s.max(0.0));
    let left = match s.plan_s {
        Some(plan) if plan >= s.elapsed_s => {
            format!(
                "{} left",
                clock(Duration::from_secs_f64(plan - s.elapsed_s))
            )
        }
        Some(plan) => format!(
            "{} past the plan's time",
            clock(Duration::from_secs_f64(s.elapsed_s - plan))
        ),
        None => String::new(),
    };
    let link = link_words(s, age, stale);
    let cue_line = |c: &super::snapshot::Cue| {
        format!("[{}] {}", clock(Duration::from_secs_f64(c.at_s)), c.text)
    };
    Glance {
        bpm,
        stale,
        age_ms: age.map(|a| u64::try_from(a.as_millis()).unwrap_or(u64::MAX)),
        zone_number: s.zone,
        zone,
        cap,
        over,
        elapsed: clock(elapsed_d),
        left,
        link,
        link_up: s.link_up,
        cue: s.cue.as_ref().map(cue_line).unwrap_or_default(),
        cues: s.cues.iter().map(cue_line).collect(),
        question: s.question.clone(),
        answered: s.answered.clone(),
        unreliable: !s.reliable,
        finished: s.finished,
    }
}

/// The link in words: staleness first (what the runner must not miss), then the session's
/// link state.
fn link_words(s: &Snapshot, age: Option<Duration>, stale: bool) -> String {
    if s.finished {
        return "run ended".to_owned();
    }
    let Some(age) = age else {
        return if s.link_up {
            "waiting for the strap".to_owned()
        } else {
            "reconnecting".to_owned()
        };
    };
    if stale {
        let reconnecting = if s.link_up { "" } else { ", reconnecting" };
        return format!("no signal {}{reconnecting}", clock(age));
    }
    if !s.link_up {
        return "reconnecting".to_owned();
    }
    // "back" while the session's time since the link came back is short.
    match s.link_back_s {
        Some(back) if s.elapsed_s - back < BACK_FOR.as_secs_f64() => "back".to_owned(),
        _ => "connected".to_owned(),
    }
}

/// When the last reading came, by a view's clock: the age a [`Glance`] needs. The view shows
/// it every snapshot it sees, with the time it saw it.
#[derive(Debug, Clone, Default)]
pub struct Freshness {
    last_reading_s: Option<f64>,
    seen_at: Option<Instant>,
}

impl Freshness {
    /// Notes `s`, seen at `now`: a new reading restarts the age.
    pub fn see(&mut self, s: &Snapshot, now: Instant) {
        if s.last_reading_s.is_some() && s.last_reading_s != self.last_reading_s {
            self.last_reading_s = s.last_reading_s;
            self.seen_at = Some(now);
        }
    }

    /// How long ago the last reading came, at `now`; `None` before the first.
    pub fn age(&self, now: Instant) -> Option<Duration> {
        self.seen_at.map(|t| now.saturating_duration_since(t))
    }
}

/// A snapshot as a view saw it: with when its last reading came.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    /// The run at a glance.
    pub snapshot: Snapshot,
    /// When its last reading came, by the wall clock.
    pub freshness: Freshness,
}

/// Stamps each snapshot from `snapshots` with the time it was seen, for any number of views
/// (the page's connections, the terminal view): a task on the current runtime, which ends
/// when the run's publisher goes.
pub fn stamped(mut snapshots: watch::Receiver<Snapshot>) -> watch::Receiver<Seen> {
    let first = Seen {
        snapshot: snapshots.borrow_and_update().clone(),
        freshness: Freshness::default(),
    };
    let (tx, rx) = watch::channel(first);
    tokio::spawn(async move {
        let mut freshness = Freshness::default();
        while snapshots.changed().await.is_ok() {
            let snapshot = snapshots.borrow_and_update().clone();
            freshness.see(&snapshot, Instant::now());
            let seen = Seen {
                snapshot,
                freshness: freshness.clone(),
            };
            if tx.send(seen).is_err() {
                return;
            }
        }
    });
    rx
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::snapshot::Cue;

    fn running(bpm: u16, cap: Option<u16>) -> Snapshot {
        Snapshot {
            elapsed_s: 754.0,
            bpm: Some(bpm),
            zone: Some(2),
            zone_name: Some("easy"),
            last_reading_s: Some(754.0),
            cap_bpm: cap,
            over_cap_since_s: cap.filter(|c| bpm >= *c).map(|_| 740.0),
            reliable: true,
            link_up: true,
            plan_s: Some(1800.0),
            ..Snapshot::default()
        }
    }

    #[test]
    fn a_fresh_reading_shows_its_zone_by_name_and_the_cap_in_bpm() {
        let g = glance(&running(124, Some(130)), Some(Duration::from_millis(400)));
        assert_eq!(g.bpm, "124");
        assert!(!g.stale && !g.over);
        assert_eq!(g.zone, "Z2 easy");
        assert_eq!(g.cap, "under 130 · 6 below");
        assert_eq!(g.elapsed, "12:34");
        assert_eq!(g.left, "17:26 left");
        assert_eq!(g.link, "connected");
        // At the cap is over it (the cap is what it allows).
        let g = glance(&running(132, Some(130)), Some(Duration::ZERO));
        assert!(g.over);
        assert_eq!(g.cap, "under 130 · 3 over");
        // No cap, no plan's time: nothing said of them.
        let mut free = running(150, None);
        free.plan_s = None;
        let g = glance(&free, Some(Duration::ZERO));
        assert_eq!((g.cap.as_str(), g.left.as_str()), ("", ""));
    }

    #[test]
    fn a_stale_reading_is_marked_and_counted_never_shown_as_live() {
        let s = running(132, Some(130));
        let just = glance(&s, Some(STALE_AFTER - Duration::from_millis(1)));
        assert!(!just.stale);
        let g = glance(&s, Some(Duration::from_secs(12)));
        assert!(g.stale);
        assert_eq!(g.link, "no signal 0:12");
        // A stale number says nothing of over or under.
        assert!(!g.over);
        assert_eq!(g.cap, "under 130");
        let mut lost = s.clone();
        lost.link_up = false;
        lost.link_lost_s = Some(750.0);
        let g = glance(&lost, Some(Duration::from_secs(75)));
        assert_eq!(g.link, "no signal 1:15, reconnecting");
        assert!(!g.link_up);
        // The link gone: not live, even a second after the last reading.
        let g = glance(&lost, Some(Duration::from_secs(1)));
        assert!(g.stale && !g.over, "{g:?}");
        assert_eq!(g.link, "no signal 0:01, reconnecting");
    }

    #[test]
    fn the_link_says_back_for_a_while_then_connected() {
        let mut s = running(120, None);
        s.link_back_s = Some(750.0);
        assert_eq!(glance(&s, Some(Duration::ZERO)).link, "back");
        s.elapsed_s = 760.0;
        assert_eq!(glance(&s, Some(Duration::ZERO)).link, "connected");
        assert_eq!(
            glance(&Snapshot::default(), None).link,
            "reconnecting",
            "no reading and no link"
        );
        let waiting = Snapshot {
            link_up: true,
            ..Snapshot::default()
        };
        let g = glance(&waiting, None);
        assert_eq!(
            (g.bpm.as_str(), g.link.as_str()),
            ("--", "waiting for the strap")
        );
        let ended = Snapshot {
            finished: true,
            ..running(120, None)
        };
        assert_eq!(
            glance(&ended, Some(Duration::from_secs(30))).link,
            "run ended"
        );
    }

    #[test]
    fn past_the_plan_and_the_last_cues_with_their_times() {
        let mut s = running(120, Some(130));
        s.elapsed_s = 1925.0;
        s.cues.push_back(Cue {
            at_s: 605.0,
            kind: "walk",
            text: "Walk.".to_owned(),
        });
        s.cue = s.cues.back().cloned();
        let g = glance(&s, Some(Duration::ZERO));
        assert_eq!(g.left, "2:05 past the plan's time");
        assert_eq!(g.cue, "[10:05] Walk.");
        assert_eq!(g.cues, ["[10:05] Walk."]);
    }

    #[test]
    fn freshness_counts_from_when_a_new_reading_was_seen() {
        let t0 = Instant::now();
        let mut f = Freshness::default();
        let mut s = Snapshot::default();
        f.see(&s, t0);
        assert_eq!(f.age(t0), None);
        s.last_reading_s = Some(10.0);
        f.see(&s, t0);
        // The same reading seen again later does not make it new.
        f.see(&s, t0 + Duration::from_secs(2));
        assert_eq!(
            f.age(t0 + Duration::from_secs(5)),
            Some(Duration::from_secs(5))
        );
        s.last_reading_s = Some(11.0);
        f.see(&s, t0 + Duration::from_secs(6));
        assert_eq!(
            f.age(t0 + Duration::from_secs(7)),
            Some(Duration::from_secs(1))
        );
    }
}
