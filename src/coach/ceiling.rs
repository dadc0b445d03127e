//! The per-minute alert ceiling: at most `alerts_per_minute` alerts in any minute, so a run
//! that hovers at the cap cannot nag. What is over the ceiling is held, not dropped, while it
//! stays true (docs/zones-and-alerts.md, "Alert ceiling").

use std::collections::VecDeque;
use std::time::Duration;

use super::alerts::{Alert, AlertKind};
use super::quality::Reliability;
use super::{Coach, Reading, UpdateKind};

/// The alerts given in the last minute.
#[derive(Debug, Clone)]
pub struct Ceiling {
    per_minute: usize,
    recent: VecDeque<Duration>,
}

impl Ceiling {
    /// At most `per_minute` alerts in any minute.
    pub fn new(per_minute: usize) -> Self {
        Ceiling {
            per_minute,
            recent: VecDeque::new(),
        }
    }

    /// Whether an alert may be given at `at`.
    pub fn allows(&mut self, at: Duration) -> bool {
        let minute = Duration::from_secs(60);
        while self
            .recent
            .front()
            .is_some_and(|&t| at.saturating_sub(t) >= minute)
        {
            self.recent.pop_front();
        }
        self.recent.len() < self.per_minute
    }

    /// An alert was given at `at`.
    pub fn given(&mut self, at: Duration) {
        self.recent.push_back(at);
    }
}

impl Coach {
    /// Decides what the runner hears now: the alert this event raised, or one the per-minute
    /// ceiling held back earlier and that still holds.
    ///
    /// An alert over the ceiling is not dropped: the cap state machine has already moved on,
    /// so dropping it would leave the runner unwarned for as long as they stay over (with "hold
    /// this effort" as the last word, if that came just before). A held cap alert is given, with
    /// the numbers of the moment, at the first trusted reading the ceiling allows, as long as
    /// it is still true then: over the cap for `over_cap`/`reminder`, under it for
    /// `back_under`. A newer alert replaces it. A held creep warning is simply dropped: the
    /// watch was not disarmed and warns again if the climb goes on. Every alert that is never
    /// given counts in `suppressed_alerts`.
    pub(super) fn deliver(
        &mut self,
        at: Duration,
        raised: Option<Alert>,
        kind: &UpdateKind,
    ) -> Option<Alert> {
        // A held alert is given only on a trusted reading while heart rate as a whole is
        // reliable: the same conditions under which the guard raises one.
        let reliable = self.gate.reliability() == Reliability::Reliable;
        let trusted = match *kind {
            UpdateKind::Sample {
                reading: Reading::Trusted { bpm, over_cap, .. },
                ..
            } if reliable => Some((bpm, over_cap)),
            _ => None,
        };
        let (candidate, late) = match (raised, self.held.take()) {
            (Some(new), Some(old)) => {
                self.tally.suppressed();
                if new.kind == AlertKind::BackUnder && old.kind != AlertKind::BackUnder {
                    // The runner never heard they were over: "back under" would be news about
                    // nothing. Both go unsaid.
                    self.tally.suppressed();
                    return None;
                }
                (new, false)
            }
            (Some(new), None) => (new, false),
            (None, Some(old)) => {
                let Some((bpm, over_cap)) = trusted else {
                    // Only a trusted, reliable reading can confirm it: keep waiting.
                    self.held = Some(old);
                    return None;
                };
                match self.still_true(at, old, bpm, over_cap) {
                    Some(refreshed) => (refreshed, true),
                    None => {
                        self.tally.suppressed();
                        return None;
                    }
                }
            }
            (None, None) => return None,
        };
        if !self.ceiling.allows(at) {
            if candidate.kind == AlertKind::Creep {
                self.tally.suppressed();
            } else {
                self.held = Some(candidate);
            }
            return None;
        }
        self.ceiling.given(at);
        if late && let Some(g) = &mut self.guard {
            // Given later than raised: the next reminder counts from now.
            g.cued(at);
        }
        if candidate.kind == AlertKind::Creep
            && let Some(c) = &mut self.creep
        {
            c.warned(candidate.smoothed_bpm);
        }
        self.tally.alert(candidate);
        Some(candidate)
    }

    /// A held alert brought up to `at`, if what it says is still true of this reading.
    fn still_true(&self, at: Duration, held: Alert, bpm: u16, over_cap: bool) -> Option<Alert> {
        let guard = self.guard.as_ref()?;
        let holds = match held.kind {
            AlertKind::OverCap | AlertKind::Reminder => guard.is_alerting() && over_cap,
            AlertKind::BackUnder => !guard.is_alerting() && !over_cap,
            AlertKind::Walk => self
                .run_walk
                .as_ref()
                .is_some_and(|(rw, _)| rw.is_walking()),
            AlertKind::Run => {
                self.run_walk
                    .as_ref()
                    .is_some_and(|(rw, _)| !rw.is_walking())
                    && !over_cap
            }
            AlertKind::Creep | AlertKind::TimeUp | AlertKind::Halfway | AlertKind::Stop => false,
        };
        holds.then(|| Alert {
            at,
            bpm,
            smoothed_bpm: guard.smoothed().unwrap_or(bpm),
            over_for: match held.kind {
                AlertKind::BackUnder => held.over_for,
                _ => held.over_for + at.saturating_sub(held.at),
            },
            ..held
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_so_many_alerts_in_any_minute() {
        let mut c = Ceiling::new(2);
        let s = Duration::from_secs;
        assert!(c.allows(s(0)));
        c.given(s(0));
        assert!(c.allows(s(10)));
        c.given(s(10));
        assert!(!c.allows(s(59)), "two in the minute already");
        assert!(c.allows(s(60)), "the first has left the minute");
        c.given(s(60));
        assert!(!c.allows(s(69)));
        assert!(c.allows(s(70)));
    }
}
