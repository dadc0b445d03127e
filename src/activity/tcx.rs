//! TCX (Garmin Training Center Database v2), read with `quick-xml`.
//!
//! Taken: `Activity/Id` (the start), each `Trackpoint`'s `Time`, `HeartRateBpm/Value`,
//! `Position` and `DistanceMeters`, and `Creator/Name`. A TCX file has no timer events; a
//! watch starts a new `Track` after a pause, so the time between the last point of one track
//! and the first of the next is a pause when it is longer than [`super::SEGMENT_PAUSE`] (some
//! start one at every lap, too).

use std::io::BufRead;
use std::path::Path;

use super::xml::{Step, ends_with, time_ms, walk};
use super::{Activity, Format, ImportError, Position, Sample, Sport, Timeline};

/// Reads a TCX activity.
///
/// # Errors
/// XML that does not parse, or a document that is not TCX.
pub fn read(input: impl BufRead, path: &Path) -> Result<Activity, ImportError> {
    let mut activity = Activity::new(Format::Tcx);
    let mut timeline = Timeline::default();
    let mut point: Option<(Option<i64>, Sample)> = None;
    let mut lat: Option<f64> = None;
    let mut lon: Option<f64> = None;
    walk(
        input,
        path,
        "TCX",
        "TrainingCenterDatabase",
        |stack, step| {
            match step {
                Step::Open(name, attrs) => match name.as_str() {
                    "Trackpoint" => {
                        point = Some((None, Sample::default()));
                        lat = None;
                        lon = None;
                    }
                    "Track" => timeline.begin_segment(),
                    "Activity" if activity.sport.is_none() => {
                        activity.sport = attrs
                            .iter()
                            .find(|(k, _)| k == "Sport")
                            .and_then(|(_, v)| Sport::from_name(v));
                    }
                    _ => {}
                },
                Step::Text(text) => {
                    let Some(name) = stack.last() else {
                        return Ok(());
                    };
                    if let Some((time, sample)) = &mut point {
                        match name.as_str() {
                            "Time" if ends_with(stack, &["Trackpoint", "Time"]) => {
                                *time = time_ms(&text)
                            }
                            "Value" if ends_with(stack, &["HeartRateBpm", "Value"]) => {
                                sample.bpm = text.trim().parse::<u16>().ok().filter(|&b| b > 0);
                            }
                            "LatitudeDegrees" => lat = text.trim().parse().ok(),
                            "LongitudeDegrees" => lon = text.trim().parse().ok(),
                            "DistanceMeters"
                                if ends_with(stack, &["Trackpoint", "DistanceMeters"]) =>
                            {
                                sample.distance_m = text.trim().parse().ok();
                            }
                            _ => {}
                        }
                    } else if ends_with(stack, &["Activity", "Id"]) {
                        timeline.start = time_ms(&text);
                    } else if ends_with(stack, &["Creator", "Name"]) && activity.device.is_none() {
                        activity.device = Some(text.trim().to_owned());
                    }
                }
                Step::Close(name) => match name.as_str() {
                    "Trackpoint" => {
                        if let Some((Some(t), mut sample)) = point.take() {
                            if let (Some(lat), Some(lon)) = (lat, lon) {
                                sample.position = Some(Position { lat, lon });
                            }
                            timeline.push_in_segment(t, sample);
                        }
                        point = None;
                    }
                    "Track" => timeline.end_segment(),
                    _ => {}
                },
            }
            Ok(())
        },
    )?;
    timeline.into_activity(activity, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trackpoints_with_and_without_heart_rate_and_a_second_track_after_a_pause()
    -> Result<(), ImportError> {
        let text = r#"<?xml version="1.0"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
 <Activities><Activity Sport="Running"><Id>2024-05-01T06:59:58Z</Id>
  <Lap StartTime="2024-05-01T07:00:00Z"><TotalTimeSeconds>60</TotalTimeSeconds>
   <Track>
    <Trackpoint><Time>2024-05-01T07:00:00Z</Time><DistanceMeters>0</DistanceMeters>
     <HeartRateBpm><Value>118</Value></HeartRateBpm></Trackpoint>
    <Trackpoint><Time>2024-05-01T07:00:02Z</Time><Position><LatitudeDegrees>1.5</LatitudeDegrees><LongitudeDegrees>-2.5</LongitudeDegrees></Position></Trackpoint>
   </Track>
   <Track>
    <Trackpoint><Time>2024-05-01T07:01:00Z</Time><HeartRateBpm><Value>0</Value></HeartRateBpm></Trackpoint>
   </Track>
  </Lap>
  <Creator><Name>Forerunner</Name></Creator>
 </Activity></Activities>
</TrainingCenterDatabase>"#;
        let a = read(text.as_bytes(), Path::new("t.tcx"))?;
        assert_eq!(a.device.as_deref(), Some("Forerunner"));
        // The activity's Id is its start.
        assert_eq!(
            a.start.map(|t| t.to_string()),
            Some("2024-05-01T06:59:58Z".to_owned())
        );
        let got: Vec<(u64, Option<u16>)> = a.samples.iter().map(|s| (s.t_ms, s.bpm)).collect();
        // A heart rate of 0 is none.
        assert_eq!(got, [(2000, Some(118)), (4000, None), (62_000, None)]);
        assert_eq!(a.samples[0].distance_m, Some(0.0));
        assert_eq!(a.pauses, [(4000, Some(62_000))]);
        Ok(())
    }

    #[test]
    fn another_root_or_none_is_not_tcx() {
        let err = |text: &str| {
            read(text.as_bytes(), Path::new("t.tcx"))
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert!(err("<gpx><trk/></gpx>").contains("XML whose root is <gpx>, not a TCX file"));
        assert!(
            err("<?xml version=\"1.0\"?>").contains("XML without a TrainingCenterDatabase element")
        );
    }

    #[test]
    fn a_new_track_at_a_lap_split_is_no_pause() -> Result<(), ImportError> {
        let point = |t: &str| {
            format!(
                "<Trackpoint><Time>2024-05-01T07:00:{t}Z</Time><HeartRateBpm><Value>130</Value></HeartRateBpm></Trackpoint>"
            )
        };
        let text = format!(
            "<TrainingCenterDatabase><Activities><Activity><Lap><Track>{}{}</Track></Lap><Lap><Track>{}</Track></Lap></Activity></Activities></TrainingCenterDatabase>",
            point("00"),
            point("01"),
            point("03")
        );
        let a = read(text.as_bytes(), Path::new("t.tcx"))?;
        assert_eq!(a.samples.len(), 3);
        assert!(a.pauses.is_empty(), "{:?}", a.pauses);
        Ok(())
    }
}
