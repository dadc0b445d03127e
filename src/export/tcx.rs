//! TCX: Garmin Training Center Database v2, valid against Garmin's schema (element order and
//! the Lap's required fields matter to Garmin Connect).
//!
//! One activity (`Running`), one lap over the whole run, one `Track` per stretch between
//! pauses (as watches write them); a trackpoint per reading, with its heart rate when it is
//! one, its position and distance when known. The alerts go in the lap's `Notes`, one a line;
//! a run without a start time is dated 1970-01-01 and says so there.

use std::fmt::Write as _;
use std::time::Duration;

use quick_xml::escape::escape;

use super::{Run, alert_notes, rfc3339};

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// The run as TCX text.
pub fn write(run: &Run) -> String {
    let start = run.start_or_epoch();
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str(
        "<TrainingCenterDatabase xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2 http://www.garmin.com/xmlschemas/TrainingCenterDatabasev2.xsd\">\n",
    );
    // TCX knows three sports: Running, Biking and Other.
    let sport = match run.sport {
        crate::activity::Sport::Running => "Running",
        crate::activity::Sport::Cycling => "Biking",
        _ => "Other",
    };
    let _ = writeln!(x, "  <Activities>\n    <Activity Sport=\"{sport}\">");
    let _ = writeln!(x, "      <Id>{}</Id>", rfc3339(start));
    let _ = writeln!(x, "      <Lap StartTime=\"{}\">", rfc3339(start));
    let _ = writeln!(
        x,
        "        <TotalTimeSeconds>{:.1}</TotalTimeSeconds>",
        run.timer_time().as_secs_f64()
    );
    let distance = run
        .samples
        .iter()
        .filter_map(|s| s.distance_m)
        .fold(0.0f64, f64::max);
    let _ = writeln!(x, "        <DistanceMeters>{distance:.1}</DistanceMeters>");
    x.push_str("        <Calories>0</Calories>\n");
    if let Some((mean, max)) = run.heart_rate_stats() {
        let _ = writeln!(
            x,
            "        <AverageHeartRateBpm><Value>{mean}</Value></AverageHeartRateBpm>"
        );
        let _ = writeln!(
            x,
            "        <MaximumHeartRateBpm><Value>{max}</Value></MaximumHeartRateBpm>"
        );
    }
    x.push_str("        <Intensity>Active</Intensity>\n");
    x.push_str("        <TriggerMethod>Manual</TriggerMethod>\n");
    let mut open = false;
    let mut pauses = run.pauses.iter().peekable();
    for s in &run.samples {
        let mut after_pause = false;
        while pauses.next_if(|(from, _)| *from < s.at).is_some() {
            after_pause = true;
        }
        if after_pause && open {
            x.push_str("        </Track>\n");
            open = false;
        }
        if !open {
            x.push_str("        <Track>\n");
            open = true;
        }
        x.push_str("          <Trackpoint>");
        let _ = write!(x, "<Time>{}</Time>", rfc3339(start + ms(s.at)));
        if let Some(p) = s.position {
            let _ = write!(
                x,
                "<Position><LatitudeDegrees>{:.7}</LatitudeDegrees><LongitudeDegrees>{:.7}</LongitudeDegrees></Position>",
                p.lat, p.lon
            );
        }
        if let Some(d) = s.distance_m {
            let _ = write!(x, "<DistanceMeters>{d:.2}</DistanceMeters>");
        }
        if let Some(hr) = s.heart_rate() {
            let _ = write!(x, "<HeartRateBpm><Value>{hr}</Value></HeartRateBpm>");
        }
        x.push_str("</Trackpoint>\n");
    }
    if open {
        x.push_str("        </Track>\n");
    }
    let mut notes = alert_notes(run);
    if run.start_ms.is_none() {
        notes.insert_str(0, "The recording has no start time: dated 1970-01-01.\n");
    }
    if !notes.trim().is_empty() {
        let _ = writeln!(x, "        <Notes>{}</Notes>", escape(notes.trim()));
    }
    x.push_str("      </Lap>\n");
    let _ = writeln!(
        x,
        "      <Notes>{}</Notes>",
        escape(format!("Coached by hrcoach: {} alerts", run.alerts.len()))
    );
    x.push_str("    </Activity>\n  </Activities>\n</TrainingCenterDatabase>\n");
    x
}
