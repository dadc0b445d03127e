//! A run looked back at, and a week of runs, in words: what `report` prints.

use std::fmt::Write as _;
use std::time::Duration;

use super::analysis::Analysis;
use super::week::Day;
use super::{GapKind, drift, spark, spark_scale};
use crate::coach::zones::Zone;
use crate::output::format::{alert_text, clock, summary_figures};

/// The report of one run: the file and what it is, the sparkline, the summary's figures,
/// drift, gaps, the alerts with their reasons, and the watch's own time in zone.
pub fn run_text(a: &Analysis, color: bool) -> String {
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
    let spark = spark(&a.trace.points, &a.config.zones, 60, color);
    if let (false, Some(scale)) = (spark.is_empty(), spark_scale(&a.trace.points)) {
        let _ = writeln!(t, "  {spark}  {scale}");
    }
    t.push_str(&summary_figures(s, &a.config.zones));
    if let Some(d) = drift(&a.trace.points, s.duration) {
        let _ = write!(
            t,
            "  drift         first half {:.0} bpm, second half {:.0} bpm: ",
            d.first_half_bpm, d.second_half_bpm
        );
        // Under half a bpm either way is no drift, said so (not "-0 bpm (-0.0%)").
        if d.bpm.abs() < 0.5 {
            let _ = writeln!(t, "none");
        } else {
            let _ = writeln!(t, "{:+.0} bpm ({:+.1}%)", d.bpm, d.percent);
        }
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
                alert.kind.reason().words()
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

/// How many gaps of each kind, and how long in all, in that order; kinds without one left out.
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

/// `report --week` as a table: a line a day and the week's total.
pub fn week_text(days: &[Day]) -> String {
    let mut t = String::new();
    t.push_str("Last seven days (running time counted in zones; Z0 is below zone 1)\n");
    t.push_str("  date         runs  running    Z0     Z1     Z2     Z3     Z4     Z5\n");
    for d in days {
        let _ = writeln!(t, "{}", week_line(&d.date.to_string(), d));
    }
    let _ = writeln!(t, "{}", week_line("week", &Day::total(days)));
    t
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
