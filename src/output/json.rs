//! `--json`: one JSON object per line on stdout, for scripts.
//!
//! The objects are specified field by field in docs/json-output.md; scripts depend on them, so
//! a field is never renamed or removed within a format version. The shapes are declared here,
//! apart from the coach's own types, so that a refactoring of the core cannot change the
//! output by accident.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::Output;
use super::format::{alert_text, notice_text};
use crate::coach::alerts::{Alert, AlertKind};
use crate::coach::quality::Rejection;
use crate::coach::summary::Summary;
use crate::coach::zones::ZoneModel;
use crate::coach::{Notice, Reading, Update, UpdateKind};
use crate::event::seconds;
use crate::recording::AlertFigures;

/// Writes JSON Lines to any `Write` (stdout in the CLI).
pub struct JsonLines<W: Write> {
    out: W,
    zones: ZoneModel,
}

impl<W: Write> JsonLines<W> {
    /// JSON output for a run with these zones.
    pub fn new(out: W, zones: ZoneModel) -> Self {
        JsonLines { out, zones }
    }

    fn line<T: Serialize>(&mut self, value: &T) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, value)?;
        self.out.write_all(b"\n")
    }
}

#[derive(Serialize)]
struct SampleLine<'a> {
    t_ms: u128,
    bpm: u16,
    zone: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pct_max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    over_cap: Option<bool>,
    contact: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rejected: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    coached_bpm: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    energy_kj: Option<u16>,
    rr: Vec<u16>,
}

#[derive(Serialize)]
struct MalformedLine<'a> {
    t_ms: u128,
    malformed: &'a str,
    error: String,
}

#[derive(Serialize)]
struct BatteryLine {
    t_ms: u128,
    battery: u8,
}

#[derive(Serialize)]
struct LinkLine {
    t_ms: u128,
    link: &'static str,
}

#[derive(Serialize)]
struct TimerLine {
    t_ms: u128,
    timer: &'static str,
}

/// An alert line: the recording's [`AlertFigures`] with the time, the kind and the words.
#[derive(Debug, Serialize)]
struct AlertLine {
    t_ms: u128,
    alert: AlertKind,
    #[serde(flatten)]
    figures: AlertFigures,
    message: String,
}

impl From<&Alert> for AlertLine {
    fn from(a: &Alert) -> Self {
        AlertLine {
            t_ms: a.at.as_millis(),
            alert: a.kind,
            figures: AlertFigures::from(a),
            message: alert_text(a),
        }
    }
}

#[derive(Serialize)]
struct NoticeLine {
    t_ms: u128,
    notice: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gap_s: Option<f64>,
    message: String,
}

impl SummaryBody {
    /// The summary object of `s` under `zones`.
    pub fn new(s: &Summary, zones: &ZoneModel) -> Self {
        SummaryBody {
            duration_s: seconds(s.duration),
            counted_s: seconds(s.counted),
            time_in_zone_s: s.time_in_zone.map(seconds),
            over_cap_s: seconds(s.over_cap),
            mean_bpm: s.mean_bpm.map(|m| (m * 10.0).round() / 10.0),
            max_bpm: s.max_bpm,
            alerts: s.alerts.len(),
            alert_log: s.alerts.iter().map(AlertLine::from).collect(),
            notifications: s.notifications,
            trusted: s.trusted,
            rejected: Rejection::ALL
                .iter()
                .map(|r| (r.as_str(), s.rejected[r.index()]))
                .collect(),
            malformed: s.malformed,
            stale_gaps: s.stale_gaps,
            stale_s: seconds(s.stale),
            suppressed_alerts: s.suppressed_alerts,
            link_losses: s.link_losses,
            pauses: s.pauses,
            battery: s.battery,
            max_hr: zones.max_hr(),
            zone_lower_bounds: zones.lower_bounds(),
            cap_bpm: s.cap_bpm,
        }
    }
}

/// The summary object of a run: the `summary` of replay's last JSON line, and of `report
/// --json` (docs/json-output.md).
#[derive(Debug, Serialize)]
pub struct SummaryBody {
    duration_s: f64,
    counted_s: f64,
    time_in_zone_s: [f64; 6],
    over_cap_s: f64,
    mean_bpm: Option<f64>,
    max_bpm: Option<u16>,
    alerts: usize,
    alert_log: Vec<AlertLine>,
    notifications: u64,
    trusted: u64,
    rejected: BTreeMap<&'static str, u64>,
    malformed: u64,
    stale_gaps: u64,
    stale_s: f64,
    suppressed_alerts: u64,
    link_losses: u64,
    pauses: u64,
    battery: Option<u8>,
    max_hr: u16,
    zone_lower_bounds: [u16; 5],
    cap_bpm: Option<u16>,
}

#[derive(Serialize)]
struct SummaryLine {
    summary: SummaryBody,
}

#[derive(Serialize)]
struct WarningLine<'a> {
    warning: &'a str,
}

impl<W: Write> Output for JsonLines<W> {
    fn update(&mut self, u: &Update) -> io::Result<()> {
        let t_ms = u.at.as_millis();
        match &u.kind {
            UpdateKind::Sample {
                measurement: m,
                reading,
            } => {
                let (zone, pct_max, over_cap, rejected, coached) = match reading {
                    Reading::Trusted {
                        bpm,
                        zone,
                        percent_of_max,
                        over_cap,
                    } => (
                        Some(zone.number()),
                        Some((percent_of_max * 10.0).round() / 10.0),
                        Some(*over_cap),
                        None,
                        (*bpm != m.bpm).then_some(*bpm),
                    ),
                    Reading::Rejected(r) => (None, None, None, Some(r.as_str()), None),
                };
                self.line(&SampleLine {
                    t_ms,
                    bpm: m.bpm,
                    zone,
                    pct_max,
                    over_cap,
                    contact: m.contact.as_str(),
                    rejected,
                    coached_bpm: coached,
                    energy_kj: m.energy_kj,
                    rr: m.rr.iter().map(|r| r.as_units()).collect(),
                })?;
            }
            UpdateKind::Malformed(e) => self.line(&MalformedLine {
                t_ms,
                malformed: e.as_str(),
                error: e.to_string(),
            })?,
            UpdateKind::Battery(p) => self.line(&BatteryLine { t_ms, battery: *p })?,
            UpdateKind::LinkLost => self.line(&LinkLine { t_ms, link: "lost" })?,
            UpdateKind::LinkRestored => self.line(&LinkLine {
                t_ms,
                link: "restored",
            })?,
            UpdateKind::Paused => self.line(&TimerLine {
                t_ms,
                timer: "paused",
            })?,
            UpdateKind::Resumed => self.line(&TimerLine {
                t_ms,
                timer: "resumed",
            })?,
        }
        for n in &u.notices {
            self.line(&NoticeLine {
                t_ms,
                notice: n.as_str(),
                reason: match n {
                    Notice::Unreliable(r) => Some(r.as_str()),
                    _ => None,
                },
                gap_s: match n {
                    Notice::StaleGap(g) => Some(seconds(*g)),
                    _ => None,
                },
                message: notice_text(n),
            })?;
        }
        if let Some(a) = &u.alert {
            self.line(&AlertLine::from(a))?;
        }
        Ok(())
    }

    fn warning(&mut self, message: &str) -> io::Result<()> {
        // On stdout too, as an object, so that a script sees it in order; and on stderr for
        // the person running the script.
        eprintln!("warning: {message}");
        self.line(&WarningLine { warning: message })
    }

    fn finish(&mut self, s: &Summary) -> io::Result<()> {
        let summary = SummaryBody::new(s, &self.zones);
        self.line(&SummaryLine { summary })?;
        self.out.flush()
    }
}
