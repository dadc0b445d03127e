//! `hrcoach report FILE... | --last | --week`: looking back at runs.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::analysis::analyse;
use super::{file_name, need};
use crate::cli::ReportArgs;
use hrcoach::recording::RecordingReader;
use hrcoach::report::analysis::{Analysis, Rows};
use hrcoach::report::json::{ReportJson, WeekJson};
use hrcoach::report::svg;
use hrcoach::report::text::{run_text, week_text};
use hrcoach::report::week::last_seven_days;
use hrcoach::store::Store;

/// The recording that started last (by its header's start, else the file's time).
fn newest(files: Vec<PathBuf>) -> Option<PathBuf> {
    files.into_iter().max_by_key(|p| {
        let start = RecordingReader::open(p).ok().and_then(|r| {
            r.header()?
                .start
                .as_deref()?
                .parse::<jiff::Timestamp>()
                .ok()
        });
        let modified = std::fs::metadata(p)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| jiff::Timestamp::try_from(t).ok());
        start.or(modified)
    })
}

/// `hrcoach report`.
///
/// # Errors
/// No file to report on, an unreadable file, bad settings, or an unwritable plot.
pub async fn report(
    profile_path: &Path,
    store: Option<&Store>,
    args: ReportArgs,
) -> anyhow::Result<()> {
    let profile = super::load_profile(profile_path)?;
    if args.week {
        return week(&args, &profile, need(store)?).await;
    }
    let files = if args.last {
        let store = need(store)?;
        let Some(last) = newest(store.recordings()) else {
            bail!(
                "no recordings in {} yet: run `hrcoach live`, or `hrcoach import FILE` a watch file",
                store.recordings_dir().display()
            );
        };
        vec![last.clone()]
    } else {
        args.files.clone()
    };
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut failed = 0;
    for (i, file) in files.iter().enumerate() {
        let a = match analyse(file, &args.coaching, &profile, store, Rows::Skip).await {
            Ok(a) => a,
            // One file: its error is the answer. Several: say it, and report the others.
            Err(e) if files.len() == 1 => return Err(e),
            Err(e) => {
                eprintln!("error: {e:#}");
                failed += 1;
                continue;
            }
        };
        for w in &a.warnings {
            eprintln!("warning: {w}");
        }
        if args.json {
            outln!("{}", serde_json::to_string(&ReportJson::new(&a))?);
        } else {
            if i > 0 {
                outln!();
            }
            out!("{}", run_text(&a, color));
        }
        if let Some(out) = &args.plot {
            let target = plot_path(out, file, files.len());
            write_plot(&a, &target)?;
            eprintln!("chart: {}", target.display());
        }
    }
    if failed > 0 {
        bail!(
            "{failed} of {} files could not be reported on (see above)",
            files.len()
        );
    }
    Ok(())
}

fn plot_path(out: &Path, file: &Path, count: usize) -> PathBuf {
    if count == 1 {
        return out.to_owned();
    }
    let stem = out
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let name = file
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    out.with_file_name(format!("{stem}-{name}.svg"))
}

fn write_plot(a: &Analysis, target: &Path) -> anyhow::Result<()> {
    let title = match a.header.as_ref().and_then(|h| h.start.clone()) {
        Some(start) => format!("{} - {start}", file_name(&a.path)),
        None => file_name(&a.path),
    };
    let text = svg::plot(&svg::Plot {
        title: &title,
        trace: &a.trace,
        zones: &a.config.zones,
        cap_bpm: a.summary.cap_bpm,
        alerts: &a.summary.alerts,
        duration: a.summary.duration,
        max_gap: a.config.max_gap,
    });
    hrcoach::files::write(target, text.as_bytes())
        .with_context(|| format!("cannot write the chart {}", target.display()))
}

/// `report --week`: the recordings that started in the last seven days, by day.
async fn week(
    args: &ReportArgs,
    profile: &hrcoach::profile::Profile,
    store: &Store,
) -> anyhow::Result<()> {
    let mut days = last_seven_days(super::today_date());
    for path in store.recordings() {
        let Some(date) = RecordingReader::open(&path)
            .ok()
            .and_then(|r| r.header().and_then(|h| h.start_date()))
        else {
            continue;
        };
        let Some(day) = days.iter_mut().find(|d| d.date == date) else {
            continue;
        };
        match analyse(&path, &args.coaching, profile, Some(store), Rows::Skip).await {
            Ok(a) => day.add(&a.summary),
            Err(e) => eprintln!("warning: {e:#}: left out"),
        }
    }
    if args.json {
        outln!("{}", serde_json::to_string(&WeekJson { week: &days })?);
    } else {
        out!("{}", week_text(&days));
    }
    Ok(())
}
