//! Knowing the runner's numbers: max HR from formulas or recorded efforts, resting HR and
//! RMSSD, and lactate-threshold HR. Pure functions over plain series of trusted readings.
//!
//! The estimators take readings that the coach already trusted (skin contact, 25-240 bpm:
//! [`crate::coach::quality`]) and add the rules a max-HR estimate needs on top, because one bad
//! reading would otherwise *raise* the max and with it every zone and the sore-day cap.

use std::time::Duration;

use crate::coach::quality::RateGate;

/// One age formula for max HR.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Formula {
    /// Short name used on the command line and in the profile: `tanaka`, `fox`, ...
    pub name: &'static str,
    /// The formula as people write it.
    pub expression: &'static str,
    /// Where it comes from.
    pub source: &'static str,
    /// Typical error in bpm (about one standard deviation of the individual error).
    pub typical_error: u16,
    /// Only meant for women.
    pub women_only: bool,
    intercept: f64,
    slope: f64,
}

impl Formula {
    /// The predicted max HR at `age`, rounded to a whole bpm.
    pub fn predict(&self, age: u16) -> u16 {
        (self.intercept - self.slope * f64::from(age)).round() as u16
    }
}

/// The age formulas hrcoach knows, Tanaka (the default) first.
///
/// Typical errors: Nes et al. give their SEE (10.8 bpm); for Tanaka, Gellish and Gulati it is
/// the spread of individuals around the regression line reported with them or in reviews,
/// and for Fox the ±11-12 bpm that Robergs & Landwehr (2002) found for it. Whatever the
/// formula, about one runner in three is further off than this.
pub const FORMULAS: [Formula; 5] = [
    Formula {
        name: "tanaka",
        expression: "208 - 0.7 x age",
        source: "Tanaka, Monahan & Seals 2001 (meta-analysis, 18,712 people)",
        typical_error: 10,
        women_only: false,
        intercept: 208.0,
        slope: 0.7,
    },
    Formula {
        name: "fox",
        expression: "220 - age",
        source: "Fox, Naughton & Haskell 1971 (the classic; no study behind it)",
        typical_error: 11,
        women_only: false,
        intercept: 220.0,
        slope: 1.0,
    },
    Formula {
        name: "gellish",
        expression: "207 - 0.7 x age",
        source: "Gellish et al. 2007 (longitudinal, 132 people)",
        typical_error: 7,
        women_only: false,
        intercept: 207.0,
        slope: 0.7,
    },
    Formula {
        name: "nes",
        expression: "211 - 0.64 x age",
        source: "Nes et al. 2013 (HUNT study, 3,320 people; SEE 10.8 bpm)",
        typical_error: 11,
        women_only: false,
        intercept: 211.0,
        slope: 0.64,
    },
    Formula {
        name: "gulati",
        expression: "206 - 0.88 x age",
        source: "Gulati et al. 2010 (women, 5,437 people)",
        typical_error: 11,
        women_only: true,
        intercept: 206.0,
        slope: 0.88,
    },
];

/// The formula hrcoach uses when none is named: Tanaka's, the best supported for adults.
pub const DEFAULT_FORMULA: &Formula = &FORMULAS[0];

/// The formula called `name`, if there is one.
pub fn formula(name: &str) -> Option<&'static Formula> {
    FORMULAS.iter().find(|f| f.name == name)
}

/// A heart-rate reading the coach trusted, at its time since the session started.
pub type BpmAt = (Duration, u16);

/// Settings of the max-HR estimator. The defaults are documented in docs/zones-and-alerts.md.
#[derive(Debug, Clone, PartialEq)]
pub struct PeakRules {
    /// Readings in the first part of a session are skipped: a dry strap reads high and wild
    /// until sweat makes contact good.
    pub skip_start: Duration,
    /// The fastest a heart rate can change between readings, in bpm per second. Real changes
    /// during hard running stay within a few bpm/s; a spurious or missed beat jumps by tens.
    pub max_rate_bpm_per_s: f64,
    /// A value counts only if heart rate stayed at or above it for this long.
    pub sustain: Duration,
    /// Readings further apart than this break a sustained stretch and reset the rate check.
    pub max_gap: Duration,
}

impl Default for PeakRules {
    fn default() -> Self {
        PeakRules {
            skip_start: Duration::from_secs(60),
            max_rate_bpm_per_s: 8.0,
            sustain: Duration::from_secs(5),
            max_gap: Duration::from_secs(3),
        }
    }
}

/// Why readings were not used by the estimator.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rejected {
    /// In the dry-strap start.
    pub start: usize,
    /// Changed faster than a heart can.
    pub too_fast: usize,
}

/// The highest sustained heart rate in a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Peak {
    /// Heart rate stayed at or above this for the whole sustain time.
    pub sustained_bpm: u16,
    /// The highest single reading kept in that stretch: the true max is most likely between
    /// the two.
    pub highest_bpm: u16,
    /// When the sustained stretch began.
    pub at: Duration,
    /// What the rules set aside.
    pub rejected: Rejected,
}

/// Removes the readings a max estimate must not see: the dry-strap start and readings that
/// change faster than a heart can. Returns the kept readings and the counts.
pub fn clean_for_peak(readings: &[BpmAt], rules: &PeakRules) -> (Vec<BpmAt>, Rejected) {
    let mut rejected = Rejected::default();
    let Some(&(start, _)) = readings.first() else {
        return (Vec::new(), rejected);
    };
    let mut kept: Vec<BpmAt> = Vec::with_capacity(readings.len());
    // The same rate rule the coach applies live (quality::RateGate); readings it rejects wait
    // here in case later ones vindicate them as a real level shift.
    let mut gate = RateGate::new(rules.max_rate_bpm_per_s, rules.max_gap);
    let mut held: Vec<BpmAt> = Vec::new();
    for &(t, bpm) in readings {
        if t < start + rules.skip_start {
            rejected.start += 1;
            continue;
        }
        match gate.check(t, bpm) {
            Some(vindicated) => {
                let from = held.len().saturating_sub(vindicated);
                rejected.too_fast -= held.len() - from;
                kept.extend(held.drain(..).skip(from));
                kept.push((t, bpm));
            }
            None => {
                rejected.too_fast += 1;
                held.push((t, bpm));
            }
        }
    }
    (kept, rejected)
}

/// The highest heart rate sustained for `rules.sustain`, after [`clean_for_peak`].
///
/// For every kept reading, the stretch of readings that starts there and lasts `sustain`
/// (without a gap) has a minimum; the peak is the highest such minimum. One spike cannot
/// raise it: it would have to last the whole stretch.
pub fn sustained_peak(readings: &[BpmAt], rules: &PeakRules) -> Option<Peak> {
    let (kept, rejected) = clean_for_peak(readings, rules);
    let mut best: Option<Peak> = None;
    for i in 0..kept.len() {
        let (t0, _) = kept[i];
        let mut low = u16::MAX;
        let mut high = 0;
        let mut covered = false;
        for j in i..kept.len() {
            let (t, bpm) = kept[j];
            if j > i && t.saturating_sub(kept[j - 1].0) > rules.max_gap {
                break;
            }
            low = low.min(bpm);
            high = high.max(bpm);
            if t.saturating_sub(t0) >= rules.sustain {
                covered = true;
                break;
            }
        }
        if covered && best.is_none_or(|b| low > b.sustained_bpm) {
            best = Some(Peak {
                sustained_bpm: low,
                highest_bpm: high,
                at: t0,
                rejected,
            });
        }
    }
    best
}

/// Resting heart rate: the lowest mean over any unbroken minute of readings, with the time
/// that minute began. A minute is unbroken when no two readings in it are more than
/// `max_gap` apart; the readings from `t` up to (not including) `t + 60 s` count, and one must
/// follow at `t + 60 s` or later so that the minute is really covered.
pub fn resting_minute(readings: &[BpmAt], max_gap: Duration) -> Option<(u16, Duration)> {
    let minute = Duration::from_secs(60);
    let mut best: Option<(f64, Duration)> = None;
    for (i, &(t0, _)) in readings.iter().enumerate() {
        let mut sum = 0u64;
        let mut n = 0u64;
        let mut covered = false;
        for (j, &(t, bpm)) in readings.iter().enumerate().skip(i) {
            if j > i && t.saturating_sub(readings[j - 1].0) > max_gap {
                break;
            }
            if t.saturating_sub(t0) >= minute {
                covered = true;
                break;
            }
            sum += u64::from(bpm);
            n += 1;
        }
        if covered {
            let mean = sum as f64 / n as f64;
            if best.is_none_or(|(b, _)| mean < b) {
                best = Some((mean, t0));
            }
        }
    }
    best.map(|(mean, at)| (mean.round() as u16, at))
}

/// A resting reading is a few minutes lying still: longer than this, it is not one (a morning
/// HRV reading is 2-10 minutes; HRV4Training and Elite HRV take 1-5).
pub const RESTING_MAX_LENGTH: Duration = Duration::from_secs(20 * 60);

/// A lowest minute above this is not a resting heart rate: lying still on waking, a runner's
/// heart rate is well under 90 (a resting rate above 90-100 bpm is tachycardia, a thing for a
/// doctor, not a baseline).
pub const RESTING_MAX_BPM: u16 = 90;

/// Lying still, the heart rate settles within a few bpm; minute means further apart than this
/// are a body that moved (got up, walked, ran).
pub const RESTING_MAX_SPREAD: u16 = 25;

/// Why a recording is not a resting reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NotResting {
    /// Longer than [`RESTING_MAX_LENGTH`].
    #[error("it lasts {} min: a resting reading is a few minutes lying still (at most {} min)", .0.as_secs() / 60, RESTING_MAX_LENGTH.as_secs() / 60)]
    TooLong(Duration),
    /// The lowest minute is above [`RESTING_MAX_BPM`].
    #[error("its lowest minute is {0} bpm: lying still, heart rate is well under {max} bpm (this looks like exercise)", max = RESTING_MAX_BPM)]
    TooHigh(u16),
    /// Minute means spread more than [`RESTING_MAX_SPREAD`].
    #[error("heart rate moved from {0} to {1} bpm: lying still, it settles within a few beats")]
    Moving(u16, u16),
}

/// Checks that `readings` are a resting reading (see [`NotResting`]): the rules that keep a
/// run from being saved as a resting HR or a morning's HRV.
///
/// # Errors
/// Why it is not one.
pub fn check_resting(readings: &[BpmAt]) -> Result<(), NotResting> {
    let (Some(&(first, _)), Some(&(last, _))) = (readings.first(), readings.last()) else {
        return Ok(());
    };
    let length = last.saturating_sub(first);
    if length > RESTING_MAX_LENGTH {
        return Err(NotResting::TooLong(length));
    }
    // Minute means, for the spread; the lowest unbroken minute for the level.
    let mut minutes: Vec<(u64, u64)> = Vec::new();
    for &(t, bpm) in readings {
        let m = usize::try_from((t.saturating_sub(first)).as_secs() / 60).unwrap_or(0);
        if minutes.len() <= m {
            minutes.resize(m + 1, (0, 0));
        }
        minutes[m].0 += u64::from(bpm);
        minutes[m].1 += 1;
    }
    let means: Vec<u16> = (minutes.iter())
        .filter(|(_, n)| *n >= 10)
        .map(|(sum, n)| u16::try_from(sum / n).unwrap_or(u16::MAX))
        .collect();
    if let Some((lowest, _)) = resting_minute(readings, Duration::from_secs(3))
        && lowest > RESTING_MAX_BPM
    {
        return Err(NotResting::TooHigh(lowest));
    }
    if let (Some(&lo), Some(&hi)) = (means.iter().min(), means.iter().max())
        && hi - lo > RESTING_MAX_SPREAD
    {
        return Err(NotResting::Moving(lo, hi));
    }
    Ok(())
}

/// An LTHR under this share of max HR is not from a hard 30 minutes: LTHR is typically 85-92 %
/// of max HR in runners (Friel), and a steady easy run gives 60-70 %.
pub const LTHR_MIN_SHARE_OF_MAX: f64 = 0.80;

/// The length of Friel's time trial.
pub const TIME_TRIAL: Duration = Duration::from_secs(30 * 60);

/// The part of it LTHR is the mean of: its last 20 minutes (the first 10 are the climb to a
/// steady hard effort).
pub const LTHR_TAIL: Duration = Duration::from_secs(20 * 60);

/// The longest hole in the trusted readings a time trial may have and still count as
/// continuous: a few lost packets or a brief contact loss, not a stop.
pub const TRIAL_MAX_GAP: Duration = Duration::from_secs(30);

/// LTHR from a time trial, with where in the recording it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lthr {
    /// The mean heart rate of the last 20 minutes of the hardest 30.
    pub bpm: u16,
    /// Where the hardest 30 continuous minutes begin.
    pub trial_start: Duration,
    /// Where the 20 minutes averaged begin (`trial_start + 10 min`).
    pub tail_start: Duration,
    /// Where they end (`trial_start + 30 min`).
    pub trial_end: Duration,
}

/// Why a recording gives no LTHR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NoTimeTrial {
    /// Not a single trusted reading.
    #[error("no trusted heart-rate readings")]
    NoReadings,
    /// Shorter than the 30 minutes of the trial.
    #[error("the LTHR test is a 30-minute solo time trial; this recording covers {} min", .0.as_secs() / 60)]
    TooShort(Duration),
    /// Long enough, but no 30 minutes without a hole.
    #[error("no 30 continuous minutes of readings (the strap lost contact or the link for more than {} s)", TRIAL_MAX_GAP.as_secs())]
    Holes,
}

/// Friel's LTHR: in the hardest 30 continuous minutes of the recording (the highest mean
/// heart rate), the mean heart rate of the last 20.
///
/// Searching for the hardest 30 minutes, rather than taking the end of the recording, means a
/// warm-up before and a cool-down after the trial do not drag it down.
///
/// # Errors
/// [`NoTimeTrial`] when no 30 continuous minutes of readings exist (no hole longer than
/// [`TRIAL_MAX_GAP`]).
pub fn lthr_from_time_trial(readings: &[BpmAt]) -> Result<Lthr, NoTimeTrial> {
    let (Some(&(first, _)), Some(&(last, _))) = (readings.first(), readings.last()) else {
        return Err(NoTimeTrial::NoReadings);
    };
    // prefix[i]: the sum of the first i readings' bpm.
    let mut prefix = Vec::with_capacity(readings.len() + 1);
    prefix.push(0u64);
    for r in readings {
        prefix.push(prefix[prefix.len() - 1] + u64::from(r.1));
    }
    let mean = |a: usize, b: usize| (prefix[b] - prefix[a]) as f64 / (b - a).max(1) as f64;
    // holes[i]: the index of the last reading at or before i that follows a hole (a gap
    // longer than allowed), 0 if none.
    let mut last_hole = 0;
    let holes: Vec<usize> = (0..readings.len())
        .map(|i| {
            if i > 0 && readings[i].0.saturating_sub(readings[i - 1].0) > TRIAL_MAX_GAP {
                last_hole = i;
            }
            last_hole
        })
        .collect();
    let mut best: Option<(f64, usize, usize)> = None;
    let mut end = 0;
    for start in 0..readings.len() {
        let until = readings[start].0 + TIME_TRIAL;
        while end < readings.len() && readings[end].0 < until {
            end += 1;
        }
        // The window is readings[start..end]; it must reach (within a hole's length) the end
        // of the 30 minutes, and hold no hole.
        let last_in = end.saturating_sub(1);
        if last_in <= start || readings[last_in].0 + TRIAL_MAX_GAP < until || holes[last_in] > start
        {
            continue;
        }
        let m = mean(start, end);
        if best.is_none_or(|(b, _, _)| m > b) {
            best = Some((m, start, end));
        }
    }
    let Some((_, start, end)) = best else {
        let length = last.saturating_sub(first);
        return Err(if length < TIME_TRIAL - Duration::from_secs(60) {
            NoTimeTrial::TooShort(length)
        } else {
            NoTimeTrial::Holes
        });
    };
    let trial_start = readings[start].0;
    let tail_start = trial_start + (TIME_TRIAL - LTHR_TAIL);
    let tail = start + readings[start..end].partition_point(|r| r.0 < tail_start);
    Ok(Lthr {
        bpm: mean(tail, end).round() as u16,
        trial_start,
        tail_start,
        trial_end: trial_start + TIME_TRIAL,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(bpms: &[u16]) -> Vec<BpmAt> {
        bpms.iter()
            .enumerate()
            .map(|(i, &b)| (Duration::from_secs(i as u64), b))
            .collect()
    }

    #[test]
    fn formulas_at_forty() {
        let at40: Vec<_> = FORMULAS.iter().map(|f| (f.name, f.predict(40))).collect();
        assert_eq!(
            at40,
            [
                ("tanaka", 180),
                ("fox", 180),
                ("gellish", 179),
                ("nes", 185),
                ("gulati", 171)
            ]
        );
        assert_eq!(formula("nes").map(|f| f.typical_error), Some(11));
        assert!(formula("astrand").is_none());
    }

    #[test]
    fn one_spike_never_raises_the_peak() {
        let mut bpm = vec![150u16; 200];
        bpm[120] = 225;
        bpm[150] = 221;
        let p = sustained_peak(&series(&bpm), &PeakRules::default());
        assert_eq!(p.map(|p| p.sustained_bpm), Some(150));
        assert_eq!(p.map(|p| p.rejected.too_fast), Some(2));
    }

    #[test]
    fn the_dry_strap_start_is_skipped() {
        let mut bpm: Vec<u16> = (0..40).map(|i| 210 - i * 2).collect();
        bpm.extend([140u16; 200]);
        let p = sustained_peak(&series(&bpm), &PeakRules::default());
        assert_eq!(p.map(|p| p.sustained_bpm), Some(140));
        assert_eq!(p.map(|p| p.rejected.start), Some(60));
    }

    #[test]
    fn a_real_climb_is_followed_and_sustained_peak_is_the_stretch_minimum() {
        // Rise 2 bpm/s from 150 to 186, hold 10 s at 186-188, fall.
        let mut bpm = vec![150u16; 70];
        bpm.extend((0..18).map(|i| 150 + i * 2));
        bpm.extend([186, 187, 188, 187, 188, 187, 186, 188, 187, 186]);
        bpm.extend((0..30).map(|i| 186 - i));
        let p = sustained_peak(&series(&bpm), &PeakRules::default());
        // Six readings span 5 s; the best such stretch bottoms out at 186.
        assert_eq!(
            p.map(|p| (p.sustained_bpm, p.highest_bpm)),
            Some((186, 188))
        );
    }

    #[test]
    fn a_lasting_level_shift_is_accepted_after_three_agreeing_readings() {
        // A jump of 30 bpm that stays: after three readings it is real.
        let mut bpm = vec![120u16; 70];
        bpm.extend([150u16; 30]);
        let (kept, rejected) = clean_for_peak(&series(&bpm), &PeakRules::default());
        assert_eq!(rejected.too_fast, 0);
        assert_eq!(kept.last().map(|r| r.1), Some(150));
        assert_eq!(kept.len(), 40);
    }

    #[test]
    fn a_short_recording_has_no_peak() {
        assert_eq!(
            sustained_peak(&series(&[150; 62]), &PeakRules::default()),
            None
        );
    }

    #[test]
    fn resting_is_the_lowest_unbroken_minute() {
        let mut bpm = vec![70u16; 120];
        bpm.extend([52u16; 60]);
        bpm.extend([54u16; 5]);
        bpm.extend([65u16; 60]);
        let r = resting_minute(&series(&bpm), Duration::from_secs(3));
        assert_eq!(r, Some((52, Duration::from_secs(120))));
    }

    #[test]
    fn resting_needs_a_whole_minute_without_gaps() {
        let mut s = series(&[50u16; 40]);
        s.extend((0..40).map(|i| (Duration::from_secs(100 + i), 60u16)));
        assert_eq!(resting_minute(&s, Duration::from_secs(3)), None);
    }

    #[test]
    fn lthr_is_the_mean_of_the_last_twenty_minutes() -> Result<(), NoTimeTrial> {
        let mut bpm = vec![150u16; 600];
        bpm.extend([170u16; 1201]);
        let lthr = lthr_from_time_trial(&series(&bpm))?;
        assert_eq!(lthr.bpm, 170);
        assert_eq!(lthr.tail_start, lthr.trial_start + Duration::from_secs(600));
        assert_eq!(
            lthr_from_time_trial(&series(&[160; 600])).err(),
            Some(NoTimeTrial::TooShort(Duration::from_secs(599)))
        );
        assert_eq!(
            lthr_from_time_trial(&[]).err(),
            Some(NoTimeTrial::NoReadings)
        );
        Ok(())
    }

    #[test]
    fn lthr_comes_from_the_hardest_thirty_minutes_not_the_end() -> Result<(), NoTimeTrial> {
        // 10 min warm-up at 130, a 30-minute trial (rising to 171), a 10-minute cool-down.
        let mut bpm = vec![130u16; 600];
        bpm.extend((0..600).map(|i| 150 + (i / 30) as u16));
        bpm.extend([171u16; 1200]);
        bpm.extend([120u16; 600]);
        let lthr = lthr_from_time_trial(&series(&bpm))?;
        assert_eq!(lthr.bpm, 171, "{lthr:?}");
        assert_eq!(lthr.trial_start, Duration::from_secs(600));
        assert_eq!(lthr.trial_end, Duration::from_secs(2400));
        // A hole of a minute breaks the trial.
        let mut holed = series(&[170u16; 1900]);
        holed.retain(|(t, _)| !(900..960).contains(&t.as_secs()));
        assert_eq!(lthr_from_time_trial(&holed).err(), Some(NoTimeTrial::Holes));
        Ok(())
    }
}
