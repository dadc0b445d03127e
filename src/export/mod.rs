//! Writing a run for the tools runners keep their runs in: FIT, TCX, GPX and CSV, each with
//! the alerts the coach gave.
//!
//! A [`Run`] is what every writer takes: the wall-clock start, each reading as the coach
//! judged it (with a position and distance where a watch file had them), the pauses and the
//! alerts. Writers are pure functions of it; what each format holds, and what it cannot, is in
//! docs/file-formats.md.

pub mod csv;
pub mod fit;
pub mod gpx;
pub mod tcx;

use std::time::Duration;

use crate::activity::{Position, Sport};
use crate::coach::alerts::Alert;
use crate::coach::quality::PLAUSIBLE_BPM;

/// One reading of a run to export.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// Time since the start.
    pub at: Duration,
    /// The bpm the strap or watch gave.
    pub bpm: u16,
    /// Its zone (0-5) when the coach trusted it.
    pub zone: Option<u8>,
    /// Why the coach did not trust it.
    pub rejected: Option<crate::coach::quality::Rejection>,
    /// RR intervals in 1/1024 s.
    pub rr: Vec<u16>,
    /// Where, when known.
    pub position: Option<Position>,
    /// Distance from the start in metres, when known.
    pub distance_m: Option<f64>,
}

impl Sample {
    /// The heart rate to write, if it is one: a 0 or 255 (a strap searching, an uninitialised
    /// sensor) is left out rather than written as a number.
    pub fn heart_rate(&self) -> Option<u8> {
        PLAUSIBLE_BPM
            .contains(&self.bpm)
            .then(|| u8::try_from(self.bpm).ok())
            .flatten()
    }
}

/// A run to export.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Wall-clock time of the start (Unix milliseconds); `None` for a recording without one.
    pub start_ms: Option<i64>,
    /// Readings in time order.
    pub samples: Vec<Sample>,
    /// Timer pauses (from, to).
    pub pauses: Vec<(Duration, Duration)>,
    /// Alerts given.
    pub alerts: Vec<Alert>,
    /// How long the run was.
    pub duration: Duration,
    /// What it was: a watch file's sport is kept (a ride stays a ride); a strap's recording is
    /// a run.
    pub sport: Sport,
}

impl Run {
    /// The start to write: the run's, or the Unix epoch for a recording that has none (said in
    /// the output's notes).
    pub fn start_or_epoch(&self) -> i64 {
        self.start_ms.unwrap_or(0)
    }

    /// Time with the timer running: the duration less the pauses.
    pub fn timer_time(&self) -> Duration {
        let paused: Duration = self.pauses.iter().map(|(a, b)| b.saturating_sub(*a)).sum();
        self.duration.saturating_sub(paused)
    }

    /// Mean and max of the heart rates written.
    pub fn heart_rate_stats(&self) -> Option<(u8, u8)> {
        let rates: Vec<u8> = self.samples.iter().filter_map(Sample::heart_rate).collect();
        let max = *rates.iter().max()?;
        let mean = rates.iter().map(|&r| f64::from(r)).sum::<f64>() / rates.len() as f64;
        Some((mean.round() as u8, max))
    }
}

/// RFC 3339 text of Unix milliseconds, whole seconds unless there are milliseconds.
pub fn rfc3339(unix_ms: i64) -> String {
    jiff::Timestamp::from_millisecond(unix_ms).map_or_else(
        |_| "1970-01-01T00:00:00Z".to_owned(),
        |t| {
            if unix_ms % 1000 == 0 {
                t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
            } else {
                t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
            }
        },
    )
}

/// The alerts as lines of text for a notes field: `[17:09] Over your sore-day cap ...`.
pub fn alert_notes(run: &Run) -> String {
    run.alerts
        .iter()
        .map(|a| {
            format!(
                "[{}] {}",
                crate::output::format::clock(a.at),
                crate::output::format::alert_text(a)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run of readings at these seconds, with positions, and these pauses.
    fn run(seconds: &[u64], pauses: &[(u64, u64)]) -> Run {
        Run {
            sport: Sport::Running,
            start_ms: Some(1_700_000_000_000),
            samples: seconds
                .iter()
                .map(|&s| Sample {
                    at: Duration::from_secs(s),
                    bpm: if s == 1 { 255 } else { 120 },
                    zone: Some(2),
                    rejected: None,
                    rr: Vec::new(),
                    position: Some(Position {
                        lat: 48.0,
                        lon: 11.0,
                    }),
                    distance_m: None,
                })
                .collect(),
            pauses: pauses
                .iter()
                .map(|&(a, b)| (Duration::from_secs(a), Duration::from_secs(b)))
                .collect(),
            alerts: Vec::new(),
            duration: Duration::from_secs(seconds.last().copied().unwrap_or(0)),
        }
    }

    #[test]
    fn two_pauses_between_two_readings_split_once_and_255_is_no_heart_rate() {
        let r = run(&[0, 1, 10], &[(2, 3), (4, 5)]);
        let tcx = tcx::write(&r);
        assert_eq!(tcx.matches("<Track>").count(), 2, "{tcx}");
        assert_eq!(tcx.matches("<HeartRateBpm>").count(), 2);
        let gpx = gpx::write(&r).unwrap_or_default();
        assert_eq!(gpx.matches("<trkseg>").count(), 2, "{gpx}");
        assert_eq!(gpx.matches("<gpxtpx:hr>").count(), 2);
        assert_eq!(r.timer_time(), Duration::from_secs(8));
        assert_eq!(r.heart_rate_stats(), Some((120, 120)));
    }
}
