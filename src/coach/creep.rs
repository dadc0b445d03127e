//! Drift creep: warn *before* the cap when heart rate climbs steadily toward it.
//!
//! On an easy run heart rate often rises slowly at the same pace (cardiac drift: heat,
//! dehydration, fatigue). The cap alert only speaks once the cap is crossed; this watch speaks
//! earlier, while easing off a touch still keeps the runner under.
//!
//! Method: trusted readings are grouped in 30-second bins and each bin is reduced to its
//! median, so a spike that slipped through cannot move it. Over the last 4 minutes of bins (at
//! least 3 minutes, without a missing bin), the Theil-Sen estimator (the median of the
//! slopes between every pair of bins) gives the slope in bpm per minute: one odd bin, a short
//! hill or a surge, cannot tilt it. The watch warns when the latest bin is under the cap,
//! the slope is between 0.5 and 4 bpm/min (faster is a change of effort, not drift), and at
//! that rate the cap is at most 5 minutes away; both halves of the window must rise as well
//! (at least half that rate), so the foot of a hill is not taken for drift. The first 10 minutes are a warm-up, which
//! rises fast by design: no warning then. Then it stays quiet until
//! the climb has stopped (slope under half the threshold) or heart rate has fallen 5 bpm, so
//! one climb gives one warning. Defaults and reasons: docs/zones-and-alerts.md.

use std::collections::VecDeque;
use std::time::Duration;

use super::trend::theil_sen_slope;

/// Settings of the creep watch.
#[derive(Debug, Clone, PartialEq)]
pub struct CreepSettings {
    /// Width of a bin.
    pub bin: Duration,
    /// How far back the trend looks.
    pub window: Duration,
    /// Shortest span of bins a trend is computed from.
    pub min_span: Duration,
    /// Smallest rise worth a warning, bpm per minute.
    pub min_slope: f64,
    /// Largest rise that is still creep, bpm per minute: a faster one is a change of effort
    /// (a hill, a surge), which the cap alert handles if it lasts.
    pub max_slope: f64,
    /// No warning in the first minutes: a warm-up rises fast by design and then levels off.
    pub warmup: Duration,
    /// Warn when the cap is at most this far away at the current rate.
    pub horizon: Duration,
    /// A fall of this many bpm below the level at the last warning re-arms the watch.
    pub rearm_drop: u16,
}

impl Default for CreepSettings {
    fn default() -> Self {
        CreepSettings {
            bin: Duration::from_secs(30),
            window: Duration::from_secs(240),
            min_span: Duration::from_secs(180),
            min_slope: 0.5,
            max_slope: 4.0,
            warmup: Duration::from_secs(600),
            horizon: Duration::from_secs(300),
            rearm_drop: 5,
        }
    }
}

/// A creep warning's numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Creep {
    /// Median of the latest bin.
    pub level: u16,
    /// Rise in bpm per minute.
    pub slope_bpm_per_min: f64,
    /// Time to reach the cap at this rate.
    pub eta: Duration,
}

/// Watches the trend of trusted readings.
#[derive(Debug, Clone)]
pub struct CreepWatch {
    settings: CreepSettings,
    /// Finished bins: (bin number, median).
    bins: VecDeque<(u64, u16)>,
    /// The bin being filled: its number and readings.
    current: Option<(u64, Vec<u16>)>,
    /// Level at the last warning, while disarmed.
    warned_at: Option<u16>,
    /// Time of the first reading of the session.
    first_at: Option<Duration>,
}

impl CreepWatch {
    /// A watch with these settings.
    pub fn new(settings: CreepSettings) -> Self {
        CreepWatch {
            settings,
            bins: VecDeque::new(),
            current: None,
            warned_at: None,
            first_at: None,
        }
    }

    /// Forgets the trend (a lost link, unreliable data): a trend across a hole is a guess.
    pub fn interrupt(&mut self) {
        self.bins.clear();
        self.current = None;
    }

    /// The warning at `level` reached the runner: stay quiet until the climb is over. (A
    /// warning that was not given, because the cap alert had the floor or the per-minute
    /// ceiling held it back, does not disarm the watch.)
    pub fn warned(&mut self, level: u16) {
        self.warned_at = Some(level);
    }

    /// Re-arms after an over-cap episode ends.
    pub fn rearm(&mut self) {
        self.warned_at = None;
    }

    /// Takes one trusted reading; returns a warning when the trend calls for one.
    pub fn observe(&mut self, at: Duration, bpm: u16, cap_bpm: u16) -> Option<Creep> {
        let first = *self.first_at.get_or_insert(at);
        if at.saturating_sub(first) < self.settings.warmup {
            return None;
        }
        let bin_ms = self.settings.bin.as_millis().max(1);
        let n = (at.as_millis() / bin_ms) as u64;
        match &mut self.current {
            Some((cur, readings)) if *cur == n => {
                readings.push(bpm);
                return None;
            }
            _ => {}
        }
        // A new bin starts: close the current one and look at the trend.
        let closed = self.current.replace((n, vec![bpm]));
        let (cur, mut readings) = closed?;
        readings.sort_unstable();
        let median = readings[readings.len() / 2];
        if self.bins.back().is_some_and(|&(b, _)| b + 1 != cur) {
            self.bins.clear(); // a missing bin: start the trend again
        }
        self.bins.push_back((cur, median));
        let keep = (self.settings.window.as_millis() / bin_ms) as usize;
        while self.bins.len() > keep.max(2) {
            self.bins.pop_front();
        }
        self.trend(cap_bpm)
    }

    fn trend(&mut self, cap_bpm: u16) -> Option<Creep> {
        let bin_min = self.settings.bin.as_secs_f64() / 60.0;
        let span = self.settings.bin * (self.bins.len() as u32);
        if span < self.settings.min_span {
            return None;
        }
        let pts: Vec<(f64, f64)> = self
            .bins
            .iter()
            .map(|&(b, m)| (b as f64 * bin_min, f64::from(m)))
            .collect();
        let slope = theil_sen_slope(&pts)?;
        // Creep is steady: both halves of the window must rise too. A flat stretch that
        // turns into a climb (the foot of a hill) is not drift.
        let half = pts.len() / 2;
        let steady = [&pts[..half], &pts[half..]]
            .iter()
            .all(|p| theil_sen_slope(p).is_some_and(|s| s >= self.settings.min_slope / 2.0));
        let level = self.bins.back()?.1;
        if let Some(w) = self.warned_at {
            if slope < self.settings.min_slope / 2.0 || level + self.settings.rearm_drop <= w {
                self.warned_at = None;
            }
            return None;
        }
        if level >= cap_bpm
            || !steady
            || slope < self.settings.min_slope
            || slope > self.settings.max_slope
        {
            return None;
        }
        let minutes = f64::from(cap_bpm - level) / slope;
        let eta = Duration::from_secs_f64(minutes * 60.0);
        if eta > self.settings.horizon {
            return None;
        }
        Some(Creep {
            level,
            slope_bpm_per_min: (slope * 10.0).round() / 10.0,
            eta,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds one reading a second from `bpm_at(t)` and returns the warnings with their times.
    fn run(secs: u64, cap: u16, bpm_at: impl Fn(u64) -> u16) -> Vec<(u64, Creep)> {
        let mut w = CreepWatch::new(CreepSettings::default());
        (0..secs)
            .filter_map(|t| {
                let c = w.observe(Duration::from_secs(t), bpm_at(t), cap)?;
                w.warned(c.level);
                Some((t, c))
            })
            .collect()
    }

    #[test]
    fn warns_once_before_a_slow_climb_reaches_the_cap() {
        // 115 rising 1 bpm/min: reaches 130 at 15:00.
        let warnings = run(20 * 60, 130, |t| 115 + (t / 60) as u16);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let (t, c) = warnings[0];
        assert!(t < 15 * 60, "warned at {t} s, before the cap at 900 s");
        assert!(c.eta <= Duration::from_secs(300));
        assert!((0.8..=1.2).contains(&c.slope_bpm_per_min), "{c:?}");
    }

    #[test]
    fn a_flat_run_or_a_spike_never_warns() {
        assert!(run(30 * 60, 130, |_| 122).is_empty());
        assert!(run(30 * 60, 130, |t| if t % 97 == 0 { 200 } else { 122 }).is_empty());
        // A single 30-second surge is one bin out of eight: the median line barely moves.
        assert!(
            run(30 * 60, 130, |t| if (600..630).contains(&t) {
                140
            } else {
                122
            })
            .is_empty()
        );
    }

    #[test]
    fn a_warm_up_or_a_fast_rise_is_not_creep() {
        // Warm-up: 100 rising 3 bpm/min in the first 10 minutes.
        assert!(run(10 * 60, 130, |t| 100 + (t / 20) as u16).is_empty());
        // After the warm-up, a hill: 118 rising 6 bpm/min.
        let hill = |t: u64| {
            if t < 900 {
                118
            } else {
                118 + ((t - 900) / 10) as u16
            }
        };
        assert!(run(20 * 60, 130, hill).is_empty());
    }

    #[test]
    fn a_climb_far_from_the_cap_does_not_warn_yet() {
        // 100 rising 1 bpm/min for 10 minutes: the cap at 130 is 20 minutes away.
        assert!(run(10 * 60, 130, |t| 100 + (t / 60) as u16).is_empty());
    }

    #[test]
    fn a_gap_restarts_the_trend() {
        let mut w = CreepWatch::new(CreepSettings::default());
        for t in 0..200 {
            w.observe(Duration::from_secs(t), 120 + (t / 30) as u16, 130);
        }
        // Ten minutes without readings, then flat: no trend across the hole.
        let warned = (800..1100).any(|t| w.observe(Duration::from_secs(t), 127, 130).is_some());
        assert!(!warned);
    }
}
