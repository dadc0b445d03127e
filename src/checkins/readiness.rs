//! Readiness beyond the runner's answers: morning HRV against the runner's own range, and the
//! weekly running load. Pure: figures in, a reading out; [`super::rules::decide_with`] turns
//! them into a tighter plan. Numbers, reasons and sources: docs/check-in.md.

/// A rise in weekly running time above this share over the two weeks before is a jump in
/// load (Nielsen et al. 2014: novice runners who increased their weekly volume by more than
/// 30 % over two weeks had more distance-related injuries than those who increased it less).
pub const LOAD_JUMP: f64 = 0.30;

/// A rise must also add at least this many minutes to be a jump: 10 → 14 minutes is +40 %,
/// but four minutes of jogging is no load.
pub const MIN_JUMP_MIN: f64 = 20.0;

/// With no running at all in the two weeks before, a week of more than this many minutes is a
/// jump: a first big week, or a return from a break. A gentle start (three 20-minute
/// run/walks) is not.
pub const FIRST_WEEK_MIN: f64 = 60.0;

/// One recorded session, for the weekly load.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Session {
    /// Days before the planned day (0: that day).
    pub days_ago: u32,
    /// Moving minutes: not pauses, not gaps in the recording.
    pub minutes: f64,
    /// Running (counts as load), or another sport (cross-training, shown on its own line).
    pub running: bool,
}

/// Running time this week and the two weeks before, in minutes. "This week" is the seven days
/// before the day being planned (days 1-7 before it: a morning check-in comes before that
/// day's run, which must not count), then days 8-14 and 15-21.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Load {
    /// Minutes run in the last seven days.
    pub this_week: f64,
    /// Minutes run in the week before that, and in the one before that.
    pub before: [f64; 2],
    /// Minutes of other sports (cycling, swimming...) in the last seven days: shown, not
    /// counted as running load.
    pub cross_training: f64,
}

/// What kind of jump a week is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Jump {
    /// More than [`LOAD_JUMP`] above the two weeks before (the share, 0.45: 45 % more).
    Rise(f64),
    /// More than [`FIRST_WEEK_MIN`] after two weeks without running.
    FromBreak,
}

impl Jump {
    /// The name used in JSON: `rise`, `from-break`.
    pub fn as_str(self) -> &'static str {
        match self {
            Jump::Rise(_) => "rise",
            Jump::FromBreak => "from-break",
        }
    }
}

impl Load {
    /// Sums sessions by week; other sports go to [`Load::cross_training`].
    pub fn from_sessions(sessions: &[Session]) -> Self {
        let mut load = Load::default();
        for s in sessions {
            let week = match s.days_ago {
                1..=7 => 0,
                8..=14 => 1,
                15..=21 => 2,
                _ => continue,
            };
            match (s.running, week) {
                (true, 0) => load.this_week += s.minutes,
                (true, w) => load.before[w - 1] += s.minutes,
                (false, 0) => load.cross_training += s.minutes,
                (false, _) => {}
            }
        }
        load
    }

    /// The mean of the two weeks before.
    pub fn before_mean(&self) -> f64 {
        (self.before[0] + self.before[1]) / 2.0
    }

    /// This week against the mean of the two before (0.45: 45 % more); `None` when neither of
    /// those weeks had any running (then see [`Jump::FromBreak`]).
    pub fn rise(&self) -> Option<f64> {
        (self.before_mean() > 0.0).then(|| self.this_week / self.before_mean() - 1.0)
    }

    /// Whether this week is a jump, and which kind.
    pub fn jump(&self) -> Option<Jump> {
        match self.rise() {
            Some(r) => (r > LOAD_JUMP && self.this_week - self.before_mean() >= MIN_JUMP_MIN)
                .then_some(Jump::Rise(r)),
            None => (self.this_week > FIRST_WEEK_MIN).then_some(Jump::FromBreak),
        }
    }
}

/// How long a recording's notifications cover, without pauses and without gaps longer than
/// `max_gap` (a paused watch timer, a lost link): the time between successive notifications,
/// counted only when they are at most `max_gap` apart and the timer runs. `times` are the
/// notifications' times in order, each with whether the timer was paused at it.
pub fn moving_time(
    times: impl IntoIterator<Item = (std::time::Duration, bool)>,
    max_gap: std::time::Duration,
) -> std::time::Duration {
    let mut total = std::time::Duration::ZERO;
    let mut last: Option<std::time::Duration> = None;
    for (at, paused) in times {
        if paused {
            last = None;
            continue;
        }
        if let Some(l) = last {
            let gap = at.saturating_sub(l);
            if gap <= max_gap {
                total += gap;
            }
        }
        last = Some(at);
    }
    total
}

/// The longest gap between two readings that still counts as moving for the weekly load: a
/// strap dropping out for a few seconds or a watch recording every few seconds is still a
/// run; a minute and more without a reading is a stop (a paused timer, a break, the end).
pub const LOAD_MAX_GAP: std::time::Duration = std::time::Duration::from_secs(60);

/// Under this share of max HR for most of a recording (its median), it is a resting reading
/// (lying still for morning HRV, say), not a run: an easy run is 60-70 % of max HR, and even
/// a walk is seldom under half of it.
pub const RESTING_SHARE_OF_MAX: f64 = 0.5;

/// Without a known max HR: a median under this many bpm is a resting reading.
pub const RESTING_BPM: u16 = 90;

/// Whether a recording whose readings have median `median_bpm` is a resting reading rather
/// than exercise (see [`RESTING_SHARE_OF_MAX`]).
pub fn is_resting(median_bpm: u16, max_hr: Option<u16>) -> bool {
    let limit = max_hr.map_or(f64::from(RESTING_BPM), |m| {
        f64::from(m) * RESTING_SHARE_OF_MAX
    });
    f64::from(median_bpm) < limit
}

/// Mornings of HRV needed in the last 7 days before HRV may change a verdict.
pub const MIN_RECENT: usize = 3;

/// Mornings of HRV needed in the baseline window ([`BASELINE_DAYS`]) before HRV may change a
/// verdict.
pub const MIN_BASELINE: usize = 10;

/// The days whose mornings make the usual range: the 60 days before the 7-day window (days
/// 7-66 before the planned day), as HRV4Training does. Kept apart from the week it judges, so
/// that a slow decline stays "low" instead of dragging its own range down with it.
pub const BASELINE_DAYS: std::ops::RangeInclusive<u32> = 7..=66;

/// One morning's HRV, `days_ago` days before the day being planned (0: that morning).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Morning {
    /// Days before the day being planned.
    pub days_ago: u32,
    /// ln RMSSD (RMSSD in ms).
    pub ln_rmssd: f64,
    /// Resting heart rate, bpm.
    pub resting_hr: u16,
}

/// Today's single reading, when it is far from the usual.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Far {
    /// Far below: tightens the plan (illness, poor sleep, alcohol, stress, hard training).
    Below,
    /// Far above: said, never loosens the plan.
    Above,
}

/// How far from the baseline's mean today's ln RMSSD must be to be named on its own: two
/// standard deviations of the baseline, and never less than this (ln 0.3: about a quarter
/// lower or a third higher in ms), so that a very steady baseline does not flag a normal
/// morning.
pub const FAR_LN: f64 = 0.3;

/// The figures of a baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Baseline {
    /// Mean ln RMSSD of the last 7 days.
    pub mean7: f64,
    /// The usual range: the baseline window's mean ± half its standard deviation (the
    /// smallest worthwhile change).
    pub low: f64,
    /// See `low`.
    pub high: f64,
    /// Mornings in the last 7 days, and in the baseline window.
    pub mornings: (usize, usize),
    /// Today's ln RMSSD, when taken.
    pub today: Option<f64>,
    /// Whether today's reading is far from the usual, on its own.
    pub today_far: Option<Far>,
}

/// What the mornings say.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Hrv {
    /// No HRV taken.
    None,
    /// Not enough mornings yet: how many there are in the last 7 days and in the baseline
    /// window.
    TooFew {
        /// In the last 7 days.
        recent: usize,
        /// In the baseline window.
        baseline: usize,
    },
    /// Within the usual range.
    Usual(Baseline),
    /// The 7-day ln RMSSD is below the usual range.
    Low(Baseline),
    /// The 7-day ln RMSSD is above the usual range: often good recovery, but with fatigue it
    /// can mean heavy fatigue (Plews et al. 2012). Never loosens a plan.
    High(Baseline),
    /// HRV usual, but today's resting HR is clearly above its own usual level.
    RestingHigh {
        /// Today's resting HR.
        bpm: u16,
        /// Its baseline mean.
        usual: u16,
    },
}

impl Hrv {
    /// Whether it tightens the plan: a low week, a raised resting HR, or today far below.
    pub fn tightens(&self) -> bool {
        match self {
            Hrv::Low(_) | Hrv::RestingHigh { .. } => true,
            Hrv::Usual(b) | Hrv::High(b) => b.today_far == Some(Far::Below),
            Hrv::None | Hrv::TooFew { .. } => false,
        }
    }

    /// The name used in JSON: `none`, `too-few-mornings`, `usual`, `low`, `high`,
    /// `resting-hr-high`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Hrv::None => "none",
            Hrv::TooFew { .. } => "too-few-mornings",
            Hrv::Usual(_) => "usual",
            Hrv::Low(_) => "low",
            Hrv::High(_) => "high",
            Hrv::RestingHigh { .. } => "resting-hr-high",
        }
    }
}

/// How far above its baseline mean a resting HR is "clearly above" it: one standard deviation,
/// and never less than this many bpm (a day-to-day wobble of 2-3 bpm is normal).
pub const RESTING_HR_RISE: f64 = 5.0;

/// Reads the mornings (Plews et al. 2012, 2013: the 7-day rolling mean of ln RMSSD against
/// the usual range, mean ± 0.5 SD; the range from the [`BASELINE_DAYS`] before the week).
pub fn baseline(mornings: &[Morning]) -> Hrv {
    let window: Vec<&Morning> = (mornings.iter())
        .filter(|m| BASELINE_DAYS.contains(&m.days_ago))
        .collect();
    let last7: Vec<&Morning> = mornings.iter().filter(|m| m.days_ago < 7).collect();
    if last7.len() < MIN_RECENT || window.len() < MIN_BASELINE {
        return Hrv::TooFew {
            recent: last7.len(),
            baseline: window.len(),
        };
    }
    let (mean, sd) = mean_sd(window.iter().map(|m| m.ln_rmssd));
    let (mean7, _) = mean_sd(last7.iter().map(|m| m.ln_rmssd));
    let today = last7.iter().find(|m| m.days_ago == 0);
    let far = (2.0 * sd).max(FAR_LN);
    let today_ln = today.map(|m| m.ln_rmssd);
    let figures = Baseline {
        mean7,
        low: mean - 0.5 * sd,
        high: mean + 0.5 * sd,
        mornings: (last7.len(), window.len()),
        today: today_ln,
        today_far: today_ln.and_then(|t| {
            if t < mean - far {
                Some(Far::Below)
            } else if t > mean + far {
                Some(Far::Above)
            } else {
                None
            }
        }),
    };
    if mean7 < figures.low - 1e-9 {
        return Hrv::Low(figures);
    }
    let (rhr_mean, rhr_sd) = mean_sd(window.iter().map(|m| f64::from(m.resting_hr)));
    if let Some(today) = today
        && f64::from(today.resting_hr) > rhr_mean + rhr_sd.max(RESTING_HR_RISE)
    {
        return Hrv::RestingHigh {
            bpm: today.resting_hr,
            usual: rhr_mean.round() as u16,
        };
    }
    if mean7 > figures.high + 1e-9 {
        return Hrv::High(figures);
    }
    Hrv::Usual(figures)
}

/// Mean and (population) standard deviation.
fn mean_sd(values: impl Iterator<Item = f64> + Clone) -> (f64, f64) {
    let n = values.clone().count().max(1) as f64;
    let mean = values.clone().sum::<f64>() / n;
    let var = values.map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    (mean, var.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn weeks(this_week: f64, before: [f64; 2]) -> Load {
        Load {
            this_week,
            before,
            cross_training: 0.0,
        }
    }

    #[test]
    fn the_riskiest_jumps_are_flagged_and_a_gentle_start_is_not() {
        // Oldest week first in the words: 0 → 120 → 240 and 0 → 0 → 300.
        let back = weeks(240.0, [120.0, 0.0]);
        assert_eq!(back.rise(), Some(3.0));
        assert_eq!(back.jump(), Some(Jump::Rise(3.0)));
        assert_eq!(weeks(300.0, [0.0, 0.0]).jump(), Some(Jump::FromBreak));
        assert_eq!(weeks(30.0, [0.0, 0.0]).jump(), None, "a gentle start");
        assert_eq!(weeks(60.0, [0.0, 0.0]).jump(), None);
        assert_eq!(
            weeks(14.0, [10.0, 10.0]).jump(),
            None,
            "+40 % of nothing much"
        );
        assert_eq!(weeks(150.0, [120.0, 120.0]).jump(), None, "+25 %");
        assert!(weeks(180.0, [120.0, 120.0]).jump().is_some(), "+50 %");
    }

    #[test]
    fn other_sports_are_cross_training_not_load() {
        let s = |days_ago, minutes, running| Session {
            days_ago,
            minutes,
            running,
        };
        let load = Load::from_sessions(&[
            s(2, 40.0, true),
            s(3, 86.0, false),
            s(9, 40.0, true),
            s(16, 40.0, true),
        ]);
        assert_eq!(load.this_week, 40.0);
        assert_eq!(load.cross_training, 86.0);
        assert_eq!(load.jump(), None);
    }

    #[test]
    fn moving_time_leaves_out_pauses_and_gaps() {
        let secs = Duration::from_secs;
        // 40 min at 1 Hz, a 2-hour stop in the middle (paused, then a gap on resume).
        let mut times: Vec<(Duration, bool)> = (0..=1200).map(|s| (secs(s), false)).collect();
        times.push((secs(1300), true));
        times.extend((0..=1200).map(|s| (secs(1200 + 7200 + s), false)));
        let t = moving_time(times, secs(30));
        assert_eq!(t, secs(2400));
        // Without the pause marks, the gap alone is left out.
        let times = (0..=1200).chain(8400..=9600).map(|s| (secs(s), false));
        assert_eq!(moving_time(times, secs(30)), secs(2400));
    }

    #[test]
    fn a_resting_reading_is_not_a_run() {
        assert!(is_resting(58, Some(185)));
        assert!(!is_resting(135, Some(185)));
        assert!(!is_resting(100, Some(185)), "a walk");
        assert!(is_resting(70, None));
        assert!(!is_resting(120, None));
    }

    /// Mornings `from..from+n` days ago at RMSSD `ms` (± a small wobble).
    fn mornings(from: u32, n: u32, ms: f64) -> Vec<Morning> {
        (0..n)
            .map(|i| Morning {
                days_ago: from + i,
                ln_rmssd: ms.ln() + if i % 2 == 0 { 0.04 } else { -0.04 },
                resting_hr: 50,
            })
            .collect()
    }

    #[test]
    fn high_mornings_are_named_and_never_loosen() {
        let mut m = mornings(7, 60, 60.0);
        m.extend(mornings(0, 5, 120.0));
        let hrv = baseline(&m);
        assert!(matches!(hrv, Hrv::High(_)), "{hrv:?}");
        assert!(!hrv.tightens());
    }

    #[test]
    fn a_slow_decline_stays_low() {
        // 60 ms for two months, then 40 ms for 25 days: the range is from before the week,
        // so the week at 40 stays below it while the decline goes on.
        let mut m = mornings(25, 60, 60.0);
        m.extend(mornings(0, 25, 40.0));
        let hrv = baseline(&m);
        assert!(matches!(hrv, Hrv::Low(_)), "{hrv:?}");
    }

    #[test]
    fn one_bad_morning_is_named() -> Result<(), String> {
        let mut m = mornings(1, 60, 60.0);
        m.push(Morning {
            days_ago: 0,
            ln_rmssd: 25f64.ln(),
            resting_hr: 50,
        });
        let hrv = baseline(&m);
        // Whether the week's mean is dragged below the range depends on the wobble; today's
        // reading is named either way.
        let (Hrv::Usual(b) | Hrv::Low(b)) = hrv else {
            return Err(format!("neither usual nor low: {hrv:?}"));
        };
        assert_eq!(b.today_far, Some(Far::Below));
        assert!(hrv.tightens());
        // An ordinary morning is not named.
        let m = mornings(0, 60, 60.0);
        assert!(matches!(baseline(&m), Hrv::Usual(b) if b.today_far.is_none()));
        Ok(())
    }
}
