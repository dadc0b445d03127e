//! `hrcoach report FILE... | --last | --week` and `hrcoach import FILE...`: looking back.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use serde::Serialize;

use super::analysis::{Analysis, Rows, analyse};
use crate::cli::{ImportArgs, ReportArgs};
use hrcoach::activity;
use hrcoach::coach::zones::Zone;
use hrcoach::event::seconds;
use hrcoach::output::format::{alert_text, clock, summary_text};
use hrcoach::output::json::SummaryBody;
use hrcoach::recording::RecordingReader;
use hrcoach::report::{self, GapKind, svg};
use hrcoach::store::Store;

/// The data folder, for the commands that read or store its recordings.
fn need(store: Option<&Store>) -> anyhow::Result<&Store> {
    store.context("no data directory on this system: name the files")
}

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
pub fn report(profile_path: &Path, store: Option<&Store>, args: ReportArgs) -> anyhow::Result<()> {
    let profile = super::load_profile(profile_path)?;
    if args.week {
        return week(&args, &profile, need(store)?);
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
        let a = match analyse(file, &args.coaching, &profile, store, Rows::Skip) {
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
            out!("{}", text(&a, color));
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

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The report of one run as text.
fn text(a: &Analysis, color: bool) -> String {
    let mut t = String::new();
    let s = &a.summary;
    let mut about = Vec::new();
    if let Some(i) = a.header.as_ref().and_then(|h| h.imported.as_ref()) {
        about.push(i.format.as_str().to_uppercase());
        if let Some(d) = &i.device {
            about.push(d.clone());
        }
    }
    if let Some(start) = a.header.as_ref().and_then(|h| h.start.clone()) {
        about.push(start);
    }
    let _ = writeln!(t, "{} ({})", a.path.display(), about.join(", "));
    let spark = report::spark(&a.trace.points, &a.config.zones, 60, color);
    if !spark.is_empty() {
        let _ = writeln!(t, "  {spark}");
    }
    // The summary's own lines, as replay ends with them; the alerts come below, with reasons.
    let mut in_alerts = false;
    for line in summary_text(s, &a.config.zones).lines().skip(1) {
        in_alerts = line.starts_with("  alerts") || (in_alerts && line.starts_with("    "));
        if !in_alerts {
            let _ = writeln!(t, "{line}");
        }
    }
    if let Some(d) = report::drift(&a.trace.points, s.duration) {
        let _ = writeln!(
            t,
            "  drift         first half {:.0} bpm, second half {:.0} bpm: {:+.0} bpm ({:+.1}%)",
            d.first_half_bpm, d.second_half_bpm, d.bpm, d.percent
        );
    }
    let gaps = gap_totals(a);
    if !gaps.is_empty() {
        let parts: Vec<String> = gaps
            .iter()
            .map(|(kind, n, total)| {
                let what = match kind {
                    GapKind::Link => "link lost",
                    GapKind::Pause => "paused",
                    GapKind::Quiet => "no heart rate",
                };
                format!("{what} {n}x ({})", clock(*total))
            })
            .collect();
        let _ = writeln!(t, "  gaps          {}", parts.join(", "));
    }
    if !s.alerts.is_empty() {
        let _ = writeln!(t, "  alerts");
        for alert in &s.alerts {
            let _ = writeln!(
                t,
                "    [{}] {} ({})",
                clock(alert.at),
                alert_text(alert),
                alert.kind.reason().as_str()
            );
        }
    }
    if let Some(w) = a
        .activity
        .as_ref()
        .and_then(|x| x.watch_time_in_zone.as_ref())
    {
        let secs: Vec<String> = w
            .seconds
            .iter()
            .take(Zone::COUNT)
            .map(|s| format!("{s:.0}"))
            .collect();
        let _ = writeln!(
            t,
            "  the watch     counted {} s in zones 0-5, with its bounds {} (--zones-from-file uses them)",
            secs.join("/"),
            w.zones.lower_bounds.map(|b| b.to_string()).join("/")
        );
    }
    t
}

fn gap_totals(a: &Analysis) -> Vec<(GapKind, usize, Duration)> {
    [GapKind::Link, GapKind::Pause, GapKind::Quiet]
        .into_iter()
        .filter_map(|kind| {
            let of_kind = a.trace.gaps.iter().filter(|g| g.kind == kind);
            let n = of_kind.clone().count();
            let total = of_kind.map(|g| g.to.saturating_sub(g.from)).sum();
            (n > 0).then_some((kind, n, total))
        })
        .collect()
}

#[derive(Serialize)]
struct DriftJson {
    first_half_bpm: f64,
    second_half_bpm: f64,
    bpm: f64,
    percent: f64,
}

#[derive(Serialize)]
struct GapJson {
    from_s: f64,
    to_s: f64,
    kind: &'static str,
}

#[derive(Serialize)]
struct WatchJson {
    zone_lower_bounds: [u16; 5],
    method: String,
    seconds: Vec<f64>,
}

/// `report --json`: one object per run.
#[derive(Serialize)]
struct ReportJson {
    file: String,
    start: Option<String>,
    format: &'static str,
    summary: SummaryBody,
    drift: Option<DriftJson>,
    gaps: Vec<GapJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    watch_time_in_zone: Option<WatchJson>,
}

impl ReportJson {
    fn new(a: &Analysis) -> Self {
        ReportJson {
            file: a.path.display().to_string(),
            start: a.header.as_ref().and_then(|h| h.start.clone()),
            format: a
                .header
                .as_ref()
                .and_then(|h| h.imported.as_ref())
                .map_or("recording", |i| i.format.as_str()),
            summary: SummaryBody::new(&a.summary, &a.config.zones),
            drift: report::drift(&a.trace.points, a.summary.duration).map(|d| DriftJson {
                first_half_bpm: (d.first_half_bpm * 10.0).round() / 10.0,
                second_half_bpm: (d.second_half_bpm * 10.0).round() / 10.0,
                bpm: (d.bpm * 10.0).round() / 10.0,
                percent: (d.percent * 10.0).round() / 10.0,
            }),
            gaps: a
                .trace
                .gaps
                .iter()
                .map(|g| GapJson {
                    from_s: seconds(g.from),
                    to_s: seconds(g.to),
                    kind: g.kind.as_str(),
                })
                .collect(),
            watch_time_in_zone: a
                .activity
                .as_ref()
                .and_then(|x| x.watch_time_in_zone.as_ref())
                .map(|w| WatchJson {
                    zone_lower_bounds: w.zones.lower_bounds,
                    method: w.zones.method.clone(),
                    seconds: w.seconds.clone(),
                }),
        }
    }
}

/// One day of `--week`.
#[derive(Debug, Default, Serialize)]
struct Day {
    date: String,
    sessions: u32,
    running_s: f64,
    time_in_zone_s: [f64; Zone::COUNT],
}

/// `report --week`: the recordings that started in the last seven days, by day.
fn week(
    args: &ReportArgs,
    profile: &hrcoach::profile::Profile,
    store: &Store,
) -> anyhow::Result<()> {
    let today: jiff::civil::Date = super::today().parse()?;
    let mut days: Vec<Day> = (0..7)
        .rev()
        .map(|back| Day {
            date: today
                .checked_sub(jiff::Span::new().days(back))
                .map_or_else(|_| String::new(), |d| d.to_string()),
            ..Day::default()
        })
        .collect();
    for path in store.recordings() {
        let Some(date) = RecordingReader::open(&path)
            .ok()
            .and_then(|r| r.header().and_then(|h| h.start_date()))
        else {
            continue;
        };
        let Some(day) = days.iter_mut().find(|d| d.date == date.to_string()) else {
            continue;
        };
        let a = match analyse(&path, &args.coaching, profile, Some(store), Rows::Skip) {
            Ok(a) => a,
            Err(e) => {
                eprintln!("warning: {e:#}: left out");
                continue;
            }
        };
        day.sessions += 1;
        day.running_s += seconds(a.summary.counted);
        for (sum, t) in day.time_in_zone_s.iter_mut().zip(a.summary.time_in_zone) {
            *sum += seconds(t);
        }
    }
    if args.json {
        outln!(
            "{}",
            serde_json::to_string(&serde_json::json!({ "week": days }))?
        );
        return Ok(());
    }
    outln!("Last seven days (running time counted in zones; Z0 is below zone 1)");
    outln!("  date         runs  running    Z0     Z1     Z2     Z3     Z4     Z5");
    let mut total = Day::default();
    for d in &days {
        outln!("{}", week_line(&d.date, d));
        total.sessions += d.sessions;
        total.running_s += d.running_s;
        for (sum, t) in total.time_in_zone_s.iter_mut().zip(d.time_in_zone_s) {
            *sum += t;
        }
    }
    outln!("{}", week_line("week", &total));
    Ok(())
}

fn week_line(label: &str, d: &Day) -> String {
    let c = |s: f64| clock(Duration::from_secs_f64(s.max(0.0)));
    let zones: Vec<String> = d
        .time_in_zone_s
        .iter()
        .map(|&s| format!("{:>6}", c(s)))
        .collect();
    format!(
        "  {label:<11} {:>4}  {:>7} {}",
        d.sessions,
        c(d.running_s),
        zones.join(" ")
    )
}

/// `hrcoach import`: each file to a recording, going on past the bad ones.
///
/// # Errors
/// Any file that failed (after trying them all), or an unusable directory.
pub fn import(store: Option<&Store>, args: &ImportArgs) -> anyhow::Result<()> {
    let dir = match &args.dir {
        Some(d) => d.clone(),
        None => need(store)?.recordings_dir(),
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut failed = 0;
    for file in &args.files {
        match import_one(file, &dir) {
            Ok(line) => eprintln!("{line}"),
            Err(e) => {
                failed += 1;
                eprintln!("error: {e:#}");
            }
        }
    }
    if failed > 0 {
        bail!(
            "{failed} of {} files not imported (see above)",
            args.files.len()
        );
    }
    Ok(())
}

fn import_one(file: &Path, dir: &Path) -> anyhow::Result<String> {
    let a = activity::read(file)?;
    let name = file_name(file);
    let stamp = a.start.map_or_else(
        || "undated".to_owned(),
        |t| {
            t.to_zoned(jiff::tz::TimeZone::system())
                .strftime("%Y-%m-%dT%H-%M-%S")
                .to_string()
        },
    );
    let stem = file
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let target = dir.join(format!("{stamp}-{stem}.jsonl"));
    let mut text = Vec::new();
    activity::to_recording(&a, &name, &mut text)?;
    hrcoach::files::write(&target, &text)
        .with_context(|| format!("cannot write {}", target.display()))?;
    let samples = a.heart_rate_samples().count();
    let rr: usize = a.samples.iter().map(|s| s.rr.len()).sum();
    let mut what = format!(
        "{}: {} {} samples",
        file.display(),
        a.format.as_str().to_uppercase(),
        samples
    );
    if rr > 0 {
        let _ = write!(what, ", {rr} RR intervals");
    }
    if !a.pauses.is_empty() {
        let n = a.pauses.len();
        let _ = write!(what, ", {n} pause{}", if n == 1 { "" } else { "s" });
    }
    if let Some(z) = &a.zones {
        let _ = write!(
            what,
            ", zones {} ({})",
            z.lower_bounds.map(|b| b.to_string()).join("/"),
            z.method
        );
    }
    let _ = write!(what, " -> {}", target.display());
    Ok(what)
}
