//! An output that keeps the trusted readings and RR intervals of a session, for the
//! calibration estimators. The coach has already judged each reading, so calibration uses
//! exactly the data-quality rules a run does.

use std::io;

use super::Output;
use crate::coach::calibration::Reading;
use crate::coach::measurement::RrInterval;
use crate::coach::summary::Summary;
use crate::coach::{Reading as Judged, Update, UpdateKind};

/// Collects what calibration needs.
#[derive(Debug, Default)]
pub struct Collect {
    /// Trusted readings, in order.
    pub trusted: Vec<Reading>,
    /// RR intervals of trusted readings, in order.
    pub rr: Vec<RrInterval>,
    /// Warnings the source raised.
    pub warnings: Vec<String>,
    /// The summary, once finished.
    pub summary: Option<Summary>,
}

impl Output for Collect {
    fn update(&mut self, u: &Update) -> io::Result<()> {
        if let UpdateKind::Sample {
            measurement,
            reading: Judged::Trusted { .. },
        } = &u.kind
        {
            self.trusted.push((u.at, measurement.bpm));
            self.rr.extend_from_slice(&measurement.rr);
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
