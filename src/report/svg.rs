//! A run as an SVG chart: heart rate over time on the zone bands, the cap line, the alerts and
//! the gaps, with axes in mm:ss and bpm.
//!
//! Vector, with a `viewBox`, so it is crisp at any size; plain SVG 1.1 with no script or
//! external reference, so any browser or image viewer shows it. Every part carries a class
//! (`band zone-N`, `hr`, `cap`, `alert`, `gap gap-KIND`, `x-axis`, `y-axis`) so that a test (or
//! a stylesheet) can find it, and each alert and gap a `<title>` that shows on hover.

use std::fmt::Write as _;
use std::time::Duration;

use super::{GapKind, Trace};
use crate::coach::alerts::{Alert, AlertKind};
use crate::coach::zones::{Zone, ZoneModel};
use crate::output::format::{alert_text, clock};
use quick_xml::escape::escape;

const WIDTH: f64 = 960.0;
const HEIGHT: f64 = 360.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 40.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 34.0;

/// Band colours, zone 0 to 5: light enough for the line to stay the thing you see.
const BAND_FILL: [&str; Zone::COUNT] = [
    "#eeeeee", "#d6e6f5", "#d9efd3", "#fbf0c4", "#fddcc0", "#f6c9c9",
];

/// What to draw.
pub struct Plot<'a> {
    /// The heading, e.g. the file and its date.
    pub title: &'a str,
    /// The run.
    pub trace: &'a Trace,
    /// Its zones.
    pub zones: &'a ZoneModel,
    /// The cap, on a sore day.
    pub cap_bpm: Option<u16>,
    /// The alerts given.
    pub alerts: &'a [Alert],
    /// How long the run was.
    pub duration: Duration,
    /// Readings further apart than this are not joined by the line.
    pub max_gap: Duration,
}

/// A tick step in seconds that gives at most about ten ticks.
fn time_step(total_s: f64) -> f64 {
    [
        1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1200.0, 1800.0, 3600.0,
        7200.0,
    ]
    .into_iter()
    .find(|&s| total_s / s <= 10.0)
    .unwrap_or(14_400.0)
}

fn marker_colour(kind: AlertKind) -> &'static str {
    match kind {
        AlertKind::OverCap | AlertKind::Reminder | AlertKind::Walk | AlertKind::Stop => "#1a237e",
        AlertKind::BackUnder | AlertKind::Run => "#2e7d32",
        AlertKind::Creep | AlertKind::TimeUp | AlertKind::Halfway => "#ef6c00",
    }
}

/// What the markers mean, top right.
fn legend(s: &mut String) {
    let mut x = WIDTH - RIGHT - 330.0;
    let _ = write!(s, r#"<g class="legend">"#);
    for (kind, label) in [
        (AlertKind::Creep, "creeping up"),
        (AlertKind::OverCap, "over the cap"),
        (AlertKind::BackUnder, "back under"),
    ] {
        let _ = write!(
            s,
            r##"<circle cx="{x:.1}" cy="14" r="5" fill="#ffffff" stroke="{}" stroke-width="2"/><text x="{:.1}" y="18" fill="#333">{label}</text>"##,
            marker_colour(kind),
            x + 9.0
        );
        x += 110.0;
    }
    s.push_str("</g>\n");
}

/// The chart as SVG text.
pub fn plot(p: &Plot<'_>) -> String {
    let bounds = p.zones.lower_bounds();
    let lo_data = p.trace.points.iter().map(|x| x.bpm).min();
    let hi_data = p.trace.points.iter().map(|x| x.bpm).max();
    let mut lo = lo_data.unwrap_or(bounds[0]).min(bounds[1]);
    let mut hi = hi_data.unwrap_or(bounds[3]).max(bounds[2]);
    if let Some(cap) = p.cap_bpm {
        lo = lo.min(cap);
        hi = hi.max(cap);
    }
    let lo = f64::from(lo.saturating_sub(5) / 10 * 10);
    let hi = f64::from((hi + 14) / 10 * 10);
    let total = p.duration.as_secs_f64().max(1.0);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = |t: Duration| LEFT + t.as_secs_f64() / total * plot_w;
    let y = |bpm: f64| TOP + (hi - bpm.clamp(lo, hi)) / (hi - lo) * plot_h;

    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, "<title>{}</title>", escape(p.title));
    let _ = writeln!(
        s,
        r##"<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>"##
    );
    let _ = writeln!(
        s,
        r##"<text x="{LEFT}" y="18" font-size="14" fill="#222">{}</text>"##,
        escape(p.title)
    );

    // Zone bands.
    for z in 0..Zone::COUNT {
        let band_lo = if z == 0 { lo } else { f64::from(bounds[z - 1]) };
        let band_hi = if z == Zone::COUNT - 1 {
            hi
        } else {
            f64::from(bounds[z])
        };
        let (top, bottom) = (band_hi.min(hi), band_lo.max(lo));
        if top <= bottom {
            continue;
        }
        let _ = writeln!(
            s,
            r#"<rect class="band zone-{z}" x="{LEFT}" y="{:.1}" width="{plot_w}" height="{:.1}" fill="{}"/>"#,
            y(top),
            y(bottom) - y(top),
            BAND_FILL[z]
        );
        let _ = writeln!(
            s,
            r##"<text class="band-label" x="{:.1}" y="{:.1}" fill="#666" dominant-baseline="middle">Z{z}</text>"##,
            WIDTH - RIGHT + 6.0,
            (y(top) + y(bottom)) / 2.0
        );
    }

    // Gaps: no heart rate.
    for g in &p.trace.gaps {
        let (x0, x1) = (x(g.from), x(g.to));
        let what = match g.kind {
            GapKind::Link => "strap link lost",
            GapKind::Pause => "timer paused",
            GapKind::Quiet => "no heart rate",
        };
        let _ = writeln!(
            s,
            r##"<rect class="gap gap-{}" x="{x0:.1}" y="{TOP}" width="{:.1}" height="{plot_h}" fill="#9e9e9e" fill-opacity="0.35"><title>{what}, {} to {}</title></rect>"##,
            g.kind.as_str(),
            (x1 - x0).max(1.0),
            clock(g.from),
            clock(g.to)
        );
    }

    // Axes and grid.
    let _ = writeln!(s, r#"<g class="y-axis">"#);
    let mut bpm = lo;
    while bpm <= hi {
        let _ = writeln!(
            s,
            r##"<line x1="{LEFT}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#ffffff" stroke-width="1"/><text x="{:.1}" y="{:.1}" text-anchor="end" dominant-baseline="middle" fill="#333">{bpm}</text>"##,
            WIDTH - RIGHT,
            y(bpm),
            y(bpm),
            LEFT - 6.0,
            y(bpm)
        );
        bpm += 10.0;
    }
    let _ = writeln!(
        s,
        r##"<text x="14" y="{:.1}" transform="rotate(-90 14 {:.1})" text-anchor="middle" fill="#333">bpm</text></g>"##,
        TOP + plot_h / 2.0,
        TOP + plot_h / 2.0
    );
    let _ = writeln!(s, r#"<g class="x-axis">"#);
    let step = time_step(total);
    let mut t = 0.0;
    while t <= total + 0.5 {
        let at = Duration::from_secs_f64(t);
        let _ = writeln!(
            s,
            r##"<line x1="{0:.1}" x2="{0:.1}" y1="{1:.1}" y2="{2:.1}" stroke="#333"/><text x="{0:.1}" y="{3:.1}" text-anchor="middle" fill="#333">{4}</text>"##,
            x(at),
            TOP + plot_h,
            TOP + plot_h + 5.0,
            TOP + plot_h + 18.0,
            clock(at)
        );
        t += step;
    }
    let _ = writeln!(
        s,
        r##"<line x1="{LEFT}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#333"/></g>"##,
        WIDTH - RIGHT,
        TOP + plot_h,
        TOP + plot_h
    );

    // Heart rate, broken where readings are further apart than the gap the coach allows.
    let mut d = String::new();
    let mut previous: Option<Duration> = None;
    for point in &p.trace.points {
        let joined = previous.is_some_and(|t| point.at.saturating_sub(t) <= p.max_gap);
        let _ = write!(
            d,
            "{}{:.1},{:.1} ",
            if joined { "L" } else { "M" },
            x(point.at),
            y(f64::from(point.bpm))
        );
        previous = Some(point.at);
    }
    let _ = writeln!(
        s,
        r##"<path class="hr" d="{}" fill="none" stroke="#c62828" stroke-width="1.5" stroke-linejoin="round"/>"##,
        d.trim_end()
    );

    // The cap, its label on a white halo so that the trace never hides it.
    if let Some(cap) = p.cap_bpm {
        let cy = y(f64::from(cap));
        let _ = writeln!(
            s,
            r##"<line class="cap" x1="{LEFT}" x2="{:.1}" y1="{cy:.1}" y2="{cy:.1}" stroke="#1a237e" stroke-width="1.5" stroke-dasharray="6 4"/><text class="cap-label" x="{:.1}" y="{:.1}" fill="#1a237e" stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke" font-weight="bold">cap {cap} bpm</text>"##,
            WIDTH - RIGHT,
            LEFT + 4.0,
            cy - 4.0
        );
    }

    // Alerts: over the cap and reminders dark blue, back under green, creep warnings orange.
    for a in p.alerts {
        let _ = writeln!(
            s,
            r##"<g class="alert alert-{}"><circle cx="{:.1}" cy="{:.1}" r="5" fill="#ffffff" stroke="{}" stroke-width="2"/><title>[{}] {}</title></g>"##,
            a.kind.as_str(),
            x(a.at),
            y(f64::from(a.bpm)),
            marker_colour(a.kind),
            clock(a.at),
            escape(alert_text(a))
        );
    }
    if !p.alerts.is_empty() {
        legend(&mut s);
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Gap, Point};

    #[test]
    fn a_short_run_has_ticks_along_its_time_axis() {
        assert_eq!(time_step(14.0), 2.0);
        assert_eq!(time_step(60.0), 10.0);
    }

    #[test]
    fn the_time_axis_has_at_most_about_ten_ticks() {
        assert_eq!(time_step(600.0), 60.0);
        assert_eq!(time_step(3600.0), 600.0);
        assert_eq!(time_step(4.0 * 3600.0), 1800.0);
    }

    #[test]
    fn text_is_escaped() {
        let zones = ZoneModel::percent_of_max(185);
        let trace = Trace {
            points: vec![Point {
                at: Duration::ZERO,
                bpm: 120,
                zone: zones.zone(120),
            }],
            gaps: vec![Gap {
                from: Duration::from_secs(1),
                to: Duration::from_secs(2),
                kind: GapKind::Pause,
            }],
            ..Trace::default()
        };
        let svg = plot(&Plot {
            title: "a <b> & c",
            trace: &trace,
            zones: &zones,
            cap_bpm: None,
            alerts: &[],
            duration: Duration::from_secs(10),
            max_gap: Duration::from_secs(5),
        });
        assert!(svg.contains("a &lt;b&gt; &amp; c"));
        assert!(svg.contains(r#"class="gap gap-pause""#));
        assert!(!svg.contains(r#"class="cap""#));
    }
}
