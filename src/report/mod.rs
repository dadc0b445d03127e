//! Looking back at a run: what the coach saw, second by second, and what it adds up to.
//!
//! A [`Trace`] is built from the coach's [`Update`]s (so a report counts exactly as the run was
//! coached), and holds what a chart needs: the trusted readings, the gaps (a lost link, a
//! paused timer, a quiet strap) and the alerts. [`drift`] compares the two halves of a run;
//! [`spark`] draws a one-line terminal chart, [`svg::plot`] a chart to look at. All pure.

pub mod analysis;
pub mod json;
pub mod svg;
pub mod text;
pub mod week;
pub mod whatif;

use std::time::Duration;

use crate::coach::zones::{Zone, ZoneModel};
use crate::coach::{Notice, Reading, Update, UpdateKind};

/// A trusted reading.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Time since the start.
    pub at: Duration,
    /// Heart rate the coach used.
    pub bpm: u16,
    /// Its zone.
    pub zone: Zone,
}

/// Why there was no heart rate for a while.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GapKind {
    /// The link to the strap was lost.
    Link,
    /// The timer was paused.
    Pause,
    /// Readings stopped without a lost link (a strap out of range, a watch that stored none).
    Quiet,
}

impl GapKind {
    /// `link`, `pause` or `quiet`.
    pub fn as_str(self) -> &'static str {
        match self {
            GapKind::Link => "link",
            GapKind::Pause => "pause",
            GapKind::Quiet => "quiet",
        }
    }
}

/// A stretch without heart rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gap {
    /// When it began.
    pub from: Duration,
    /// When it ended (the end of the run for one that never did).
    pub to: Duration,
    /// Why.
    pub kind: GapKind,
}

/// What the coach saw during one run, for reports and charts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Trace {
    /// Trusted readings in time order.
    pub points: Vec<Point>,
    /// Stretches without heart rate, in time order.
    pub gaps: Vec<Gap>,
    open: Option<(Duration, GapKind)>,
    last: Duration,
}

impl Trace {
    /// An empty trace.
    pub fn new() -> Self {
        Trace::default()
    }

    /// Takes the next update of the run.
    pub fn observe(&mut self, u: &Update) {
        self.last = self.last.max(u.at);
        for n in &u.notices {
            if let Notice::StaleGap(length) = n {
                self.gaps.push(Gap {
                    from: u.at.saturating_sub(*length),
                    to: u.at,
                    kind: GapKind::Quiet,
                });
            }
        }
        match &u.kind {
            UpdateKind::LinkLost => self.open(u.at, GapKind::Link),
            UpdateKind::Paused => self.open(u.at, GapKind::Pause),
            UpdateKind::LinkRestored | UpdateKind::Resumed => self.close(u.at),
            UpdateKind::Sample { reading, .. } => {
                self.close(u.at);
                if let Reading::Trusted { bpm, zone, .. } = reading {
                    self.points.push(Point {
                        at: u.at,
                        bpm: *bpm,
                        zone: *zone,
                    });
                }
            }
            UpdateKind::Malformed(_) | UpdateKind::Battery(_) | UpdateKind::Answered(_) => {}
        }
    }

    fn open(&mut self, at: Duration, kind: GapKind) {
        if self.open.is_none() {
            self.open = Some((at, kind));
        }
    }

    fn close(&mut self, at: Duration) {
        if let Some((from, kind)) = self.open.take() {
            self.gaps.push(Gap { from, to: at, kind });
        }
    }

    /// The trace with a gap still open closed at the end of the run.
    pub fn finish(mut self) -> Self {
        let end = self.last;
        self.close(end);
        self.gaps.sort_by_key(|g| g.from);
        self
    }
}

/// First half against second half of a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Drift {
    /// Mean heart rate of the trusted readings in the first half of the time.
    pub first_half_bpm: f64,
    /// The same for the second half.
    pub second_half_bpm: f64,
    /// Second minus first, bpm.
    pub bpm: f64,
    /// That as a percentage of the first half.
    pub percent: f64,
}

/// How heart rate drifted from the first half of the run (by time, up to `duration / 2`) to
/// the second: at a steady effort, a rise of more than about 5 % is cardiac drift, a sign of
/// heat, dehydration or an effort that was not as easy as it felt. `None` when a half has no
/// reading.
pub fn drift(points: &[Point], duration: Duration) -> Option<Drift> {
    let half = duration / 2;
    let mean = |it: &mut dyn Iterator<Item = &Point>| {
        let (n, sum) = it.fold((0u32, 0f64), |(n, s), p| (n + 1, s + f64::from(p.bpm)));
        (n > 0).then(|| sum / f64::from(n))
    };
    let first = mean(&mut points.iter().filter(|p| p.at < half))?;
    let second = mean(&mut points.iter().filter(|p| p.at >= half))?;
    Some(Drift {
        first_half_bpm: first,
        second_half_bpm: second,
        bpm: second - first,
        percent: (second - first) * 100.0 / first,
    })
}

/// ANSI colour of each zone for the sparkline: grey, blue, green, yellow, orange, red.
const ZONE_ANSI: [&str; Zone::COUNT] = [
    "\x1b[90m",
    "\x1b[34m",
    "\x1b[32m",
    "\x1b[33m",
    "\x1b[38;5;208m",
    "\x1b[31m",
];

/// The least span of heart rate a sparkline's height stands for: a wobble of a few bpm is
/// drawn as the wobble it is, not from the bottom of the line to the top.
pub const SPARK_MIN_SPAN_BPM: u16 = 20;

/// A one-line chart of heart rate, at most `width` characters wide (one per reading at most,
/// so a short run is not drawn as scattered bars): each character is the mean of the readings
/// in its slice of time, its height from the lowest to the highest of the run (over at least
/// [`SPARK_MIN_SPAN_BPM`], centred on the run's); a slice with no reading is a space. With
/// `color`, each character has its zone's colour. [`spark_scale`] says what the height means.
pub fn spark(points: &[Point], zones: &ZoneModel, width: usize, color: bool) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return String::new();
    };
    let width = width.min(points.len()).max(1);
    let span = last.at.saturating_sub(first.at).as_secs_f64().max(1e-9);
    let mut sums = vec![(0u32, 0f64); width];
    for p in points {
        let x = p.at.saturating_sub(first.at).as_secs_f64() / span * (width - 1) as f64;
        let slot = &mut sums[(x.round() as usize).min(width - 1)];
        slot.0 += 1;
        slot.1 += f64::from(p.bpm);
    }
    let (lo, hi) = spark_span(points);
    let range = f64::from(hi - lo).max(1.0);
    let mut out = String::new();
    let mut current: Option<usize> = None;
    for (n, sum) in sums {
        if n == 0 {
            out.push(' ');
            continue;
        }
        let mean = sum / f64::from(n);
        let level = ((mean - f64::from(lo)) / range * 7.0).round() as usize;
        if color {
            let zone = zones.zone(mean.round() as u16).index();
            if current != Some(zone) {
                out.push_str(ZONE_ANSI[zone]);
                current = Some(zone);
            }
        }
        out.push(BARS[level.min(7)]);
    }
    if color && current.is_some() {
        out.push_str("\x1b[0m");
    }
    out
}

/// The heart rate a sparkline's bottom and top stand for: the run's lowest and highest, widened
/// about their middle to [`SPARK_MIN_SPAN_BPM`].
fn spark_span(points: &[Point]) -> (u16, u16) {
    let lo = points.iter().map(|p| p.bpm).min().unwrap_or(0);
    let hi = points.iter().map(|p| p.bpm).max().unwrap_or(0);
    let short = SPARK_MIN_SPAN_BPM.saturating_sub(hi - lo);
    let lo = lo.saturating_sub(short / 2);
    (lo, hi.max(lo + SPARK_MIN_SPAN_BPM))
}

/// The sparkline's scale in words: `138-141 bpm` (the readings' lowest and highest).
pub fn spark_scale(points: &[Point]) -> Option<String> {
    let lo = points.iter().map(|p| p.bpm).min()?;
    let hi = points.iter().map(|p| p.bpm).max()?;
    Some(format!("{lo}-{hi} bpm"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coach::{Coach, CoachConfig};
    use crate::event::{Event, EventKind};

    fn run(events: Vec<Event>) -> Trace {
        let mut coach = Coach::new(CoachConfig::new(185));
        let mut trace = Trace::new();
        for e in events {
            trace.observe(&coach.step(e));
        }
        trace.finish()
    }

    fn bpm(s: u64, bpm: u8) -> Event {
        Event::notification(Duration::from_secs(s), vec![0, bpm])
    }

    fn at(s: u64, kind: EventKind) -> Event {
        Event {
            at: Duration::from_secs(s),
            kind,
        }
    }

    #[test]
    fn gaps_are_named_for_what_made_them() {
        let mut events: Vec<Event> = (0..10).map(|s| bpm(s, 120)).collect();
        events.push(at(10, EventKind::LinkLost));
        events.push(at(20, EventKind::LinkRestored));
        events.extend((20..25).map(|s| bpm(s, 120)));
        events.push(at(26, EventKind::Paused));
        events.push(at(60, EventKind::Resumed));
        events.extend((60..65).map(|s| bpm(s, 120)));
        events.extend((80..85).map(|s| bpm(s, 120))); // 15 s with nothing: quiet
        events.push(at(90, EventKind::Paused)); // never resumed
        let trace = run(events);
        let gaps: Vec<(u64, u64, GapKind)> = trace
            .gaps
            .iter()
            .map(|g| (g.from.as_secs(), g.to.as_secs(), g.kind))
            .collect();
        assert_eq!(
            gaps,
            [
                (10, 20, GapKind::Link),
                (26, 60, GapKind::Pause),
                (64, 80, GapKind::Quiet),
                (90, 90, GapKind::Pause),
            ]
        );
        assert_eq!(trace.points.len(), 25);
    }

    #[test]
    fn drift_compares_the_halves_by_time() {
        let zones = ZoneModel::percent_of_max(185);
        let points: Vec<Point> = (0..100u64)
            .map(|s| {
                let bpm = if s < 50 { 120 } else { 126 };
                Point {
                    at: Duration::from_secs(s),
                    bpm,
                    zone: zones.zone(bpm),
                }
            })
            .collect();
        let d = drift(&points, Duration::from_secs(100));
        assert_eq!(
            d.map(|d| (d.first_half_bpm, d.second_half_bpm, d.bpm)),
            Some((120.0, 126.0, 6.0))
        );
        assert!(d.is_some_and(|d| (d.percent - 5.0).abs() < 1e-9));
        assert_eq!(drift(&points[..10], Duration::from_secs(100)), None);
    }

    fn points(bpms: &[u16]) -> Vec<Point> {
        let zones = ZoneModel::percent_of_max(185);
        (0u64..)
            .zip(bpms)
            .map(|(s, &bpm)| Point {
                at: Duration::from_secs(s),
                bpm,
                zone: zones.zone(bpm),
            })
            .collect()
    }

    #[test]
    fn a_small_wobble_is_drawn_small_and_a_short_run_without_holes() {
        let zones = ZoneModel::percent_of_max(185);
        // 138-141 bpm: within a 20 bpm span, the bars stay near the middle.
        let wobble = points(&[138, 141, 139, 140, 138, 141, 139, 140]);
        let line = spark(&wobble, &zones, 60, false);
        assert_eq!(line.chars().count(), 8, "{line}");
        assert!(line.chars().all(|c| "▃▄▅".contains(c)), "{line}");
        assert_eq!(spark_scale(&wobble).as_deref(), Some("138-141 bpm"));
        // A 14-second run: 14 bars, no gaps between them.
        let short = points(&[120; 14]);
        let line = spark(&short, &zones, 60, false);
        assert_eq!(line.chars().count(), 14, "{line}");
        assert!(!line.contains(' '), "{line}");
    }

    #[test]
    fn the_sparkline_rises_with_heart_rate_and_colours_only_when_asked() {
        let zones = ZoneModel::percent_of_max(185);
        let points: Vec<Point> = (0..80u64)
            .map(|s| {
                let bpm = 100 + s as u16;
                Point {
                    at: Duration::from_secs(s),
                    bpm,
                    zone: zones.zone(bpm),
                }
            })
            .collect();
        let plain = spark(&points, &zones, 8, false);
        assert_eq!(plain, "▁▂▃▄▅▆▇█");
        let coloured = spark(&points, &zones, 8, true);
        assert!(coloured.contains("\x1b[32m") && coloured.contains("\x1b[33m"));
        assert!(coloured.ends_with("\x1b[0m"));
        assert_eq!(spark(&[], &zones, 8, true), "");
    }
}
