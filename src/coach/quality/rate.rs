//! Rule 5, rate: a change faster than a heart can make from the last trusted reading is a
//! spike, unless three readings in a row agree (a real new level).

use std::time::Duration;

/// Keeps a trusted reference and judges readings against it. See [`RateGate::check`].
#[derive(Debug, Clone)]
pub struct RateGate {
    max_rate: f64,
    max_gap: Duration,
    last: Option<(Duration, u16)>,
    /// Rejected readings since the last trusted one.
    run: Vec<(Duration, u16)>,
}

impl RateGate {
    /// A gate that allows `max_rate` bpm per second and re-anchors after `max_gap`.
    pub fn new(max_rate: f64, max_gap: Duration) -> Self {
        RateGate {
            max_rate,
            max_gap,
            last: None,
            run: Vec::new(),
        }
    }

    fn within(&self, a: (Duration, u16), b: (Duration, u16)) -> bool {
        let dt = b.0.saturating_sub(a.0).as_secs_f64().max(1.0);
        f64::from(a.1.abs_diff(b.1)) <= self.max_rate * dt
    }

    /// Whether `bpm` at `at` is a plausible next reading. Returns how many earlier rejected
    /// readings it vindicates (a level shift confirmed by three agreeing readings), or `None`
    /// when this one is rejected.
    pub fn check(&mut self, at: Duration, bpm: u16) -> Option<usize> {
        let now = (at, bpm);
        let anchored = match self.last {
            None => true,
            Some(last) => at.saturating_sub(last.0) > self.max_gap || self.within(last, now),
        };
        if anchored {
            self.last = Some(now);
            self.run.clear();
            return Some(0);
        }
        if self.run.last().is_some_and(|&prev| !self.within(prev, now)) {
            self.run.clear();
        }
        self.run.push(now);
        if self.run.len() >= 3 {
            // Three in a row that agree with each other: a real change, not a spike.
            let vindicated = self.run.len() - 1;
            self.last = Some(now);
            self.run.clear();
            return Some(vindicated);
        }
        None
    }

    /// Forgets the reference (after a lost link or a long gap).
    pub fn reset(&mut self) {
        self.last = None;
        self.run.clear();
    }
}
