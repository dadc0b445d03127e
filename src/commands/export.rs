//! `hrcoach export FILE --to fit|tcx|gpx|csv [-o OUT]`: a run through the coach, then written
//! in the format asked for, with the alerts it gave.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;

use super::analysis::{Analysis, Rows, analyse};
use crate::cli::{ExportArgs, ExportFormat};
use hrcoach::export::{self, Run, Sample};

/// `hrcoach export`.
///
/// # Errors
/// An unreadable file, bad settings, a format the run cannot be (GPX without positions), or
/// an unwritable output.
pub fn export(profile_path: &Path, args: &ExportArgs) -> anyhow::Result<()> {
    let profile = super::load_profile(profile_path)?;
    let a = analyse(&args.file, &args.coaching, &profile, Rows::Keep)?;
    for w in &a.warnings {
        eprintln!("warning: {w}");
    }
    let run = run_of(&a);
    let (bytes, ext) = match args.to {
        ExportFormat::Csv => (export::csv::write(&run).into_bytes(), "csv"),
        ExportFormat::Tcx => (export::tcx::write(&run).into_bytes(), "tcx"),
        ExportFormat::Gpx => (
            export::gpx::write(&run)
                .with_context(|| format!("cannot export {} as GPX", args.file.display()))?
                .into_bytes(),
            "gpx",
        ),
        ExportFormat::Fit => (export::fit::write(&run)?, "fit"),
    };
    let target = args
        .output
        .clone()
        .unwrap_or_else(|| default_output(&args.file, ext));
    if target == args.file {
        anyhow::bail!(
            "{} would overwrite the file being exported: pass -o OUT",
            target.display()
        );
    }
    hrcoach::files::write(&target, &bytes)
        .with_context(|| format!("cannot write {}", target.display()))?;
    eprintln!(
        "{}: {} readings, {} alerts -> {}",
        args.file.display(),
        run.samples.len(),
        run.alerts.len(),
        target.display()
    );
    Ok(())
}

fn default_output(file: &Path, ext: &str) -> PathBuf {
    let with = file.with_extension(ext);
    if with == file {
        file.with_extension(format!("hrcoach.{ext}"))
    } else {
        with
    }
}

/// The analysed run as the writers take it: the coach's readings, joined with the watch
/// file's positions and distances by time.
fn run_of(a: &Analysis) -> Run {
    let start_ms = a
        .header
        .as_ref()
        .and_then(|h| h.start.as_deref())
        .and_then(|s| s.parse::<jiff::Timestamp>().ok())
        .map(|t| t.as_millisecond());
    let mut places = a
        .activity
        .as_ref()
        .map(|x| x.samples.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|s| s.position.is_some() || s.distance_m.is_some())
        .peekable();
    let samples = a
        .rows
        .iter()
        .map(|r| {
            let t = u64::try_from(r.at.as_millis()).unwrap_or(u64::MAX);
            // The last position at or before this reading (watch samples are in time order).
            let mut here = None;
            while let Some(p) = places.next_if(|p| p.t_ms <= t) {
                here = Some(p);
            }
            Sample {
                at: r.at,
                bpm: r.bpm,
                zone: r.zone,
                rejected: r.rejected,
                rr: r.rr.clone(),
                position: here.and_then(|p| p.position),
                distance_m: here.and_then(|p| p.distance_m),
            }
        })
        .collect::<Vec<_>>();
    // Positions persist between watch samples: carry the last one forward.
    let samples = carry_forward(samples);
    Run {
        start_ms,
        samples,
        pauses: pauses(&a.trace),
        alerts: a.summary.alerts.clone(),
        duration: a.summary.duration,
    }
}

fn carry_forward(mut samples: Vec<Sample>) -> Vec<Sample> {
    let mut last = None;
    for s in &mut samples {
        match s.position {
            Some(p) => last = Some(p),
            None => s.position = last,
        }
    }
    samples
}

fn pauses(trace: &hrcoach::report::Trace) -> Vec<(Duration, Duration)> {
    trace
        .gaps
        .iter()
        .filter(|g| g.kind == hrcoach::report::GapKind::Pause)
        .map(|g| (g.from, g.to))
        .collect()
}
