//! Whether heart rate as a whole can be coached from: a sliding window of verdicts.

use std::collections::VecDeque;
use std::time::Duration;

use super::{Rejection, Reliability};

/// The last `window` of verdicts, with their rejections counted as the window slides.
#[derive(Debug, Clone)]
pub struct ReliabilityWindow {
    window: Duration,
    unreliable_share: f64,
    /// Recent verdicts: time and the rejection, if any.
    recent: VecDeque<(Duration, Option<Rejection>)>,
    /// Rejections in `recent`, by reason.
    counts: [usize; Rejection::ALL.len()],
    reliability: Reliability,
}

impl ReliabilityWindow {
    /// Unreliable when at least `unreliable_share` of the last `window` (and 5 readings) was
    /// rejected.
    pub fn new(window: Duration, unreliable_share: f64) -> Self {
        ReliabilityWindow {
            window,
            unreliable_share,
            recent: VecDeque::new(),
            counts: [0; Rejection::ALL.len()],
            reliability: Reliability::Reliable,
        }
    }

    /// The current reliability.
    pub fn reliability(&self) -> Reliability {
        self.reliability
    }

    /// Adds a verdict at `at`; returns the new reliability if it changed.
    pub fn track(&mut self, at: Duration, rejection: Option<Rejection>) -> Option<Reliability> {
        // Counts are kept as the window slides, not recounted: this runs for every reading.
        self.recent.push_back((at, rejection));
        if let Some(r) = rejection {
            self.counts[r.index()] += 1;
        }
        while let Some(&(t, r)) = self.recent.front() {
            if at.saturating_sub(t) <= self.window {
                break;
            }
            self.recent.pop_front();
            if let Some(r) = r {
                self.counts[r.index()] -= 1;
            }
        }
        let n = self.recent.len();
        let counts = self.counts;
        let rejected: usize = counts.iter().sum();
        let now = if n >= 5 && rejected as f64 >= self.unreliable_share * n as f64 {
            let (i, _) = counts
                .iter()
                .enumerate()
                .max_by_key(|(_, c)| **c)
                .unwrap_or((0, &0));
            Reliability::Unreliable(Rejection::ALL[i])
        } else {
            Reliability::Reliable
        };
        let changed = matches!(
            (self.reliability, now),
            (Reliability::Reliable, Reliability::Unreliable(_))
                | (Reliability::Unreliable(_), Reliability::Reliable)
        );
        self.reliability = now;
        changed.then_some(now)
    }
}
