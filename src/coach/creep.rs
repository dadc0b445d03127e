//! Drift creep: warn *before* the cap when heart rate climbs steadily toward it.
//!
//! On an easy run heart rate often rises slowly at the same pace (cardiac drift: heat,
//! dehydration, fatigue). The cap alert only speaks once the cap is crossed; this watch speaks
//! earlier, while easing off a touch still keeps the runner under.
//!
//! Method: trusted readings are grouped in 30-second bins and each bin is reduced to its
//! median, so a spike that slipped through cannot move it. Over the last 12 minutes of bins (at
//! least 6 minutes, without a missing bin), the Theil-Sen estimator (the median of the slopes
//! between every pair of bins) gives the slope in bpm per minute: one odd bin, a short hill or a
//! surge, cannot tilt it. The watch warns when all of these hold:
//!
//! - the slope is between 0.5 and 4 bpm/min (faster is a change of effort, not drift);
//! - the climb is steady: each third of the window rises (at least half the minimum), and the
//!   last third at least half as fast as the first, so neither the foot of a hill (flat, then a
//!   climb), nor a wander that has turned, nor the end of a warm-up (a fast rise levelling off)
//!   is taken for drift;
//! - the climb stands out from the noise: the rise over the window is at least three times the
//!   bins' own scatter around the trend line, so a heart rate that merely wanders does not warn;
//! - the trend line is under the cap and reaches it within 5 minutes at this rate;
//! - the warm-up mute is over: the first 10 minutes after the start, a lost link or a stop of a
//!   minute or more. The mute holds warnings only: the readings in it still build the trend, so
//!   a creep that starts with the run is seen as soon as the mute ends.
//!
//! Then it stays quiet until the climb has stopped (slope under half the minimum) or heart
//! rate has fallen 5 bpm, so one climb gives one warning. Defaults and reasons:
//! docs/zones-and-alerts.md.

use std::collections::VecDeque;
use std::time::Duration;

use super::alerts::{Alert, AlertKind};
use super::trend::{median_of, theil_sen_slope};

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
    /// No warning in the first minutes after a start, a lost link or a stop: a warm-up rises
    /// fast by design and then levels off. Readings still count toward the trend.
    pub warmup: Duration,
    /// A hole in the trusted readings at least this long is a stop: the trend starts again
    /// and so does the warm-up mute.
    pub stop: Duration,
    /// The rise over the window must be at least this many times the bins' scatter around
    /// the trend line.
    pub min_signal_to_noise: f64,
    /// The rise over the window must be at least this many bpm: a few minutes of a faster
    /// climb count, but a short wander of a few bpm does not.
    pub min_rise: f64,
    /// Warn when the cap is at most this far away at the current rate.
    pub horizon: Duration,
    /// A fall of this many bpm below the level at the last warning re-arms the watch.
    pub rearm_drop: u16,
}

impl Default for CreepSettings {
    fn default() -> Self {
        CreepSettings {
            bin: Duration::from_secs(30),
            window: Duration::from_secs(720),
            min_span: Duration::from_secs(180),
            min_slope: 0.5,
            max_slope: 4.0,
            warmup: Duration::from_secs(600),
            stop: Duration::from_secs(60),
            min_signal_to_noise: 3.0,
            min_rise: 7.0,
            horizon: Duration::from_secs(300),
            rearm_drop: 5,
        }
    }
}

/// The smallest scatter (bpm) a rise is measured against: bin medians are whole bpm, so even
/// a perfectly straight climb scatters by about half a bpm around its line.
const SCATTER_FLOOR: f64 = 0.5;

/// How far (bpm) the trend line may lie from the latest bin, for the quick test that no
/// window can warn: beyond it a window would fail its noise test anyway.
const PRECHECK_MARGIN: f64 = 10.0;

/// A creep warning's numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Creep {
    /// Heart rate on the trend line at the latest bin.
    pub level: u16,
    /// Rise in bpm per minute.
    pub slope_bpm_per_min: f64,
    /// Time to reach the cap at this rate.
    pub eta: Duration,
}

impl Creep {
    /// The alert that says it, fired at `at` by a reading of `bpm` under a cap of `cap_bpm`.
    pub fn alert(&self, at: Duration, bpm: u16, cap_bpm: u16) -> Alert {
        Alert {
            at,
            kind: AlertKind::Creep,
            bpm,
            // The watch's own level (a 30-second median) is what it projects from, and what
            // re-arms it.
            smoothed_bpm: self.level,
            cap_bpm,
            over_for: Duration::ZERO,
            slope_bpm_per_min: Some(self.slope_bpm_per_min),
            eta: Some(self.eta),
            plan_time: None,
        }
    }
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
    /// No warning before this time; `None` until the first reading after a (re)start.
    mute_until: Option<Duration>,
    /// Time of the last trusted reading, to notice a stop.
    last_at: Option<Duration>,
}

impl CreepWatch {
    /// A watch with these settings.
    pub fn new(settings: CreepSettings) -> Self {
        CreepWatch {
            settings,
            bins: VecDeque::new(),
            current: None,
            warned_at: None,
            mute_until: None,
            last_at: None,
        }
    }

    /// Forgets the trend (unreliable data): a trend across a hole is a guess.
    pub fn interrupt(&mut self) {
        self.bins.clear();
        self.current = None;
    }

    /// The link was lost: forget the trend, and mute again from the first reading after it,
    /// as at the start (the runner may have stopped meanwhile).
    pub fn restart(&mut self) {
        self.interrupt();
        self.mute_until = None;
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
        if self
            .last_at
            .is_some_and(|t| at.saturating_sub(t) >= self.settings.stop)
        {
            self.restart();
        }
        self.last_at = Some(at);
        let mute_until = *self.mute_until.get_or_insert(at + self.settings.warmup);
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
        let warning = self.trend(cap_bpm)?;
        (at >= mute_until).then_some(warning)
    }

    fn trend(&mut self, cap_bpm: u16) -> Option<Creep> {
        let s = &self.settings;
        let bin_min = s.bin.as_secs_f64() / 60.0;
        let pts: Vec<(f64, f64)> = self
            .bins
            .iter()
            .map(|&(b, m)| (b as f64 * bin_min, f64::from(m)))
            .collect();
        let min_bins = (s.min_span.as_secs_f64() / s.bin.as_secs_f64()).ceil() as usize;
        if pts.len() < min_bins.max(3) {
            return None;
        }
        if let Some(w) = self.warned_at {
            // Disarmed: re-arm once the climb has stopped or heart rate has come down.
            let slope = theil_sen_slope(&pts[pts.len() - min_bins..])?;
            let latest = pts.last()?.1;
            if slope < s.min_slope / 2.0 || latest + f64::from(s.rearm_drop) <= f64::from(w) {
                self.warned_at = None;
            }
            return None;
        }
        // The cheap and common case first: no window can warn when heart rate is far over the
        // cap, or further under it than the fastest creep (4 bpm/min) covers within the
        // horizon. (With a margin for the trend line lying a few bpm off the latest bin.)
        let latest = pts.last()?.1;
        let reach = s.max_slope * s.horizon.as_secs_f64() / 60.0;
        let cap = f64::from(cap_bpm);
        if latest - PRECHECK_MARGIN >= cap || latest + reach + PRECHECK_MARGIN < cap {
            return None;
        }
        // The climb may have begun after a flat stretch: look at the whole window, then at
        // shorter recent ones (in steps of the minimum span's half), down to the minimum span.
        let step = (min_bins / 2).max(1);
        let mut len = pts.len();
        loop {
            let (before, window) = pts.split_at(pts.len() - len);
            if let Some(c) = climb(before, window, s, bin_min, cap_bpm)
                && new_ground(before, &c, window)
            {
                return Some(c);
            }
            if len < min_bins + step {
                return None;
            }
            len -= step;
        }
    }
}

/// How far heart rate wandered in these bins (a robust standard deviation about their
/// median), when there are enough of them (3 minutes) to tell.
fn wander(bins: &[(f64, f64)]) -> Option<f64> {
    if bins.len() < 6 {
        return None;
    }
    let mut ys: Vec<f64> = bins.iter().map(|p| p.1).collect();
    let mid = median_of(&mut ys)?;
    let mut dev: Vec<f64> = ys.iter().map(|y| (y - mid).abs()).collect();
    Some(1.4826 * median_of(&mut dev)?)
}

/// Whether a climb seen in a recent part of the window has taken heart rate where it has not
/// been in the rest of it: everything before the climb stayed under the climb's midpoint.
///
/// A drift that begins after a flat stretch does; a heart rate that wanders (up for a few
/// minutes, down for a few) does not: before its latest rise it was as high as it is now.
fn new_ground(before: &[(f64, f64)], c: &Creep, window: &[(f64, f64)]) -> bool {
    let (Some(first), Some(last)) = (window.first(), window.last()) else {
        return false;
    };
    let rise = c.slope_bpm_per_min * (last.0 - first.0);
    let midpoint = f64::from(c.level) - rise / 2.0;
    before.iter().all(|&(_, y)| y < midpoint)
}

/// The creep warning for these bins (at least three), if they hold a steady climb toward the
/// cap that stands out from their scatter. See the module docs for each test.
fn climb(
    before: &[(f64, f64)],
    pts: &[(f64, f64)],
    s: &CreepSettings,
    bin_min: f64,
    cap_bpm: u16,
) -> Option<Creep> {
    let slope = theil_sen_slope(pts)?;
    let (x_last, _) = *pts.last()?;
    // The line through the bins with that slope (its intercept the median of y - slope x).
    let mut offsets: Vec<f64> = pts.iter().map(|&(x, y)| y - slope * x).collect();
    let intercept = median_of(&mut offsets)?;
    let level = intercept + slope * x_last;
    if slope < s.min_slope || slope > s.max_slope || level >= f64::from(cap_bpm) {
        return None;
    }
    // Steady: each third of the window rises, and the last at least half as fast as the
    // first. A wander that has turned, or a warm-up levelling off, fails here.
    let third = pts.len() / 3;
    let thirds = [
        &pts[..third],
        &pts[third..pts.len() - third],
        &pts[pts.len() - third..],
    ];
    let mut rises = [0.0; 3];
    for (r, part) in rises.iter_mut().zip(thirds) {
        *r = theil_sen_slope(part)?;
    }
    if rises.iter().any(|&r| r < s.min_slope / 2.0) || rises[2] < rises[0] / 2.0 {
        return None;
    }
    // Out of the noise: the rise against the bins' scatter around the line, and against how
    // far this runner's heart rate wandered before the climb (when there is enough of that to
    // tell), and at least `min_rise` bpm.
    let mut residuals: Vec<f64> = pts
        .iter()
        .map(|&(x, y)| (y - intercept - slope * x).abs())
        .collect();
    let scatter = 1.4826 * median_of(&mut residuals)?;
    let noise = wander(before).map_or(scatter, |w| w.max(scatter));
    let rise = slope * (x_last - pts[0].0 + bin_min);
    if rise < s.min_rise || rise < s.min_signal_to_noise * noise.max(SCATTER_FLOOR) {
        return None;
    }
    let minutes = (f64::from(cap_bpm) - level) / slope;
    let eta = Duration::from_secs_f64(minutes * 60.0);
    if eta > s.horizon {
        return None;
    }
    Some(Creep {
        level: level.round() as u16,
        slope_bpm_per_min: (slope * 10.0).round() / 10.0,
        eta,
    })
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
        // A warm-up: from 95 toward 126 with a 90 s time constant, then flat.
        let warm_up = |t: u64| (95.0 + 31.0 * (1.0 - (-(t as f64) / 90.0).exp())) as u16;
        assert!(run(40 * 60, 130, warm_up).is_empty());
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
    fn the_warm_up_mute_holds_warnings_not_data() {
        // 120 rising 0.8 bpm/min from the first second: the cap (130) at 12:30. Warned as
        // soon as the 10-minute mute ends, from the ten minutes of data behind it.
        let warnings = run(15 * 60, 130, |t| 120 + (t * 8 / 600) as u16);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!((600..630).contains(&warnings[0].0), "{warnings:?}");
    }

    #[test]
    fn a_stop_of_a_minute_mutes_again() {
        let mut w = CreepWatch::new(CreepSettings::default());
        for t in 0..900 {
            w.observe(Duration::from_secs(t), 110, 130);
        }
        // Two minutes without readings (a stop), then a steady climb of 2 bpm/min.
        let warned: Vec<u64> = (1020..1800)
            .filter(|&t| {
                let bpm = 110 + ((t - 1020) / 30) as u16;
                w.observe(Duration::from_secs(t), bpm, 130).is_some()
            })
            .collect();
        assert!(warned.iter().all(|&t| t >= 1020 + 600), "{warned:?}");
    }

    #[test]
    fn a_wander_that_turns_is_not_creep() {
        // A 12-minute swing of ±3 bpm, 8 under the cap, for two hours.
        let swing = |t: u64| {
            (122.0 + 3.0 * (2.0 * std::f64::consts::PI * t as f64 / 720.0).sin()).round() as u16
        };
        assert!(run(2 * 3600, 130, swing).is_empty());
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
