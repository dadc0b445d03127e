//! GPX 1.1 (and 1.0) with heart rate in Garmin's TrackPointExtension (`gpxtpx:hr`, v1 or v2;
//! any element named `hr` inside a point's `extensions`), read with `quick-xml`.
//!
//! Taken: each `trkpt`'s `lat`/`lon`, `time` and `hr`, and the `creator` attribute; the start
//! is the first point (`metadata/time` is when the file was written, maybe long after). A new
//! `trkseg` after the first is a pause (GPX's own meaning of a segment: the recording stopped)
//! when it starts more than [`super::SEGMENT_PAUSE`] after the one before ended.

use std::io::BufRead;
use std::path::Path;

use super::xml::{Step, time_ms, walk};
use super::{Activity, Format, ImportError, Position, Sample, Sport, Timeline};

/// Reads a GPX activity.
///
/// # Errors
/// XML that does not parse, or a document that is not GPX.
pub fn read(input: impl BufRead, path: &Path) -> Result<Activity, ImportError> {
    let mut activity = Activity::new(Format::Gpx);
    let mut timeline = Timeline::default();
    let mut point: Option<(Option<i64>, Sample)> = None;
    walk(input, path, "GPX", "gpx", |stack, step| {
        match step {
            Step::Open(name, attrs) => match name.as_str() {
                "gpx" if stack.len() == 1 => {
                    activity.device = attrs
                        .iter()
                        .find(|(k, _)| k == "creator")
                        .map(|(_, v)| v.clone());
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
                if name == "type"
                    && stack.len() >= 2
                    && stack[stack.len() - 2] == "trk"
                    && activity.sport.is_none()
                {
                    activity.sport = Sport::from_name(&text);
                }
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
    timeline.into_activity(activity, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heart_rate_from_either_extension_version_and_a_new_segment_is_a_pause()
    -> Result<(), ImportError> {
        let text = r#"<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="a watch" xmlns="http://www.topografix.com/GPX/1/1"
     xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"
     xmlns:ns3="http://www.garmin.com/xmlschemas/TrackPointExtension/v2">
  <metadata><time>2024-05-02T00:00:00Z</time></metadata>
  <trk><trkseg>
    <trkpt lat="48.1" lon="11.5"><time>2024-05-01T07:00:00.500Z</time>
      <extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>120</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>
    <trkpt lat="48.2" lon="11.6"><time>2024-05-01T07:00:05Z</time>
      <extensions><ns3:TrackPointExtension><ns3:hr>125</ns3:hr></ns3:TrackPointExtension></extensions></trkpt>
  </trkseg><trkseg>
    <trkpt lat="48.3" lon="11.7"><time>2024-05-01T07:02:00Z</time></trkpt>
  </trkseg></trk>
</gpx>"#;
        let a = read(text.as_bytes(), Path::new("t.gpx"))?;
        assert_eq!(a.device.as_deref(), Some("a watch"));
        // The start is the first point, not when the file was written.
        assert_eq!(
            a.start.map(|t| t.to_string()),
            Some("2024-05-01T07:00:00.5Z".to_owned())
        );
        let got: Vec<(u64, Option<u16>)> = a.samples.iter().map(|s| (s.t_ms, s.bpm)).collect();
        assert_eq!(got, [(0, Some(120)), (4500, Some(125)), (119_500, None)]);
        assert_eq!(a.pauses, [(4500, Some(119_500))]);
        assert_eq!(
            a.samples[1].position,
            Some(Position {
                lat: 48.2,
                lon: 11.6
            })
        );
        Ok(())
    }
}
