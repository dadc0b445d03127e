//! The max-HR field test plan: what to do when, as pure data.
//!
//! A common guided protocol (after the field tests coaches such as Friel and the Polar and
//! Garmin guides describe): a long easy warm-up, because a max effort on cold legs neither
//! reaches max HR nor is safe; then three 3-minute hard efforts uphill with 3 minutes easy
//! between, the last building to all-out, since heart rate lags effort and only a repeated,
//! building effort drives it to the top; then a cool-down. The commands show the stage and its
//! cue; the result comes from [`super::measures::sustained_peak`].

use std::time::Duration;

/// One stage of the test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stage {
    /// Short name for the status line.
    pub name: &'static str,
    /// What to tell the runner when the stage starts.
    pub cue: &'static str,
    /// Length of the stage.
    pub length: Duration,
}

const fn minutes(m: u64) -> Duration {
    Duration::from_secs(m * 60)
}

/// The stages, in order.
pub const STAGES: [Stage; 7] = [
    Stage {
        name: "warm-up",
        cue: "Warm-up: 15 minutes easy, effort 3-4 of 10. Head for a steady hill.",
        length: minutes(15),
    },
    Stage {
        name: "effort 1/3",
        cue: "Effort 1 of 3: 3 minutes hard uphill, effort 8 of 10.",
        length: minutes(3),
    },
    Stage {
        name: "recovery",
        cue: "Recover: 3 minutes easy, jog or walk back down.",
        length: minutes(3),
    },
    Stage {
        name: "effort 2/3",
        cue: "Effort 2 of 3: 3 minutes hard uphill, effort 9 of 10.",
        length: minutes(3),
    },
    Stage {
        name: "recovery",
        cue: "Recover: 3 minutes easy, jog or walk back down.",
        length: minutes(3),
    },
    Stage {
        name: "effort 3/3",
        cue: "Effort 3 of 3: 3 minutes uphill, building to all-out over the last minute.",
        length: minutes(3),
    },
    Stage {
        name: "cool-down",
        cue: "Cool-down: 10 minutes easy. The hard part is done.",
        length: minutes(10),
    },
];

/// The stage at `t` since the start, with its index and start time; `None` after the end.
pub fn stage_at(t: Duration) -> Option<(usize, Duration, &'static Stage)> {
    let mut start = Duration::ZERO;
    for (i, s) in STAGES.iter().enumerate() {
        if t < start + s.length {
            return Some((i, start, s));
        }
        start += s.length;
    }
    None
}

/// When the last hard effort ends: a recording shorter than this did not finish the test.
pub fn efforts_end() -> Duration {
    STAGES[..6].iter().map(|s| s.length).sum()
}

/// The whole test's length.
pub fn total() -> Duration {
    STAGES.iter().map(|s| s.length).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_follow_each_other() {
        assert_eq!(stage_at(Duration::ZERO).map(|s| s.0), Some(0));
        assert_eq!(
            stage_at(minutes(15)).map(|s| (s.0, s.1)),
            Some((1, minutes(15)))
        );
        assert_eq!(stage_at(minutes(29)).map(|s| s.2.name), Some("effort 3/3"));
        assert_eq!(efforts_end(), minutes(30));
        assert_eq!(total(), minutes(40));
        assert_eq!(stage_at(minutes(40)), None);
    }
}
