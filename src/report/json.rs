//! `report --json`: one object per run, and the week's object. The field names are an
//! interface (docs/json-output.md).

use serde::Serialize;

use super::analysis::Analysis;
use super::drift;
use super::week::Day;
use crate::event::seconds;
use crate::output::json::SummaryBody;

/// Drift between the two halves of a run, to a tenth.
#[derive(Debug, Serialize)]
pub struct DriftJson {
    /// Mean of the first half.
    pub first_half_bpm: f64,
    /// Mean of the second half.
    pub second_half_bpm: f64,
    /// Second minus first.
    pub bpm: f64,
    /// The same, in % of the first.
    pub percent: f64,
}

/// A stretch without heart rate.
#[derive(Debug, Serialize)]
pub struct GapJson {
    /// Where it starts, in seconds since the start.
    pub from_s: f64,
    /// Where it ends.
    pub to_s: f64,
    /// `link`, `pause` or `quiet`.
    pub kind: &'static str,
}

/// The watch's own time in zone, when its file carried it.
#[derive(Debug, Serialize)]
pub struct WatchJson {
    /// The watch's zone bounds.
    pub zone_lower_bounds: [u16; 5],
    /// How the watch set them.
    pub method: crate::activity::ZoneCalc,
    /// Seconds in each zone as the watch counted them.
    pub seconds: Vec<f64>,
}

/// `report --json`: one object per run.
#[derive(Debug, Serialize)]
pub struct ReportJson {
    /// The file reported on.
    pub file: String,
    /// Its start, as the header has it.
    pub start: Option<String>,
    /// `recording`, or the watch file's format.
    pub format: &'static str,
    /// The summary, as `replay --json` ends with it.
    pub summary: SummaryBody,
    /// Drift between the halves, when the run is long enough.
    pub drift: Option<DriftJson>,
    /// Every gap.
    pub gaps: Vec<GapJson>,
    /// The watch's own time in zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub watch_time_in_zone: Option<WatchJson>,
}

/// A tenth: how drift is written.
fn tenth(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

impl ReportJson {
    /// The object for one analysed run.
    pub fn new(a: &Analysis) -> Self {
        ReportJson {
            file: a.path.display().to_string(),
            start: a.header.as_ref().and_then(|h| h.start.clone()),
            format: a
                .header
                .as_ref()
                .and_then(|h| h.imported.as_ref())
                .map_or("recording", |i| i.format.as_str()),
            summary: SummaryBody::new(&a.summary, &a.config.zones),
            drift: drift(&a.trace.points, a.summary.duration).map(|d| DriftJson {
                first_half_bpm: tenth(d.first_half_bpm),
                second_half_bpm: tenth(d.second_half_bpm),
                bpm: tenth(d.bpm),
                percent: tenth(d.percent),
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
                    method: w.zones.method,
                    seconds: w.seconds.clone(),
                }),
        }
    }
}

/// `report --week --json`: `{"week": [...]}`.
#[derive(Debug, Serialize)]
pub struct WeekJson<'a> {
    /// The seven days, oldest first.
    pub week: &'a [Day],
}
