//! An output that keeps what calibration needs from a session: the coach's judged readings
//! and the beats behind them. The coach has already judged each reading, so calibration uses
//! exactly the data-quality rules a run does, and the bpm the coach coached from (with missed
//! and extra beats taken out), not the strap's raw value.

use std::io;
use std::time::Duration;

use super::Output;
use crate::calibrate::measures::BpmAt;
use crate::checkins::hrv::RrSegment;
use crate::coach::quality::Rejection;
use crate::coach::summary::Summary;
use crate::coach::{DEFAULT_MAX_GAP, Reading, Update, UpdateKind};

/// Collects what calibration needs.
#[derive(Debug, Default)]
pub struct Collect {
    /// Trusted readings with the bpm the coach coached from, in order.
    pub trusted: Vec<BpmAt>,
    /// RR intervals of every well-formed reading with skin contact, in unbroken runs: a
    /// reading without contact, a malformed one, a lost link or a gap in time ends a run, so
    /// no successive difference spans a hole. Not only the trusted readings: RMSSD is taken
    /// at rest, and [`crate::checkins::hrv`] judges beats by its own artifact rules (and counts
    /// every beat it drops). The running quality gate's rules (20 % from the median, 8 bpm/s,
    /// a dry start) are for a moving runner; at rest they threw away a high-variability
    /// heart's real beats, uncounted.
    pub rr: Vec<RrSegment>,
    /// Beats carried by readings without skin contact (time, how many): not used, but counted
    /// as corrected ([`crate::checkins::hrv::rmssd_with_dropped`]).
    pub dropped: Vec<(Duration, usize)>,
    /// Warnings the source raised.
    pub warnings: Vec<String>,
    /// The summary, once finished.
    pub summary: Option<Summary>,
    /// Time of the last reading while its run of beats is still open.
    open_since: Option<Duration>,
}

impl Output for Collect {
    fn update(&mut self, u: &Update) -> io::Result<()> {
        match &u.kind {
            UpdateKind::Sample {
                measurement,
                reading,
            } if !matches!(reading, Reading::Rejected(Rejection::NoContact)) => {
                if let Reading::Trusted { bpm, .. } = reading {
                    self.trusted.push((u.at, *bpm));
                }
                let continues = self
                    .open_since
                    .is_some_and(|t| u.at.saturating_sub(t) <= DEFAULT_MAX_GAP);
                if !continues {
                    self.rr.push(RrSegment::default());
                }
                if let Some(segment) = self.rr.last_mut() {
                    segment.push(u.at, &measurement.rr);
                }
                self.open_since = Some(u.at);
            }
            UpdateKind::Sample { measurement, .. } => {
                if !measurement.rr.is_empty() {
                    self.dropped.push((u.at, measurement.rr.len()));
                }
                self.open_since = None;
            }
            UpdateKind::Battery(_) | UpdateKind::LinkRestored => {}
            // No skin contact, a malformed reading or a lost link: the beats around it are not
            // successive.
            _ => self.open_since = None,
        }
        Ok(())
    }

    fn warning(&mut self, message: &str) -> io::Result<()> {
        self.warnings.push(message.to_owned());
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.summary = Some(summary.clone());
        Ok(())
    }
}
