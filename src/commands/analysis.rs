//! One run through the coach, synchronously, keeping what `report` and `export` look back at.
//!
//! The same coach as `replay` (settings from the flags, the profile, the file and that day's
//! check-in), without pacing or output: a report counts exactly as the run was coached.

use std::path::{Path, PathBuf};

use hrcoach::activity::{Activity, open_session};
use hrcoach::coach::summary::Summary;
use hrcoach::coach::{Coach, CoachConfig, Reading, UpdateKind};
use hrcoach::profile::Profile;
use hrcoach::recording::{Header, Item};
use hrcoach::report::Trace;
use hrcoach::store::Store;

use crate::cli::CoachingArgs;

/// One sample as the coach judged it.
#[derive(Debug, Clone)]
pub struct Row {
    /// Time since the start.
    pub at: std::time::Duration,
    /// The bpm the strap or watch gave.
    pub bpm: u16,
    /// The zone, when the reading was trusted.
    pub zone: Option<u8>,
    /// Why it was not trusted.
    pub rejected: Option<&'static str>,
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

/// Runs `path` through the coach.
///
/// # Errors
/// An unreadable file or bad settings.
pub fn analyse(
    path: &Path,
    args: &CoachingArgs,
    profile: &Profile,
    store: Option<&Store>,
    keep: Rows,
) -> anyhow::Result<Analysis> {
    let opened = open_session(path)?;
    let mut reader = opened.reader;
    let header = reader.header().cloned();
    let mut config = super::session_config(args, profile, path, header.as_ref())?;
    let date = header
        .as_ref()
        .and_then(Header::start_date)
        .unwrap_or_else(super::today_date);
    let prefix = format!("{}: ", path.display());
    super::apply_check_in(args, profile, &mut config, store, date, &prefix)?;
    let mut coach = Coach::new(config.clone());
    let mut trace = Trace::new();
    let mut rows = Vec::new();
    let mut warnings = Vec::new();
    while let Some(item) = reader.next_item()? {
        match item {
            Item::Event(event) => {
                let u = coach.step(event);
                if let (
                    Rows::Keep,
                    UpdateKind::Sample {
                        measurement,
                        reading,
                    },
                ) = (keep, &u.kind)
                {
                    let (zone, rejected) = match reading {
                        Reading::Trusted { zone, .. } => (Some(zone.number()), None),
                        Reading::Rejected(r) => (None, Some(r.as_str())),
                    };
                    rows.push(Row {
                        at: u.at,
                        bpm: measurement.bpm,
                        zone,
                        rejected,
                        rr: measurement.rr.iter().map(|r| r.as_units()).collect(),
                    });
                }
                trace.observe(&u);
            }
            Item::Truncated { line } => warnings.push(format!(
                "{}:{line}: last line is cut short (the recorder stopped mid-write); read up to the line before",
                path.display()
            )),
            Item::Alert { .. } => {}
        }
    }
    Ok(Analysis {
        path: path.to_owned(),
        header,
        activity: opened.activity,
        config,
        summary: coach.summary(),
        trace: trace.finish(),
        rows,
        warnings,
    })
}
