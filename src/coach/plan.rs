//! The run's plan, beside its heart rate: run/walk, the plan's time, and the warm-up check
//! (docs/zones-and-alerts.md, "The plan's time" and "The warm-up check").
//!
//! The check is the test the sore-day guidance rests on: soreness that eases as you warm up
//! is ordinary, soreness that gets worse as you move is a warning sign. So on a sore day the
//! coach asks, at [`RunPlan::check_at`], "Has the soreness eased?", once more a minute later
//! if nobody answered, and acts on the answer: carry on, carry on one step tighter and
//! shorter, or stop.

use std::time::Duration;

use crate::checkins::rules::Moving;

/// When the warm-up check is asked by default: ten minutes in, after the dynamic warm-up and
/// the first easy minutes the check-in advises ("5-10 minutes of dynamic warm-up"), when
/// ordinary soreness has had time to ease.
pub const DEFAULT_CHECK_AT: Duration = Duration::from_secs(10 * 60);

/// With no answer, the question is asked once more this long after the first time; with none
/// to that either, the run goes on and the summary says "not answered".
pub const ASK_AGAIN_AFTER: Duration = Duration::from_secs(60);

/// An answer "same" takes this much off the plan's time (the check-in's bands of time are 10
/// minutes apart: 45, 35, 25 minutes).
pub const SAME_SHORTER_BY: Duration = Duration::from_secs(10 * 60);

/// ... but leaves at least this much from the answer on: time to get home easily.
pub const SAME_AT_LEAST: Duration = Duration::from_secs(5 * 60);

/// A cap at or below this share of max HR (percent) is one a runner cannot run under: the
/// run becomes a run/walk. Easy running sits at 60-70 % of max HR; at 65 % and under, most
/// runners are over the cap within minutes of a jog, and the answer is walk breaks, not a
/// jog slower than a walk (docs/zones-and-alerts.md, "Run/walk").
pub const RUN_WALK_AT_OR_BELOW_PCT_OF_MAX: f64 = 65.0;

/// What the runner asked of the run beside its heart rate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunPlan {
    /// Run/walk asked for (`--run-walk`); it also comes on by itself under a low cap.
    pub run_walk: bool,
    /// The plan's time (the check-in's "at most"), if any.
    pub time: Option<Duration>,
    /// An out-and-back route: "turn around" at half the time.
    pub out_and_back: bool,
    /// When to ask the warm-up check (only on a sore day); `None`: not asked.
    pub check_at: Option<Duration>,
}

/// Why the run is a run/walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunWalkWhy {
    /// `--run-walk`.
    Asked,
    /// The cap is at or below [`RUN_WALK_AT_OR_BELOW_PCT_OF_MAX`] of max HR.
    LowCap,
}

/// Whether the run is a run/walk, and why: asked for, or a cap of `cap_bpm` at or below
/// [`RUN_WALK_AT_OR_BELOW_PCT_OF_MAX`] of `max_hr`. Never without a cap.
pub fn run_walk(plan: &RunPlan, cap_bpm: Option<u16>, max_hr: u16) -> Option<RunWalkWhy> {
    let cap = cap_bpm?;
    if plan.run_walk {
        Some(RunWalkWhy::Asked)
    } else if f64::from(cap) <= RUN_WALK_AT_OR_BELOW_PCT_OF_MAX / 100.0 * f64::from(max_hr) {
        Some(RunWalkWhy::LowCap)
    } else {
        None
    }
}

/// What the plan is, said at the start of the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Start {
    /// The cap, on a sore day.
    pub cap_bpm: Option<u16>,
    /// The plan's time.
    pub time: Option<Duration>,
    /// Turn around at half the time.
    pub out_and_back: bool,
    /// Run/walk, and why.
    pub run_walk: Option<RunWalkWhy>,
    /// When the warm-up check is asked.
    pub check_at: Option<Duration>,
}

impl Start {
    /// Whether there is anything to say.
    pub fn says_something(&self) -> bool {
        self.time.is_some() || self.run_walk.is_some() || self.check_at.is_some()
    }
}

/// A question the coach asks during the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    /// 1 the first time, 2 the second.
    pub attempt: u8,
}

/// How the warm-up check went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckOutcome {
    /// The runner answered.
    Answered(Moving),
    /// Asked twice, no answer.
    NotAnswered,
}

impl CheckOutcome {
    /// Stable name for JSON: `eased`, `same`, `worse`, `not_answered`.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckOutcome::Answered(m) => crate::coach::answer::Answer::Soreness(m).as_str(),
            CheckOutcome::NotAnswered => "not_answered",
        }
    }
}

/// The warm-up check's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Not asked yet, or not asked on this run (`at` is `None`).
    Waiting {
        /// When to ask.
        at: Option<Duration>,
    },
    /// Asked, at `at`, for the `attempt`-th time.
    Asked {
        /// When.
        at: Duration,
        /// 1 or 2.
        attempt: u8,
    },
    /// Done.
    Done(CheckOutcome),
}

impl Check {
    /// A check asked at `at` (`None`: never).
    pub fn new(at: Option<Duration>) -> Self {
        Check::Waiting { at }
    }

    /// The question due at `now`, if any, moving the check on (to asked, or, after the second
    /// time unanswered, to not answered).
    pub fn tick(&mut self, now: Duration) -> Option<Question> {
        match *self {
            Check::Waiting { at: Some(at) } if now >= at => {
                *self = Check::Asked {
                    at: now,
                    attempt: 1,
                };
                Some(Question { attempt: 1 })
            }
            Check::Asked { at, attempt } if now.saturating_sub(at) >= ASK_AGAIN_AFTER => {
                if attempt >= 2 {
                    *self = Check::Done(CheckOutcome::NotAnswered);
                    None
                } else {
                    *self = Check::Asked {
                        at: now,
                        attempt: attempt + 1,
                    };
                    Some(Question {
                        attempt: attempt + 1,
                    })
                }
            }
            _ => None,
        }
    }

    /// The runner answered. An answer before the question counts as well: a runner may say
    /// "worse" the moment it is worse.
    pub fn answer(&mut self, moving: Moving) {
        *self = Check::Done(CheckOutcome::Answered(moving));
    }

    /// How it went, once done; a check asked but not yet answered at the end of the run is
    /// "not answered".
    pub fn outcome(&self) -> Option<CheckOutcome> {
        match *self {
            Check::Waiting { .. } => None,
            Check::Asked { .. } => Some(CheckOutcome::NotAnswered),
            Check::Done(o) => Some(o),
        }
    }
}

/// The plan's time cue due at `moving` (time run so far, pauses left out) under a plan of
/// `time`, and not yet in `given`: halfway on an out-and-back, then time up.
pub fn time_cue(
    plan: &RunPlan,
    time: Option<Duration>,
    moving: Duration,
    given: &mut TimeCues,
) -> Option<TimeCue> {
    let time = time?;
    if plan.out_and_back && !given.halfway && moving >= time / 2 && moving < time {
        given.halfway = true;
        return Some(TimeCue::Halfway);
    }
    if !given.time_up && moving >= time {
        given.time_up = true;
        given.halfway = true;
        return Some(TimeCue::TimeUp);
    }
    None
}

/// The time cues given so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimeCues {
    halfway: bool,
    time_up: bool,
}

/// A cue of the plan's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeCue {
    /// Half the time: turn around.
    Halfway,
    /// The time is up.
    TimeUp,
}

/// The plan's time one step shorter after "same" at `now`: [`SAME_SHORTER_BY`] less, but at
/// least [`SAME_AT_LEAST`] from `now`; without a time, `now` plus twice that.
pub fn shorter(time: Option<Duration>, now: Duration) -> Duration {
    match time {
        Some(t) => t.saturating_sub(SAME_SHORTER_BY).max(now + SAME_AT_LEAST),
        None => now + 2 * SAME_AT_LEAST,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn min(m: u64) -> Duration {
        Duration::from_secs(60 * m)
    }

    #[test]
    fn the_check_is_asked_twice_then_not_answered() {
        let mut c = Check::new(Some(min(10)));
        assert_eq!(c.tick(min(9)), None);
        assert_eq!(c.tick(min(10)), Some(Question { attempt: 1 }));
        assert_eq!(c.tick(min(10) + Duration::from_secs(59)), None);
        assert_eq!(c.tick(min(11)), Some(Question { attempt: 2 }));
        assert_eq!(c.tick(min(12)), None);
        assert_eq!(c.outcome(), Some(CheckOutcome::NotAnswered));
        assert_eq!(c.tick(min(30)), None);
    }

    #[test]
    fn an_answer_ends_the_check() {
        let mut c = Check::new(Some(min(10)));
        c.tick(min(10));
        c.answer(Moving::Worse);
        assert_eq!(c.tick(min(11)), None);
        assert_eq!(c.outcome(), Some(CheckOutcome::Answered(Moving::Worse)));
        assert_eq!(Check::new(None).tick(min(60)), None);
    }

    #[test]
    fn time_cues_come_once_each_halfway_first() {
        let plan = RunPlan {
            out_and_back: true,
            ..RunPlan::default()
        };
        let mut given = TimeCues::default();
        let t = Some(min(35));
        let cues: Vec<_> = (0..50)
            .filter_map(|m| time_cue(&plan, t, min(m), &mut given).map(|c| (m, c)))
            .collect();
        // 17.5 minutes is reached at the 18th minute of this coarse clock.
        assert_eq!(cues, [(18, TimeCue::Halfway), (35, TimeCue::TimeUp)]);
    }

    #[test]
    fn same_makes_the_run_shorter_but_leaves_time_to_get_home() {
        assert_eq!(shorter(Some(min(35)), min(10)), min(25));
        assert_eq!(shorter(Some(min(25)), min(12)), min(17));
        assert_eq!(shorter(None, min(10)), min(20));
    }

    #[test]
    fn a_low_cap_makes_a_run_walk() {
        let plan = RunPlan::default();
        assert_eq!(run_walk(&plan, Some(111), 185), Some(RunWalkWhy::LowCap));
        assert_eq!(run_walk(&plan, Some(120), 185), Some(RunWalkWhy::LowCap));
        assert_eq!(run_walk(&plan, Some(121), 185), None);
        assert_eq!(run_walk(&plan, None, 185), None);
        let asked = RunPlan {
            run_walk: true,
            ..plan
        };
        assert_eq!(run_walk(&asked, Some(130), 185), Some(RunWalkWhy::Asked));
    }
}
