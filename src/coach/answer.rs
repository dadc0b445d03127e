//! What the runner tells the coach during a run, through the session's answer channel
//! ([`crate::session::run_with`]). The warm-up check (has the soreness eased as you warmed
//! up?) is the first; the coach keeps each answer with the session time it came at, and the
//! rules that act on them are the next issue's.

use crate::checkins::rules::Moving;

/// One answer from the runner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// How the soreness behaves now that the runner is moving.
    Soreness(Moving),
}
