//! Run/walk under a cap a runner cannot run under: walk when heart rate has been over the cap
//! for the dwell, run again, gently, when it has come far enough back under for long enough
//! (docs/zones-and-alerts.md, "Run/walk").
//!
//! ```text
//!              over cap continuously for `dwell`
//!   Running ───────────────────────────────────────▶ Walking
//!     ▲              (cue: walk)                        │   no cue while walking:
//!     │                                                 │   a walk lasts until `run`
//!     └─────────────────────────────────────────────────┘
//!        at or below cap − RUN_MARGIN_BPM continuously for RUN_AFTER
//!                         (cue: run)
//! ```
//!
//! Unlike [`super::alerts::CapGuard`] it never reminds: the walk cue is an instruction that
//! holds until the run cue, and a reminder every minute of a walk would say nothing new.

use std::time::Duration;

use super::alerts::{Alert, AlertKind};

/// How far under the cap (bpm) heart rate must come before running again. Heart rate falls
/// fast in the first minute of a walk (about 12-20 bpm in healthy adults, Cole et al. 1999,
/// NEJM 341:1351), so 5 bpm under the cap comes within the first half-minute of walking, and
/// leaves room for the climb of the next run before the cap is reached again.
pub const RUN_MARGIN_BPM: u16 = 5;

/// How long heart rate must stay that far under before "run": five readings in a row, so
/// that one low reading is not a walk's end, and short enough that a runner whose heart rate
/// turns at the bottom of a short walk (and who starts running again on their own) still
/// hears "run" before it climbs back over the margin.
pub const RUN_AFTER: Duration = Duration::from_secs(5);

/// Which half of a run/walk the runner is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Running; `over_since` is the start of the current unbroken run over the cap.
    Running { over_since: Option<Duration> },
    /// Walking since the walk cue; `under_since` is the start of the current unbroken run at
    /// or below the cap less the margin.
    Walking {
        since: Duration,
        under_since: Option<Duration>,
    },
}

/// The run/walk state machine. Feed it trusted readings with [`RunWalk::observe`]; an
/// untrusted reading or a lost link breaks a streak ([`RunWalk::interrupt`]).
#[derive(Debug, Clone)]
pub struct RunWalk {
    cap_bpm: u16,
    dwell: Duration,
    max_gap: Duration,
    phase: Phase,
    last_trusted: Option<Duration>,
}

impl RunWalk {
    /// Run/walk under `cap_bpm`, walking after `dwell` over it; streaks break on gaps longer
    /// than `max_gap`.
    pub fn new(cap_bpm: u16, dwell: Duration, max_gap: Duration) -> Self {
        RunWalk {
            cap_bpm,
            dwell,
            max_gap,
            phase: Phase::Running { over_since: None },
            last_trusted: None,
        }
    }

    /// The bpm at or under which a walk may end.
    pub fn run_again_at(&self) -> u16 {
        self.cap_bpm.saturating_sub(RUN_MARGIN_BPM)
    }

    /// Whether the runner was told to walk and not yet to run.
    pub fn is_walking(&self) -> bool {
        matches!(self.phase, Phase::Walking { .. })
    }

    /// A cap now `cap_bpm` (a warm-up check answered "same" tightens it).
    pub fn set_cap(&mut self, cap_bpm: u16) {
        self.cap_bpm = cap_bpm;
    }

    /// An untrusted reading or a lost link: the current streak is broken.
    pub fn interrupt(&mut self) {
        self.last_trusted = None;
    }

    /// Takes one trusted reading (its bpm and the 10 s mean) and returns the cue it gives.
    pub fn observe(&mut self, at: Duration, bpm: u16, smoothed_bpm: u16) -> Option<Alert> {
        let unbroken = self
            .last_trusted
            .is_some_and(|t| at.saturating_sub(t) <= self.max_gap);
        self.last_trusted = Some(at);
        let cap_bpm = self.cap_bpm;
        let cue = |kind, over_for| Alert::cue(at, kind, (bpm, smoothed_bpm), cap_bpm, over_for);
        match &mut self.phase {
            Phase::Running { over_since } => {
                if !unbroken || bpm < self.cap_bpm {
                    *over_since = None;
                }
                if bpm < self.cap_bpm {
                    return None;
                }
                let over_for = at.saturating_sub(*over_since.get_or_insert(at));
                if over_for < self.dwell {
                    return None;
                }
                self.phase = Phase::Walking {
                    since: at,
                    under_since: None,
                };
                Some(cue(AlertKind::Walk, over_for))
            }
            Phase::Walking { since, under_since } => {
                let low = bpm <= self.cap_bpm.saturating_sub(RUN_MARGIN_BPM);
                if !unbroken || !low {
                    *under_since = None;
                }
                if !low {
                    return None;
                }
                let start = *under_since.get_or_insert(at);
                if at.saturating_sub(start) < RUN_AFTER {
                    return None;
                }
                let walked = at.saturating_sub(*since);
                self.phase = Phase::Running { over_since: None };
                Some(cue(AlertKind::Run, walked))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds one reading a second from `start_s`; returns the cues with their times.
    fn feed(rw: &mut RunWalk, start_s: u64, bpms: &[u16]) -> Vec<(u64, AlertKind)> {
        (bpms.iter().enumerate())
            .filter_map(|(i, &bpm)| {
                let t = start_s + i as u64;
                rw.observe(Duration::from_secs(t), bpm, bpm)
                    .map(|a| (t, a.kind))
            })
            .collect()
    }

    fn run_walk() -> RunWalk {
        RunWalk::new(111, Duration::from_secs(20), Duration::from_secs(5))
    }

    #[test]
    fn walks_after_the_dwell_and_runs_again_well_under() {
        let mut rw = run_walk();
        let mut bpms = vec![115u16; 21];
        // Walking: heart rate falls a bpm every 2 s from 115 to 100.
        bpms.extend((0..30).map(|i| 115 - i / 2));
        let cues = feed(&mut rw, 0, &bpms);
        // 106 (111 - 5) is first reached at 21 + 18 = 39 s; five seconds of it later, run.
        assert_eq!(cues, [(20, AlertKind::Walk), (44, AlertKind::Run)]);
    }

    #[test]
    fn no_walk_cue_while_walking_and_no_run_while_over() {
        let mut rw = run_walk();
        // Ten minutes over the cap: one walk cue, nothing else.
        let cues = feed(&mut rw, 0, &[125; 600]);
        assert_eq!(cues, [(20, AlertKind::Walk)]);
        // Just under the cap, but not by the margin: still walking.
        assert!(feed(&mut rw, 600, &[108; 120]).is_empty());
        assert!(rw.is_walking());
    }

    #[test]
    fn a_high_reading_restarts_the_wait_to_run() {
        let mut rw = run_walk();
        feed(&mut rw, 0, &[120; 21]);
        let mut bpms = vec![104u16; 4];
        bpms.push(112);
        bpms.extend([104; 11]);
        // The wait starts again after 112 at 25 s: run at 26 + 5.
        assert_eq!(feed(&mut rw, 21, &bpms), [(31, AlertKind::Run)]);
    }

    #[test]
    fn a_short_walk_that_turns_at_its_bottom_still_hears_run() {
        let mut rw = run_walk();
        feed(&mut rw, 0, &[120; 21]);
        // Down 2 bpm a second from 118 to 100, straight back up: 6 readings at or under 106.
        let mut bpms: Vec<u16> = (0..10).map(|i| 118 - 2 * i).collect();
        bpms.extend((0..10).map(|i| 100 + 2 * i));
        let cues = feed(&mut rw, 21, &bpms);
        assert_eq!(cues.len(), 1, "{cues:?}");
        assert_eq!(cues[0].1, AlertKind::Run);
    }

    #[test]
    fn a_gap_breaks_the_dwell() {
        let mut rw = run_walk();
        feed(&mut rw, 0, &[120; 15]);
        rw.interrupt();
        assert!(feed(&mut rw, 15, &[120; 15]).is_empty());
        assert_eq!(feed(&mut rw, 30, &[120; 6]), [(35, AlertKind::Walk)]);
    }
}
