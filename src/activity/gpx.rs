//! GPX 1.1 (and 1.0) with heart rate in Garmin's TrackPointExtension (`gpxtpx:hr`, v1 or v2;
//! any element named `hr` inside a point's `extensions`), read with `quick-xml`.
//!
//! Taken: each `trkpt`'s `lat`/`lon`, `time` and `hr`, and the `creator` attribute; the start
//! is the first point (`metadata/time` is when the file was written, maybe long after). A new `trkseg` after the first is a pause (GPX's own meaning of a
//! segment: the recording stopped).

use std::io::BufRead;
use std::path::Path;

use super::xml::{Step, time_ms, walk};
use super::{Activity, Format, ImportError, Position, Sample, Timeline};

/// Reads a GPX activity.
///
/// # Errors
/// XML that does not parse, or a document that is not GPX.
pub fn read(input: impl BufRead, path: &Path) -> Result<Activity, ImportError> {
    let mut activity = Activity::new(Format::Gpx);
    let mut timeline = Timeline::default();
    let mut point: Option<(Option<i64>, Sample)> = None;
    let mut saw_root = false;
    walk(input, path, "GPX", |stack, step| {
        match step {
            Step::Open(name, attrs) => match name.as_str() {
                "gpx" if stack.len() == 1 => {
                    saw_root = true;
                    activity.device = attrs
                        .iter()
                        .find(|(k, _)| k == "creator")
                        .map(|(_, v)| v.clone());
                }
                _ if stack.len() == 1 => {
                    return Err(ImportError::Unknown {
                        path: path.to_owned(),
                        what: format!("XML whose root is <{name}>, not a GPX file"),
                    });
                }
                "trkpt" => {
                    let get = |key: &str| {
                        attrs
                            .iter()
                            .find(|(k, _)| k == key)
                            .and_then(|(_, v)| v.trim().parse::<f64>().ok())
                    };
                    let position = match (get("lat"), get("lon")) {
                        (Some(lat), Some(lon)) => Some(Position { lat, lon }),
                        _ => None,
                    };
                    point = Some((
                        None,
                        Sample {
                            position,
                            ..Sample::default()
                        },
                    ));
                }
                "trkseg" => timeline.begin_segment(),
                _ => {}
            },
            Step::Text(text) => {
                let Some(name) = stack.last() else {
                    return Ok(());
                };
                if let Some((time, sample)) = &mut point {
                    let parent = stack.len().checked_sub(2).map(|i| stack[i].as_str());
                    match name.as_str() {
                        "time" if parent == Some("trkpt") => *time = time_ms(&text),
                        "hr" if stack.iter().any(|s| s == "extensions") => {
                            sample.bpm = text.trim().parse::<f64>().ok().and_then(|b| {
                                (1.0..400.0).contains(&b).then_some(b.round() as u16)
                            });
                        }
                        _ => {}
                    }
                }
            }
            Step::Close(name) => match name.as_str() {
                "trkpt" => {
                    if let Some((Some(t), sample)) = point.take() {
                        timeline.push_in_segment(t, sample);
                    }
                }
                "trkseg" => timeline.end_segment(),
                _ => {}
            },
        }
        Ok(())
    })?;
    if !saw_root {
        return Err(ImportError::Unknown {
            path: path.to_owned(),
            what: "XML without a gpx element: not a GPX file".to_owned(),
        });
    }
    timeline.into_activity(activity, path)
}
