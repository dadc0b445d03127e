//! Readiness beyond the runner's answers: morning HRV against the runner's own range, and the
//! weekly running load. Pure: figures in, a reading out; [`super::checkin::decide_with`] turns
//! them into a tighter plan. Numbers, reasons and sources: docs/check-in.md.

/// A rise in weekly running time above this share over the two weeks before is a jump in
/// load (Nielsen et al. 2014: runners who increased their weekly volume by more than 30 % over
/// two weeks had more distance-related injuries than those who increased it less).
pub const LOAD_JUMP: f64 = 0.30;

/// Running time this week and the two weeks before, in minutes. "This week" is the seven days
/// before the day being planned (days 1-7 before it: a morning check-in comes before that
/// day's run, which must not count), then days 8-14 and 15-21.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Load {
    /// Minutes run in the last seven days.
    pub this_week: f64,
    /// Minutes run in the week before that, and in the one before that.
    pub before: [f64; 2],
}

impl Load {
    /// Sums sessions given as (days before the planned day, minutes).
    pub fn from_sessions(sessions: &[(u32, f64)]) -> Self {
        let mut load = Load::default();
        for &(days_ago, minutes) in sessions {
            match days_ago {
                1..=7 => load.this_week += minutes,
                8..=14 => load.before[0] += minutes,
                15..=21 => load.before[1] += minutes,
                _ => {}
            }
        }
        load
    }

    /// The mean of the two weeks before.
    pub fn before_mean(&self) -> f64 {
        (self.before[0] + self.before[1]) / 2.0
    }

    /// This week against the mean of the two before (0.45: 45 % more); `None` without running
    /// in both of those weeks to compare with.
    pub fn rise(&self) -> Option<f64> {
        (self.before[0] > 0.0 && self.before[1] > 0.0)
            .then(|| self.this_week / self.before_mean() - 1.0)
    }

    /// Whether the rise is a jump ([`LOAD_JUMP`]).
    pub fn jump(&self) -> bool {
        self.rise().is_some_and(|r| r > LOAD_JUMP)
    }
}

/// Mornings of HRV needed in the last 7 days before HRV may change a verdict.
pub const MIN_RECENT: usize = 3;

/// Mornings of HRV needed in the last 30 days (the baseline) before HRV may change a verdict.
pub const MIN_BASELINE: usize = 10;

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

/// The figures of a baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Baseline {
    /// Mean ln RMSSD of the last 7 days.
    pub mean7: f64,
    /// The usual range: the 30-day mean ± half its standard deviation (the smallest
    /// worthwhile change).
    pub low: f64,
    /// See `low`.
    pub high: f64,
    /// Mornings in the last 7 days, and in the last 30.
    pub mornings: (usize, usize),
}

/// What the mornings say.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Hrv {
    /// No HRV taken.
    None,
    /// Not enough mornings yet: how many there are in the last 7 and 30 days.
    TooFew {
        /// In the last 7 days.
        recent: usize,
        /// In the last 30 days.
        baseline: usize,
    },
    /// Within the usual range.
    Usual(Baseline),
    /// The 7-day ln RMSSD is below the usual range.
    Low(Baseline),
    /// HRV usual, but today's resting HR is clearly above its own usual level.
    RestingHigh {
        /// Today's resting HR.
        bpm: u16,
        /// Its 30-day mean.
        usual: u16,
    },
}

impl Hrv {
    /// Whether it tightens the plan.
    pub fn tightens(&self) -> bool {
        matches!(self, Hrv::Low(_) | Hrv::RestingHigh { .. })
    }
}

/// How far above its 30-day mean a resting HR is "clearly above" it: one standard deviation,
/// and never less than this many bpm (a day-to-day wobble of 2-3 bpm is normal).
pub const RESTING_HR_RISE: f64 = 5.0;

/// Reads the last 30 days of mornings (Plews et al. 2012, 2013; the 7-day rolling mean of ln
/// RMSSD against the 30-day mean ± 0.5 SD). Mornings older than 29 days are ignored.
pub fn baseline(mornings: &[Morning]) -> Hrv {
    let last30: Vec<&Morning> = mornings.iter().filter(|m| m.days_ago < 30).collect();
    let last7: Vec<&Morning> = last30.iter().copied().filter(|m| m.days_ago < 7).collect();
    if last7.len() < MIN_RECENT || last30.len() < MIN_BASELINE {
        return Hrv::TooFew {
            recent: last7.len(),
            baseline: last30.len(),
        };
    }
    let (mean30, sd30) = mean_sd(last30.iter().map(|m| m.ln_rmssd));
    let (mean7, _) = mean_sd(last7.iter().map(|m| m.ln_rmssd));
    let figures = Baseline {
        mean7,
        low: mean30 - 0.5 * sd30,
        high: mean30 + 0.5 * sd30,
        mornings: (last7.len(), last30.len()),
    };
    if mean7 < figures.low {
        return Hrv::Low(figures);
    }
    let (rhr_mean, rhr_sd) = mean_sd(last30.iter().map(|m| f64::from(m.resting_hr)));
    if let Some(today) = last30.iter().find(|m| m.days_ago == 0)
        && f64::from(today.resting_hr) > rhr_mean + rhr_sd.max(RESTING_HR_RISE)
    {
        return Hrv::RestingHigh {
            bpm: today.resting_hr,
            usual: rhr_mean.round() as u16,
        };
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
