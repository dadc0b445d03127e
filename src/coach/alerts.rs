//! The sore-day cap: when to tell the runner they have drifted above an easy effort.
//!
//! An alert that fires on every crossing gets ignored, so [`CapGuard`] is a small state machine
//! with four knobs (defaults and their reasons in docs/zones-and-alerts.md):
//!
//! ```text
//!              over cap continuously for `dwell`
//!   Under ────────────────────────────────────────▶ Over ──┐ still over cap, every
//!     ▲           (alert: over_cap)                  │  ◀─┘ `remind_every` (alert: reminder)
//!     │                                              │
//!     └──────────────────────────────────────────────┘
//!        below cap − `margin` continuously for `clear_after`
//!                  (alert: back_under)
//! ```
//!
//! "Over the cap" means a reading at or above the cap bpm, i.e. in zone 3 or higher when the cap
//! is the 70 % bound (the zone convention puts a bpm equal to a bound in the upper zone).
//!
//! "Continuously" means every reading in between was trusted (see [`super::quality`]) and no two
//! were further apart than the session's maximum gap. A rejected reading, a gap or a lost link
//! breaks the streak: the dwell starts again from the next good reading, so an alert is never
//! built from data the coach did not trust, and none fires while the strap is away.

use std::time::Duration;

use super::zones::Percent;

/// The settings of the sore-day cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapSettings {
    /// The cap as a percentage of the zone model's basis; `None` is the model's easy-day
    /// default (70 % of max HR, 60 % of HRR, 85 % of LTHR: [`super::zones::ZoneBasis::default_cap`]).
    pub cap: Option<Percent>,
    /// How long HR must stay over the cap before the first alert.
    pub dwell: Duration,
    /// How far below the cap (bpm) HR must come before the alert can clear.
    pub margin_bpm: u16,
    /// How long HR must stay below `cap - margin` before "back under the cap".
    pub clear_after: Duration,
    /// How often to remind the runner while HR stays over the cap.
    pub remind_every: Duration,
}

impl Default for CapSettings {
    fn default() -> Self {
        CapSettings {
            cap: None,
            dwell: Duration::from_secs(20),
            margin_bpm: 3,
            clear_after: Duration::from_secs(10),
            remind_every: Duration::from_secs(60),
        }
    }
}

/// What an alert says. Its serde form is the stable name of [`AlertKind::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// HR has been over the cap for the dwell time: the gentle first cue.
    OverCap,
    /// HR is still over the cap, `remind_every` after the last cue: firmer.
    Reminder,
    /// HR has come back below the cap by the margin and stayed there.
    BackUnder,
    /// HR is still under the cap but rising toward it steadily (cardiac drift).
    Creep,
    /// Run/walk: over the cap for the dwell time: walk until told to run.
    Walk,
    /// Run/walk: back under the cap by the run margin for long enough: run again, gently.
    Run,
    /// The plan's time is up: walk to cool down.
    TimeUp,
    /// Half the plan's time, on an out-and-back route: turn around.
    Halfway,
    /// The soreness got worse as the runner warmed up: stop running.
    Stop,
}

impl AlertKind {
    /// Stable name used in JSON output: `over_cap`, `reminder`, `back_under`, `creep`.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::OverCap => "over_cap",
            AlertKind::Reminder => "reminder",
            AlertKind::BackUnder => "back_under",
            AlertKind::Creep => "creep",
            AlertKind::Walk => "walk",
            AlertKind::Run => "run",
            AlertKind::TimeUp => "time_up",
            AlertKind::Halfway => "halfway",
            AlertKind::Stop => "stop",
        }
    }

    /// Whether it is a cue of the plan (time, the warm-up check's answer) rather than of
    /// the heart rate: such a cue is given whatever the heart rate and its quality, and the
    /// per-minute ceiling does not hold it back.
    pub fn is_plan_cue(self) -> bool {
        matches!(
            self,
            AlertKind::TimeUp | AlertKind::Halfway | AlertKind::Stop
        )
    }

    /// Why it fired.
    pub fn reason(self) -> AlertReason {
        match self {
            AlertKind::OverCap => AlertReason::OverCapForDwell,
            AlertKind::Reminder => AlertReason::StillOverCap,
            AlertKind::BackUnder => AlertReason::UnderCapMinusMarginForClearAfter,
            AlertKind::Creep => AlertReason::RisingTowardCap,
            AlertKind::Walk => AlertReason::OverCapForDwell,
            AlertKind::Run => AlertReason::UnderCapMinusRunMarginForRunAfter,
            AlertKind::TimeUp => AlertReason::PlanTimeReached,
            AlertKind::Halfway => AlertReason::HalfThePlanTime,
            AlertKind::Stop => AlertReason::SorenessWorseWhenWarm,
        }
    }

    /// How insistent it is: 1 gentle, 2 firm (0 for good news).
    pub fn level(self) -> u8 {
        match self {
            AlertKind::OverCap | AlertKind::Creep | AlertKind::TimeUp | AlertKind::Halfway => 1,
            AlertKind::Reminder | AlertKind::Walk | AlertKind::Stop => 2,
            AlertKind::BackUnder | AlertKind::Run => 0,
        }
    }
}

/// Why an alert fired, as a stable machine-readable reason (docs/json-output.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertReason {
    /// Over the cap for the dwell time.
    OverCapForDwell,
    /// Still over the cap at the next reminder.
    StillOverCap,
    /// Under the cap by the margin for the clear-after time.
    UnderCapMinusMarginForClearAfter,
    /// Rising toward the cap.
    RisingTowardCap,
    /// Run/walk: under the cap by the run margin for the run-after time.
    UnderCapMinusRunMarginForRunAfter,
    /// The plan's time has run.
    PlanTimeReached,
    /// Half the plan's time has run (out and back).
    HalfThePlanTime,
    /// The runner answered that the soreness got worse as they warmed up.
    SorenessWorseWhenWarm,
}

impl AlertReason {
    /// The stable name: `over_cap_for_dwell`, `still_over_cap`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            AlertReason::OverCapForDwell => "over_cap_for_dwell",
            AlertReason::StillOverCap => "still_over_cap",
            AlertReason::UnderCapMinusMarginForClearAfter => {
                "under_cap_minus_margin_for_clear_after"
            }
            AlertReason::RisingTowardCap => "rising_toward_cap",
            AlertReason::UnderCapMinusRunMarginForRunAfter => {
                "under_cap_minus_run_margin_for_run_after"
            }
            AlertReason::PlanTimeReached => "plan_time_reached",
            AlertReason::HalfThePlanTime => "half_the_plan_time",
            AlertReason::SorenessWorseWhenWarm => "soreness_worse_when_warm",
        }
    }

    /// The reason in words, for a report's list of alerts.
    pub fn words(self) -> &'static str {
        match self {
            AlertReason::OverCapForDwell => "over the cap for the dwell time",
            AlertReason::StillOverCap => "still over the cap a reminder later",
            AlertReason::UnderCapMinusMarginForClearAfter => {
                "back under the cap by the margin, long enough"
            }
            AlertReason::RisingTowardCap => "heart rate rising toward the cap",
            AlertReason::UnderCapMinusRunMarginForRunAfter => {
                "far enough under the cap, long enough, to run again"
            }
            AlertReason::PlanTimeReached => "the plan's time is up",
            AlertReason::HalfThePlanTime => "half the plan's time",
            AlertReason::SorenessWorseWhenWarm => "soreness worse as you warmed up",
        }
    }
}

/// One alert, with the numbers behind it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Alert {
    /// When it fired (time since session start).
    pub at: Duration,
    /// What it says.
    pub kind: AlertKind,
    /// The reading that fired it.
    pub bpm: u16,
    /// Mean of the trusted readings of the last 10 s: what the decision looked at.
    pub smoothed_bpm: u16,
    /// The cap in bpm (0 for a cue of the plan on a day without a cap).
    pub cap_bpm: u16,
    /// How long this episode over the cap has lasted so far (for `back_under`: its whole length,
    /// up to the first reading back below `cap - margin`; zero for `creep`).
    pub over_for: Duration,
    /// For `creep`: the rise in bpm per minute.
    pub slope_bpm_per_min: Option<f64>,
    /// For `creep`: when the cap will be reached at this rate.
    pub eta: Option<Duration>,
    /// For `time_up` and `halfway`: the plan's time.
    pub plan_time: Option<Duration>,
}

/// How far over the cap a cue finds the runner, which decides its words
/// (docs/zones-and-alerts.md, "Graded cues").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grade {
    /// Up to [`SLIGHT_UP_TO_BPM`] over the highest allowed bpm, and not for long: ease off a
    /// touch.
    Slight,
    /// More than that, or slightly over for [`LONG_OVER`]: slow down.
    Clear,
    /// [`FAR_FROM_BPM`] or more over, or clearly over for [`LONG_OVER`]: walk.
    Far,
}

/// Up to this many bpm over the highest allowed is "slight": a chest strap reads within a
/// few bpm of an ECG, and a steady effort wanders a few bpm (with drift) on its own. A walk
/// for that is crying wolf.
pub const SLIGHT_UP_TO_BPM: u16 = 3;

/// From this many bpm over the highest allowed it is "far": about 5 % of max HR, the step
/// between two of the check-in's caps, i.e. the effort of a day with less soreness.
pub const FAR_FROM_BPM: u16 = 10;

/// Over the cap this long (the episode), a cue is one grade firmer: ease-off cues that did
/// not bring heart rate down in three minutes (three reminders) need a firmer one.
pub const LONG_OVER: Duration = Duration::from_secs(180);

impl Alert {
    /// An alert of `kind` at `at` with these figures, and none of a creep warning's or a
    /// time cue's.
    pub fn cue(
        at: Duration,
        kind: AlertKind,
        (bpm, smoothed_bpm): (u16, u16),
        cap_bpm: u16,
        over_for: Duration,
    ) -> Self {
        Alert {
            at,
            kind,
            bpm,
            smoothed_bpm,
            cap_bpm,
            over_for,
            slope_bpm_per_min: None,
            eta: None,
            plan_time: None,
        }
    }

    /// How far over the cap this cue finds the runner: by the smoothed bpm over the highest
    /// allowed (`cap_bpm - 1`) and, for a reminder, by how long the episode has lasted.
    pub fn grade(&self) -> Grade {
        let over = (self.smoothed_bpm + 1).saturating_sub(self.cap_bpm);
        let by_bpm = if over >= FAR_FROM_BPM {
            Grade::Far
        } else if over > SLIGHT_UP_TO_BPM {
            Grade::Clear
        } else {
            Grade::Slight
        };
        let long = self.kind == AlertKind::Reminder && self.over_for >= LONG_OVER;
        match (by_bpm, long) {
            (Grade::Slight, true) => Grade::Clear,
            (Grade::Clear, true) => Grade::Far,
            (g, _) => g,
        }
    }
}

/// Mean of the readings of the last [`SMOOTHING`], as a whole bpm.
pub const SMOOTHING: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// No alert active. `over_since` is the start of the current unbroken run over the cap.
    Under { over_since: Option<Duration> },
    /// Alert active since an episode that began at `episode_start` (or, after a gap, at the
    /// first reading after it: over-time does not carry across a gap the coach did not see).
    Over {
        episode_start: Duration,
        /// When the runner was last cued; `None` after a gap, until a full dwell over the
        /// cap has been seen again.
        last_cue: Option<Duration>,
        /// Start of the current unbroken run over the cap (for the dwell after a gap).
        over_since: Option<Duration>,
        /// Start of the current unbroken run below `cap - margin`.
        under_since: Option<Duration>,
    },
}

/// The cap alert state machine. Feed it trusted readings with [`CapGuard::observe`] and tell it
/// about untrusted ones or lost links with [`CapGuard::interrupt`].
#[derive(Debug, Clone)]
pub struct CapGuard {
    settings: CapSettings,
    cap_bpm: u16,
    max_gap: Duration,
    state: State,
    /// Time of the last trusted reading, `None` after an interruption.
    last_trusted: Option<Duration>,
    /// Time of the last trusted reading, kept across interruptions: a single rejected reading
    /// breaks a streak, but only a gap in time (a lost link, a strap away) hides the runner.
    last_seen: Option<Duration>,
    /// Trusted readings of the last [`SMOOTHING`].
    recent: std::collections::VecDeque<(Duration, u16)>,
}

impl CapGuard {
    /// A guard with the cap at `cap_bpm`, breaking streaks on gaps longer than `max_gap`.
    pub fn new(settings: CapSettings, cap_bpm: u16, max_gap: Duration) -> Self {
        CapGuard {
            settings,
            cap_bpm,
            max_gap,
            state: State::Under { over_since: None },
            last_trusted: None,
            last_seen: None,
            recent: std::collections::VecDeque::new(),
        }
    }

    /// Mean of the trusted readings of the last [`SMOOTHING`] (the latest alone if none).
    pub fn smoothed(&self) -> Option<u16> {
        let n = self.recent.len();
        (n > 0).then(|| {
            let sum: u32 = self.recent.iter().map(|r| u32::from(r.1)).sum();
            ((f64::from(sum) / n as f64).round()) as u16
        })
    }

    /// The cap in bpm: a reading at or above it is over the cap.
    pub fn cap_bpm(&self) -> u16 {
        self.cap_bpm
    }

    /// A cap now `cap_bpm` (a warm-up check answered "same" tightens it).
    pub fn set_cap(&mut self, cap_bpm: u16) {
        self.cap_bpm = cap_bpm;
    }

    /// Whether an over-cap alert is active (fired and not yet cleared).
    pub fn is_alerting(&self) -> bool {
        matches!(self.state, State::Over { .. })
    }

    /// An untrusted reading or a lost link: the current streak, over or under, is broken.
    pub fn interrupt(&mut self) {
        self.last_trusted = None;
    }

    /// The link was lost: a streak is broken, and an episode over the cap is no longer seen
    /// (see [`CapGuard::observe`]: the next cue needs a full dwell again).
    pub fn link_lost(&mut self) {
        self.last_trusted = None;
        self.last_seen = None;
    }

    /// Takes one trusted reading and returns the alert it fires, if any.
    pub fn observe(&mut self, at: Duration, bpm: u16) -> Option<Alert> {
        let unbroken = self
            .last_trusted
            .is_some_and(|t| at.saturating_sub(t) <= self.max_gap);
        let unseen = self
            .last_seen
            .is_none_or(|t| at.saturating_sub(t) > self.max_gap);
        self.last_trusted = Some(at);
        self.last_seen = Some(at);
        if !unbroken {
            self.recent.clear();
        }
        self.recent.push_back((at, bpm));
        while self
            .recent
            .front()
            .is_some_and(|r| at.saturating_sub(r.0) >= SMOOTHING)
        {
            self.recent.pop_front();
        }
        let smoothed_bpm = self.smoothed().unwrap_or(bpm);
        let over = bpm >= self.cap_bpm;
        let well_under = bpm < self.cap_bpm.saturating_sub(self.settings.margin_bpm);
        let cap_bpm = self.cap_bpm;
        let alert =
            |kind, over_for| Some(Alert::cue(at, kind, (bpm, smoothed_bpm), cap_bpm, over_for));

        let dwell = self.settings.dwell;
        match &mut self.state {
            State::Under { over_since } => {
                if !unbroken || !over {
                    *over_since = None;
                }
                if !over {
                    return None;
                }
                let start = *over_since.get_or_insert(at);
                let over_for = at.saturating_sub(start);
                if over_for >= dwell {
                    self.state = State::Over {
                        episode_start: start,
                        last_cue: Some(at),
                        over_since: Some(start),
                        under_since: None,
                    };
                    return alert(AlertKind::OverCap, over_for);
                }
                None
            }
            State::Over {
                episode_start,
                last_cue,
                over_since,
                under_since,
            } => {
                if unseen {
                    // The coach did not see the gap: what happened in it is not counted, and
                    // the next cue needs a full dwell over the cap again, like the first.
                    *episode_start = at;
                    *last_cue = None;
                    *over_since = None;
                    *under_since = None;
                }
                if !unbroken || !well_under {
                    *under_since = None;
                }
                if !unbroken || !over {
                    *over_since = None;
                }
                if well_under {
                    let since = *under_since.get_or_insert(at);
                    if at.saturating_sub(since) >= self.settings.clear_after {
                        let over_for = since.saturating_sub(*episode_start);
                        self.state = State::Under { over_since: None };
                        return alert(AlertKind::BackUnder, over_for);
                    }
                    return None;
                }
                if !over {
                    return None;
                }
                let streak = at.saturating_sub(*over_since.get_or_insert(at));
                let over_for = at.saturating_sub(*episode_start);
                match *last_cue {
                    None if streak >= dwell => {
                        *last_cue = Some(at);
                        alert(AlertKind::OverCap, over_for)
                    }
                    Some(cue) if at.saturating_sub(cue) >= self.settings.remind_every => {
                        *last_cue = Some(at);
                        alert(AlertKind::Reminder, over_for)
                    }
                    _ => None,
                }
            }
        }
    }

    /// An alert of this episode was given to the runner at `at`, later than the guard raised
    /// it (the per-minute ceiling held it back): the next reminder counts from then.
    pub fn cued(&mut self, at: Duration) {
        if let State::Over { last_cue, .. } = &mut self.state {
            *last_cue = Some(at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard() -> CapGuard {
        // Max HR 185: the cap at 70 % is 130 bpm.
        let cap = crate::coach::zones::ZoneModel::percent_of_max(185).bpm_at(Percent::whole(70));
        CapGuard::new(CapSettings::default(), cap, Duration::from_secs(5))
    }

    /// Feeds one reading a second from `start_s` and returns the alerts with their times.
    fn feed(g: &mut CapGuard, start_s: u64, bpms: &[u16]) -> Vec<(u64, AlertKind)> {
        bpms.iter()
            .enumerate()
            .filter_map(|(i, &bpm)| {
                let t = start_s + i as u64;
                g.observe(Duration::from_secs(t), bpm).map(|a| (t, a.kind))
            })
            .collect()
    }

    #[test]
    fn cues_are_graded_by_how_far_over_and_how_long() {
        let cue = |kind, smoothed_bpm, over_s| Alert {
            at: Duration::ZERO,
            kind,
            bpm: smoothed_bpm,
            smoothed_bpm,
            cap_bpm: 130,
            over_for: Duration::from_secs(over_s),
            slope_bpm_per_min: None,
            eta: None,
            plan_time: None,
        };
        // Highest allowed 129: 130-132 is 1-3 over, slight.
        assert_eq!(cue(AlertKind::OverCap, 130, 20).grade(), Grade::Slight);
        assert_eq!(cue(AlertKind::Reminder, 132, 80).grade(), Grade::Slight);
        assert_eq!(cue(AlertKind::OverCap, 133, 20).grade(), Grade::Clear);
        assert_eq!(cue(AlertKind::OverCap, 138, 20).grade(), Grade::Clear);
        assert_eq!(cue(AlertKind::OverCap, 160, 20).grade(), Grade::Far);
        // Long over: one grade firmer, for a reminder only.
        assert_eq!(cue(AlertKind::Reminder, 131, 180).grade(), Grade::Clear);
        assert_eq!(cue(AlertKind::Reminder, 135, 200).grade(), Grade::Far);
        assert_eq!(cue(AlertKind::OverCap, 131, 400).grade(), Grade::Slight);
    }

    #[test]
    fn cap_is_seventy_percent_rounded_half_up() {
        assert_eq!(guard().cap_bpm(), 130);
    }

    #[test]
    fn alerts_after_the_dwell_time_not_before() {
        let mut g = guard();
        // 20 s over the cap means readings at t = 0..=20: the alert fires at t = 20.
        let alerts = feed(&mut g, 0, &[135; 21]);
        assert_eq!(alerts, vec![(20, AlertKind::OverCap)]);
        let mut g = guard();
        assert!(feed(&mut g, 0, &[135; 20]).is_empty());
    }

    #[test]
    fn a_reading_equal_to_the_cap_counts_as_over() {
        let mut g = guard();
        assert_eq!(feed(&mut g, 0, &[130; 21]), vec![(20, AlertKind::OverCap)]);
        let mut g = guard();
        assert!(feed(&mut g, 0, &[129; 100]).is_empty());
    }

    #[test]
    fn single_beat_spikes_never_alert() {
        let mut g = guard();
        let mut run = vec![120u16; 300];
        for i in (10..300).step_by(15) {
            run[i] = 210;
        }
        assert!(feed(&mut g, 0, &run).is_empty());
    }

    #[test]
    fn a_dip_under_the_cap_restarts_the_dwell() {
        let mut g = guard();
        let mut run = vec![135u16; 40];
        run[15] = 125;
        // Streak restarts at t = 16, so the alert comes at t = 36.
        assert_eq!(feed(&mut g, 0, &run), vec![(36, AlertKind::OverCap)]);
    }

    #[test]
    fn a_gap_or_an_interruption_restarts_the_dwell() {
        let mut g = guard();
        feed(&mut g, 0, &[135; 15]);
        // 10 s without readings (longer than the 5 s max gap), then 15 more over the cap.
        assert!(feed(&mut g, 25, &[135; 15]).is_empty());
        let mut g = guard();
        feed(&mut g, 0, &[135; 15]);
        g.interrupt();
        assert!(feed(&mut g, 15, &[135; 15]).is_empty());
    }

    #[test]
    fn over_time_does_not_carry_across_a_gap() {
        let mut g = guard();
        assert_eq!(feed(&mut g, 0, &[140; 50]), vec![(20, AlertKind::OverCap)]);
        // The link is lost for 40 s; the first reading after it is over the cap, and so is
        // everything after: no firm reminder at once, but a full dwell and the gentle cue.
        g.interrupt();
        let alerts = feed(&mut g, 90, &[140; 90]);
        assert_eq!(
            alerts,
            vec![(110, AlertKind::OverCap), (170, AlertKind::Reminder)]
        );
    }

    #[test]
    fn a_single_rejected_reading_does_not_restart_an_episode() {
        let mut g = guard();
        feed(&mut g, 0, &[140; 30]);
        g.interrupt();
        // The reminder keeps its minute; no second gentle cue.
        assert_eq!(
            feed(&mut g, 31, &[140; 60]),
            vec![(80, AlertKind::Reminder)]
        );
        // A lost link, however short, does restart it.
        g.link_lost();
        assert_eq!(
            feed(&mut g, 92, &[140; 21]),
            vec![(112, AlertKind::OverCap)]
        );
    }

    #[test]
    fn time_going_backwards_never_panics() {
        // Sources keep time monotonic, but the core must not trust them to: a reading stamped
        // before the streak it continues is a zero-length step, not an underflow.
        let mut g = guard();
        feed(&mut g, 10, &[135; 6]);
        assert_eq!(g.observe(Duration::from_secs(5), 135), None);
        feed(&mut g, 100, &[140; 30]);
        assert!(g.is_alerting());
        assert_eq!(g.observe(Duration::from_secs(90), 120), None);
        assert_eq!(g.observe(Duration::from_secs(80), 140), None);
    }

    #[test]
    fn back_under_after_a_gap_still_clears() {
        let mut g = guard();
        feed(&mut g, 0, &[140; 30]);
        g.interrupt();
        assert_eq!(
            feed(&mut g, 60, &[120; 11]),
            vec![(70, AlertKind::BackUnder)]
        );
    }

    #[test]
    fn reminds_at_the_interval_while_still_over() {
        let mut g = guard();
        let alerts = feed(&mut g, 0, &[136; 150]);
        assert_eq!(
            alerts,
            vec![
                (20, AlertKind::OverCap),
                (80, AlertKind::Reminder),
                (140, AlertKind::Reminder)
            ]
        );
    }

    #[test]
    fn clears_only_below_the_margin_for_clear_after() {
        let mut g = guard();
        feed(&mut g, 0, &[136; 21]);
        // 128 and 127 are under the cap but within the 3 bpm margin: no clear, no reminder.
        assert!(
            feed(
                &mut g,
                21,
                &[128, 127, 128, 127, 128, 127, 128, 127, 128, 127, 128]
            )
            .is_empty()
        );
        assert!(g.is_alerting());
        // 126 is below 130 - 3: clears after 10 s of it, at the 11th reading.
        let alerts = feed(&mut g, 32, &[126; 11]);
        assert_eq!(alerts, vec![(42, AlertKind::BackUnder)]);
        assert!(!g.is_alerting());
    }

    #[test]
    fn hysteresis_does_not_realert_on_hovering_around_the_cap() {
        let mut g = guard();
        let mut run = vec![136u16; 21];
        // Hover 129-131 for five minutes: one alert, then reminders only while over.
        run.extend((0..300).map(|i| if i % 2 == 0 { 131 } else { 129 }));
        let alerts = feed(&mut g, 0, &run);
        assert_eq!(alerts[0], (20, AlertKind::OverCap));
        assert!(alerts[1..].iter().all(|(_, k)| *k == AlertKind::Reminder));
        assert!(alerts.len() <= 1 + 300 / 60);
    }

    #[test]
    fn back_under_reports_the_episode_length() {
        let mut g = guard();
        for t in 0..=100 {
            g.observe(Duration::from_secs(t), 140);
        }
        let mut last = None;
        for t in 101..=111 {
            last = g.observe(Duration::from_secs(t), 120).or(last);
        }
        assert_eq!(
            last.map(|a| (a.kind, a.over_for)),
            Some((AlertKind::BackUnder, Duration::from_secs(101)))
        );
    }

    #[test]
    fn alerts_again_after_clearing_and_a_new_dwell() {
        let mut g = guard();
        let mut run = vec![136u16; 21];
        run.extend([120u16; 11]);
        run.extend([136u16; 21]);
        let kinds: Vec<_> = feed(&mut g, 0, &run).into_iter().map(|(_, k)| k).collect();
        assert_eq!(
            kinds,
            vec![AlertKind::OverCap, AlertKind::BackUnder, AlertKind::OverCap]
        );
    }
}
