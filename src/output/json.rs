//! `--json`: one JSON object per line on stdout, for scripts.
//!
//! The objects are specified field by field in docs/json-output.md; scripts depend on them, so
//! a field is never renamed or removed within a format version. The shapes are declared here,
//! apart from the coach's own types, so that a refactoring of the core cannot change the
//! output by accident.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::time::Duration;

use serde::Serialize;

use super::Output;
use super::format::{alert_text, answer_text, notice_text, question_text, start_text};
use crate::coach::alerts::{Alert, AlertKind};
use crate::coach::answer::Answer;
use crate::coach::plan::RunWalkWhy;
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
    strap: Option<String>,
}

impl<W: Write> JsonLines<W> {
    /// JSON output for a run with these zones.
    pub fn new(out: W, zones: ZoneModel) -> Self {
        JsonLines {
            out,
            zones,
            strap: None,
        }
    }

    /// Every line also carries `"strap": id` (its address), for a stream that mixes the runs
    /// of several straps. Without it the lines are as docs/json-output.md shows them.
    #[must_use]
    pub fn for_strap(mut self, id: &str) -> Self {
        self.strap = Some(id.to_owned());
        self
    }

    fn line<T: Serialize>(&mut self, value: &T) -> io::Result<()> {
        match &self.strap {
            None => serde_json::to_writer(&mut self.out, value)?,
            Some(strap) => serde_json::to_writer(&mut self.out, &Tagged { strap, line: value })?,
        }
        self.out.write_all(b"\n")
    }
}

/// A line with the strap it came from, first.
#[derive(Serialize)]
struct Tagged<'a, T> {
    strap: &'a str,
    #[serde(flatten)]
    line: &'a T,
}

/// A notification that parsed.
#[derive(Serialize)]
pub struct SampleLine<'a> {
    /// Milliseconds since the start.
    pub t_ms: u128,
    /// The bpm the strap sent.
    pub bpm: u16,
    /// Its zone (0-5), when trusted.
    pub zone: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// % of max HR, when trusted.
    pub pct_max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Over the cap, on a sore day.
    pub over_cap: Option<bool>,
    /// `detected`, `not_detected` or `unsupported`.
    pub contact: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Why it was not trusted.
    pub rejected: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The bpm coached from, when beats were taken out.
    pub coached_bpm: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Energy expended, when sent.
    pub energy_kj: Option<u16>,
    /// RR intervals in 1/1024 s.
    pub rr: Vec<u16>,
}

/// A notification that did not parse.
#[derive(Serialize)]
pub struct MalformedLine<'a> {
    /// Milliseconds since the start.
    pub t_ms: u128,
    /// What was wrong, as a stable name.
    pub malformed: &'a str,
    /// What was wrong, in words.
    pub error: String,
}

/// The strap's battery level.
#[derive(Serialize)]
pub struct BatteryLine {
    /// Milliseconds since the start.
    pub t_ms: u128,
    /// Percent.
    pub battery: u8,
}

/// The link to the strap.
#[derive(Serialize)]
pub struct LinkLine {
    /// Milliseconds since the start.
    pub t_ms: u128,
    /// `lost` or `restored`.
    pub link: &'static str,
}

/// The runner's timer.
#[derive(Serialize)]
pub struct TimerLine {
    /// Milliseconds since the start.
    pub t_ms: u128,
    /// `paused` or `resumed`.
    pub timer: &'static str,
}

/// An alert line: the recording's [`AlertFigures`] with the time, the kind and the words.
#[derive(Debug, Serialize)]
pub struct AlertLine {
    /// Milliseconds since the start.
    pub t_ms: u128,
    /// The kind.
    pub alert: AlertKind,
    #[serde(flatten)]
    /// What the alert was about, in figures.
    pub figures: AlertFigures,
    /// What the runner hears.
    pub message: String,
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

/// The plan, said at the start of the run.
#[derive(Serialize)]
pub struct PlanLine {
    /// Milliseconds since the start.
    pub t_ms: u128,
    /// The plan.
    pub plan: PlanBody,
    /// In words.
    pub message: String,
}

/// What a [`PlanLine`] says.
#[derive(Serialize)]
pub struct PlanBody {
    /// The cap, on a sore day.
    pub cap_bpm: Option<u16>,
    /// The plan's time, seconds.
    pub plan_s: Option<f64>,
    /// "Turn around" at half the time.
    pub out_and_back: bool,
    /// `asked` (--run-walk), `low_cap`, or null.
    pub run_walk: Option<&'static str>,
    /// When the warm-up check is asked, seconds.
    pub check_at_s: Option<f64>,
}

/// The coach asks the runner something (the warm-up check).
#[derive(Serialize)]
pub struct QuestionLine {
    /// Milliseconds since the start.
    pub t_ms: u128,
    /// What is asked: `soreness_eased`.
    pub question: &'static str,
    /// 1 the first time, 2 the second.
    pub attempt: u8,
    /// The answers it takes.
    pub answers: [&'static str; 3],
    /// In words.
    pub message: String,
}

/// The runner answered.
#[derive(Serialize)]
pub struct AnswerLine {
    /// Milliseconds since the start.
    pub t_ms: u128,
    /// `eased`, `same` or `worse`.
    pub answer: &'static str,
    /// Whether it changed the run (a second answer may not).
    pub acted: bool,
    /// The cap after it.
    pub cap_bpm: Option<u16>,
    /// The plan's time after it, seconds.
    pub plan_s: Option<f64>,
    /// What the coach makes of it.
    pub message: String,
}

/// Something about the data, not the heart rate.
#[derive(Serialize)]
pub struct NoticeLine {
    /// Milliseconds since the start.
    pub t_ms: u128,
    /// `unreliable`, `reliable` or `stale`.
    pub notice: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The most common reason, for `unreliable`.
    pub reason: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The gap, for `stale`.
    pub gap_s: Option<f64>,
    /// In words.
    pub message: String,
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
            link_down_s: seconds(s.link_down),
            pauses: s.pauses,
            battery: s.battery,
            max_hr: zones.max_hr(),
            zone_lower_bounds: zones.lower_bounds(),
            cap_bpm: s.cap_bpm,
            walk_breaks: s.run_walk.map_or(0, |r| r.walk_breaks),
            walk_s: seconds(s.run_walk.map_or(Duration::ZERO, |r| r.walk)),
            run_s: s.run_walk.map(|r| seconds(r.run)),
            longest_run_s: s.run_walk.map(|r| seconds(r.longest_run)),
            warm_up_check: s.warm_up_check.map(|c| c.as_str()),
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
    link_down_s: f64,
    pauses: u64,
    battery: Option<u8>,
    max_hr: u16,
    zone_lower_bounds: [u16; 5],
    cap_bpm: Option<u16>,
    walk_breaks: u32,
    walk_s: f64,
    run_s: Option<f64>,
    longest_run_s: Option<f64>,
    warm_up_check: Option<&'static str>,
}

/// The last line of a run.
#[derive(Serialize)]
pub struct SummaryLine {
    /// What the run added up to.
    pub summary: SummaryBody,
}

/// Something the user should know that does not stop the run.
#[derive(Serialize)]
pub struct WarningLine<'a> {
    /// In words.
    pub warning: &'a str,
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
            UpdateKind::Answered(a) => self.line(&AnswerLine {
                t_ms,
                answer: a.answer.as_str(),
                acted: a.acted,
                cap_bpm: a.cap_bpm,
                plan_s: a.time.map(seconds),
                message: answer_text(a),
            })?,
        }
        // After the event's own line, so that the first line of a run is still its first
        // event.
        if let Some(s) = &u.start {
            self.line(&PlanLine {
                t_ms,
                plan: PlanBody {
                    cap_bpm: s.cap_bpm,
                    plan_s: s.time.map(seconds),
                    out_and_back: s.out_and_back,
                    run_walk: s.run_walk.map(|w| match w {
                        RunWalkWhy::Asked => "asked",
                        RunWalkWhy::LowCap => "low_cap",
                    }),
                    check_at_s: s.check_at.map(seconds),
                },
                message: start_text(s).join(" "),
            })?;
        }
        if let Some(q) = &u.question {
            self.line(&QuestionLine {
                t_ms,
                question: "soreness_eased",
                attempt: q.attempt,
                answers: Answer::ALL.map(Answer::as_str),
                message: question_text(q),
            })?;
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

/// `scan --json`: one strap in range (fields in name order, as first written).
#[derive(Debug, Serialize)]
pub struct StrapLine<'a> {
    /// Its Bluetooth address.
    pub address: &'a str,
    /// The name it advertises.
    pub name: Option<&'a str>,
    /// Signal strength in dBm.
    pub rssi: Option<i16>,
}

impl<'a> From<&'a crate::source::ble::FoundStrap> for StrapLine<'a> {
    fn from(s: &'a crate::source::ble::FoundStrap) -> Self {
        StrapLine {
            address: &s.address,
            name: s.name.as_deref(),
            rssi: s.rssi,
        }
    }
}

/// `replay --compare --json`: one setting of the what-if (fields in name order, as first
/// written).
#[derive(Debug, Serialize)]
pub struct WhatIfLine<'a> {
    /// Every alert given.
    pub alerts: usize,
    /// Of which cap alerts.
    pub cap_alerts: usize,
    /// The cap in bpm.
    pub cap_bpm: Option<u16>,
    /// When the first `over_cap` alert came, in seconds.
    pub first_alert_s: Option<f64>,
    /// Whether this is the setting in force.
    pub in_force: bool,
    /// Counted time at or over the cap, in seconds.
    pub over_cap_s: f64,
    /// The setting, in words.
    pub setting: &'a str,
}

impl<'a> From<&'a crate::report::whatif::Row> for WhatIfLine<'a> {
    fn from(r: &'a crate::report::whatif::Row) -> Self {
        WhatIfLine {
            alerts: r.alerts,
            cap_alerts: r.cap_alerts,
            cap_bpm: r.cap_bpm,
            first_alert_s: r.first_alert.map(seconds),
            in_force: r.in_force,
            over_cap_s: seconds(r.over_cap),
            setting: &r.label,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coach::{Coach, CoachConfig};
    use crate::event::Event;

    fn lines(
        json: JsonLines<Vec<u8>>,
    ) -> Result<Vec<serde_json::Value>, Box<dyn std::error::Error>> {
        let mut json = json;
        let mut coach = Coach::new(CoachConfig::new(185));
        let u = coach.step(Event::notification(
            std::time::Duration::from_secs(1),
            vec![0x00, 120],
        ));
        json.update(&u)?;
        json.finish(&coach.summary())?;
        let text = String::from_utf8(json.out)?;
        Ok(text
            .lines()
            .map(serde_json::from_str)
            .collect::<Result<_, _>>()?)
    }

    #[test]
    fn a_strap_id_is_on_every_line_only_when_asked_for() -> Result<(), Box<dyn std::error::Error>> {
        let zones = ZoneModel::percent_of_max(185);
        let plain = lines(JsonLines::new(Vec::new(), zones.clone()))?;
        let tagged = lines(JsonLines::new(Vec::new(), zones).for_strap("AA:BB:CC:DD:EE:FF"))?;
        assert_eq!(plain.len(), 2);
        assert_eq!(tagged.len(), 2);
        for (p, t) in plain.iter().zip(&tagged) {
            assert!(p.get("strap").is_none(), "{p}");
            assert_eq!(t["strap"], "AA:BB:CC:DD:EE:FF", "{t}");
            // Otherwise the same line.
            let mut t = t.clone();
            if let Some(o) = t.as_object_mut() {
                o.remove("strap");
            }
            assert_eq!(&t, p);
        }
        assert_eq!(plain[0]["bpm"], 120);
        Ok(())
    }
}
