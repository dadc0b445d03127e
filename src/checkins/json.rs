//! The day's plan as scripts read it (`check-in --json`, `today --json`): one object. The
//! field names are an interface (docs/json-output.md); the fields are declared in name order,
//! as the objects were first written.

use serde::Serialize;

use super::words::cap_bpm;
use super::{CheckIn, DayPlan};
use crate::checkins::readiness::{Far, Hrv};
use crate::checkins::rules::{Answers, Verdict};
use crate::coach::zones::ZoneModel;

/// Writes a value with its keys in name order (through `serde_json::Value`, whose map sorts).
fn in_name_order<T: Serialize, S: serde::Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    serde_json::to_value(value)
        .map_err(serde::ser::Error::custom)?
        .serialize(s)
}

fn round(x: f64, places: i32) -> f64 {
    let k = 10f64.powi(places);
    (x * k).round() / k
}

/// `today --json` on a day without a check-in or an open sign.
#[derive(Debug, Serialize)]
pub struct NoPlanJson {
    /// Always false.
    pub checked_in: bool,
    /// The day (`YYYY-MM-DD`).
    pub date: jiff::civil::Date,
    /// Always null: there is no plan.
    pub open_sign: Option<jiff::civil::Date>,
    /// Always null.
    pub verdict: Option<&'static str>,
}

impl NoPlanJson {
    /// No plan for `date`.
    pub fn new(date: jiff::civil::Date) -> Self {
        NoPlanJson {
            checked_in: false,
            date,
            open_sign: None,
            verdict: None,
        }
    }
}

/// The weekly load.
#[derive(Debug, Serialize)]
pub struct LoadJson {
    /// Minutes of other sports in the last 7 days.
    pub cross_training_min: f64,
    /// Whether this week is a jump.
    pub jump: bool,
    /// `rise` or `from-break`.
    pub jump_kind: Option<&'static str>,
    /// The two weeks before, in minutes.
    pub previous_weeks_min: [f64; 2],
    /// The rise over the two weeks' mean, in %.
    pub rise_pct: Option<f64>,
    /// Minutes of running in the last 7 days.
    pub this_week_min: f64,
}

/// Morning HRV against its usual range.
#[derive(Debug, Serialize)]
pub struct HrvBaselineJson {
    /// The 7-day mean of ln RMSSD.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ln_rmssd_7d: Option<f64>,
    /// Mornings in the last 7 days.
    pub mornings_7d: usize,
    /// Mornings in the baseline.
    pub mornings_baseline: usize,
    /// Whether today is far outside the usual range: `below`, `above`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub today_far: Option<Option<&'static str>>,
    /// The top of the usual range.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usual_high: Option<f64>,
    /// The bottom of the usual range.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usual_low: Option<f64>,
}

/// The day's plan.
#[derive(Debug, Serialize)]
pub struct PlanJson<'a> {
    /// What to do, in sentences.
    pub advice: &'a [String],
    /// The check-in's answers, if the runner checked in (keys in name order, as first written).
    #[serde(serialize_with = "in_name_order")]
    pub answers: Option<&'a Answers>,
    /// The cap of an easy run, in bpm (with zones known).
    pub cap_bpm: Option<u16>,
    /// The cap in % of the zones' basis.
    pub cap_pct: Option<f64>,
    /// The cap in % of max HR.
    pub cap_pct_of_max: Option<f64>,
    /// Whether the runner checked in that day.
    pub checked_in: bool,
    /// The day.
    pub date: jiff::civil::Date,
    /// The longest run, in minutes.
    pub duration_min: Option<u16>,
    /// The morning HRV against its range, with a morning reading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hrv_baseline: Option<HrvBaselineJson>,
    /// The morning HRV's status, with a morning reading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hrv_status: Option<&'static str>,
    /// ln RMSSD, with a morning reading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ln_rmssd: Option<f64>,
    /// The weekly load.
    pub load: LoadJson,
    /// The day a warning sign still open was first said.
    pub open_sign: Option<jiff::civil::Date>,
    /// Why, in sentences.
    pub reasons: &'a [String],
    /// Resting HR of the morning reading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resting_hr: Option<u16>,
    /// RMSSD of the morning reading, in ms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rmssd_ms: Option<f64>,
    /// `train`, `easy`, `cross-train` or `rest`.
    pub verdict: &'static str,
    /// The zones' basis: `max`, `hrr` or `lthr`.
    pub zone_model: &'static str,
}

impl<'a> PlanJson<'a> {
    /// The plan of `date`, from its check-in `c` (if any) and the plan the days gave.
    pub fn new(
        date: jiff::civil::Date,
        c: Option<&'a CheckIn>,
        day: &'a DayPlan,
        zones: Option<&ZoneModel>,
    ) -> Self {
        let (plan, load) = (&day.plan, &day.load);
        let easy = plan.verdict == Verdict::Easy;
        let cap = if easy { cap_bpm(plan, zones) } else { None };
        let hrv = c.and_then(|c| c.hrv.as_ref());
        let baseline = hrv.and_then(|_| match &day.hrv {
            Hrv::Usual(f) | Hrv::Low(f) | Hrv::High(f) => Some(HrvBaselineJson {
                ln_rmssd_7d: Some(round(f.mean7, 3)),
                mornings_7d: f.mornings.0,
                mornings_baseline: f.mornings.1,
                today_far: Some(f.today_far.map(|far| match far {
                    Far::Below => "below",
                    Far::Above => "above",
                })),
                usual_high: Some(round(f.high, 3)),
                usual_low: Some(round(f.low, 3)),
            }),
            Hrv::TooFew { recent, baseline } => Some(HrvBaselineJson {
                ln_rmssd_7d: None,
                mornings_7d: *recent,
                mornings_baseline: *baseline,
                today_far: None,
                usual_high: None,
                usual_low: None,
            }),
            Hrv::None | Hrv::RestingHigh { .. } => None,
        });
        PlanJson {
            advice: &plan.advice,
            answers: c.map(|c| &c.answers),
            cap_bpm: cap,
            cap_pct: if easy {
                plan.cap.map(|p| f64::from(p.tenths()) / 10.0)
            } else {
                None
            },
            cap_pct_of_max: cap
                .zip(zones)
                .map(|(b, z)| round(z.percent_of_max_hr(b), 1)),
            checked_in: c.is_some(),
            date,
            duration_min: plan.duration_min,
            hrv_baseline: baseline,
            hrv_status: hrv.map(|_| day.hrv.as_str()),
            ln_rmssd: hrv.map(|h| round(h.rmssd_ms.ln(), 3)),
            load: LoadJson {
                cross_training_min: load.cross_training.round(),
                jump: load.jump().is_some(),
                jump_kind: load.jump().map(|j| j.as_str()),
                previous_weeks_min: [load.before[0].round(), load.before[1].round()],
                rise_pct: load.rise().map(|r| round(r * 100.0, 1)),
                this_week_min: load.this_week.round(),
            },
            open_sign: plan.open_sign,
            reasons: &plan.reasons,
            resting_hr: hrv.map(|h| h.resting_hr),
            rmssd_ms: hrv.map(|h| round(h.rmssd_ms, 1)),
            verdict: plan.verdict.as_str(),
            zone_model: zones.map_or("max", |z| z.basis().name()),
        }
    }
}
