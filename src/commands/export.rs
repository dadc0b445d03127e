//! `hrcoach export FILE --to fit|tcx|gpx|csv [-o OUT]`: a run through the coach, then written
//! in the format asked for, with the alerts it gave.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;

use super::analysis::analyse;
use crate::cli::{CoachingArgs, ExportArgs, ExportFormat};
use hrcoach::export::{self, Run, Sample};
use hrcoach::report::analysis::{Analysis, Rows};
use hrcoach::store::Store;

/// `hrcoach export`.
///
/// # Errors
/// An unreadable file, bad settings, a format the run cannot be (GPX without positions), or
/// an unwritable output.
pub async fn export(
    profile_path: &Path,
    store: Option<&Store>,
    args: &ExportArgs,
) -> anyhow::Result<()> {
    let profile = super::load_profile(profile_path)?;
    let ext = match args.to {
        ExportFormat::Csv => "csv",
        ExportFormat::Tcx => "tcx",
        ExportFormat::Gpx => "gpx",
        ExportFormat::Fit => "fit",
    };
    // Where it goes is checked before the work, so that a refusal comes first and alone.
    let target = args
        .output
        .clone()
        .unwrap_or_else(|| default_output(&args.file, ext));
    let to_stdout = target.as_os_str() == "-";
    if !to_stdout {
        if hrcoach::files::same_file(&target, &args.file) {
            anyhow::bail!(
                "{} would overwrite the file being exported: pass -o OUT",
                target.display()
            );
        }
        // Never replace a file without being asked: next to a.gpx there may be the watch's
        // own a.fit, and `export a.gpx --to fit` must not destroy it. (Only a file: writing
        // to /dev/null or a fifo replaces nothing.)
        if std::fs::metadata(&target).is_ok_and(|m| m.is_file()) && !args.force {
            anyhow::bail!(
                "{} exists: pass -o OUT to write elsewhere, or --force to replace it",
                target.display()
            );
        }
    }
    // A plain conversion (a file for Strava) needs no max HR: without one the run is written
    // as recorded, without zones or alerts. The coach still judges each reading (a strap's 0
    // or 255 is left out); the top of the plausible range stands in for the max, so that no
    // reading is judged against a max that is too low, and no zone or cap is derived from it.
    let plain = args.coaching.max_hr.is_none()
        && profile.max_hr.is_none()
        && args.coaching.zones.is_none()
        && profile.zones.is_none()
        && !args.coaching.zones_from_file;
    let coaching = if plain {
        CoachingArgs {
            max_hr: Some(*hrcoach::profile::limits::MAX_HR.range.end()),
            zone_model: Some(hrcoach::profile::ZoneModelName::Max),
            sore: false,
            cap_pct: None,
            ..args.coaching.clone()
        }
    } else {
        args.coaching.clone()
    };
    let a = analyse(&args.file, &coaching, &profile, store, Rows::Keep).await?;
    for w in &a.warnings {
        eprintln!("warning: {w}");
    }
    let mut run = run_of(&a);
    if plain {
        run.alerts.clear();
        for s in &mut run.samples {
            s.zone = None;
        }
        eprintln!(
            "no max HR known: written as recorded, without zones or alerts (pass --max-hr BPM, or \
             hrcoach profile set max-hr BPM, to add them)"
        );
    }
    let bytes = match args.to {
        ExportFormat::Csv => export::csv::write(&run).into_bytes(),
        ExportFormat::Tcx => export::tcx::write(&run).into_bytes(),
        ExportFormat::Gpx => export::gpx::write(&run)
            .with_context(|| format!("cannot export {} as GPX", args.file.display()))?
            .into_bytes(),
        ExportFormat::Fit => export::fit::write(&run)?,
    };
    if to_stdout {
        // `-o -`: to stdout, for a pipe (`| gzip`); what was written is said on stderr.
        let mut out = std::io::stdout().lock();
        std::io::Write::write_all(&mut out, &bytes)
            .and_then(|()| std::io::Write::flush(&mut out))
            .context("cannot write to stdout")?;
    } else {
        hrcoach::files::write(&target, &bytes)
            .with_context(|| format!("cannot write {}", target.display()))?;
    }
    eprintln!(
        "{}: {} readings, {} alerts -> {}",
        args.file.display(),
        run.samples.len(),
        run.alerts.len(),
        if to_stdout {
            "stdout".into()
        } else {
            target.display().to_string()
        }
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
    let sport = a
        .activity
        .as_ref()
        .and_then(|x| x.sport)
        .or_else(|| a.header.as_ref()?.imported.as_ref()?.sport)
        .unwrap_or(hrcoach::activity::Sport::Running);
    Run {
        sport,
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
