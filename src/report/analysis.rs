//! One run looked back at: a recording or watch file through the session loop as fast as it
//! reads, keeping what `report` and `export` need. The caller settles the coach's settings
//! (the flags, the profile, the file and that day's check-in, as `replay` does), so a report
//! counts exactly as the run was coached.

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::Trace;
use crate::activity::{Activity, Opened};
use crate::coach::quality::Rejection;
use crate::coach::summary::Summary;
use crate::coach::{Coach, CoachConfig, Reading, Update, UpdateKind};
use crate::output::Output;
use crate::recording::Header;
use crate::session::{self, SessionError};
use crate::source::replay::{Pace, Replay};

/// One sample as the coach judged it.
#[derive(Debug, Clone)]
pub struct Row {
    /// Time since the start.
    pub at: Duration,
    /// The bpm the strap or watch gave.
    pub bpm: u16,
    /// The zone, when the reading was trusted.
    pub zone: Option<u8>,
    /// Why it was not trusted.
    pub rejected: Option<Rejection>,
    /// RR intervals in 1/1024 s.
    pub rr: Vec<u16>,
}

/// A run looked back at.
pub struct Analysis {
    /// The file.
    pub path: PathBuf,
    /// Its header (a watch file's is made on import).
    pub header: Option<Header>,
    /// The watch file, when it was one (positions, distance, the watch's own figures).
    pub activity: Option<Activity>,
    /// The settings it was coached with.
    pub config: CoachConfig,
    /// What it added up to.
    pub summary: Summary,
    /// Trusted readings and gaps.
    pub trace: Trace,
    /// Every notification, trusted or not (only when asked for: `export` writes them).
    pub rows: Vec<Row>,
    /// A cut-short last line, if any.
    pub warnings: Vec<String>,
}

/// Whether to keep every notification as a [`Row`] (export does; a report needs only the
/// trace, and a year of files should not copy every reading).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// Keep them.
    Keep,
    /// The trace and the summary are enough.
    Skip,
}

/// The output that keeps the trace, the rows and the warnings.
struct Observe {
    keep: Rows,
    trace: Trace,
    rows: Vec<Row>,
    warnings: Vec<String>,
}

impl Output for Observe {
    fn update(&mut self, u: &Update) -> io::Result<()> {
        if let (
            Rows::Keep,
            UpdateKind::Sample {
                measurement,
                reading,
            },
        ) = (self.keep, &u.kind)
        {
            let (zone, rejected) = match reading {
                Reading::Trusted { zone, .. } => (Some(zone.number()), None),
                Reading::Rejected(r) => (None, Some(*r)),
            };
            self.rows.push(Row {
                at: u.at,
                bpm: measurement.bpm,
                zone,
                rejected,
                rr: measurement.rr.iter().map(|r| r.as_units()).collect(),
            });
        }
        self.trace.observe(u);
        Ok(())
    }

    fn warning(&mut self, message: &str) -> io::Result<()> {
        self.warnings.push(message.to_owned());
        Ok(())
    }

    fn finish(&mut self, _: &Summary) -> io::Result<()> {
        Ok(())
    }
}

/// Runs an opened file through a coach with `config`: the same loop as every run.
///
/// # Errors
/// A recording that cannot be read further.
pub async fn analyse(
    opened: Opened,
    path: &Path,
    config: CoachConfig,
    keep: Rows,
) -> Result<Analysis, SessionError> {
    let header = opened.reader.header().cloned();
    let mut replay = Replay::new(opened.reader, Pace::Fast);
    let mut coach = Coach::new(config.clone());
    let mut out = Observe {
        keep,
        trace: Trace::new(),
        rows: Vec::new(),
        warnings: Vec::new(),
    };
    let summary = session::run(&mut replay, &mut coach, &mut out, std::future::pending()).await?;
    Ok(Analysis {
        path: path.to_owned(),
        header,
        activity: opened.activity,
        config,
        summary,
        trace: out.trace.finish(),
        rows: out.rows,
        warnings: out.warnings,
    })
}
