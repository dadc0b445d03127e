//! GPX 1.1 with heart rate in Garmin's TrackPointExtension v1 (`gpxtpx:hr`).
//!
//! GPX is a GPS format: a track point needs a position, so only readings with one are written
//! (a strap recording has none, and [`write()`] says so). A new `trkseg` after each pause. The
//! alerts go in the track's `desc`, one a line, and as waypoints where they happened.

use std::fmt::Write as _;

use quick_xml::escape::escape;

use super::{Run, alert_notes, rfc3339};

/// Why a run cannot be GPX.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "GPX needs positions and this run has none (a chest strap records no GPS): export --to tcx or --to fit instead, or export the watch's own file"
)]
pub struct NoPositions;

/// The run as GPX text.
///
/// # Errors
/// [`NoPositions`] when no reading has a position.
pub fn write(run: &Run) -> Result<String, NoPositions> {
    if !run.samples.iter().any(|s| s.position.is_some()) {
        return Err(NoPositions);
    }
    let start = run.start_or_epoch();
    let ms = |d: std::time::Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str(
        "<gpx version=\"1.1\" creator=\"hrcoach\" xmlns=\"http://www.topografix.com/GPX/1/1\" \
         xmlns:gpxtpx=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v1\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd http://www.garmin.com/xmlschemas/TrackPointExtension/v1 http://www.garmin.com/xmlschemas/TrackPointExtensionv1.xsd\">\n",
    );
    let _ = writeln!(x, "  <metadata><time>{}</time></metadata>", rfc3339(start));
    // Waypoints come before tracks in GPX 1.1: one per alert, where the runner was.
    for a in &run.alerts {
        let Some(p) = run
            .samples
            .iter()
            .filter(|s| s.at <= a.at)
            .filter_map(|s| s.position)
            .next_back()
        else {
            continue;
        };
        let _ = writeln!(
            x,
            "  <wpt lat=\"{:.7}\" lon=\"{:.7}\"><time>{}</time><name>{}</name><desc>{}</desc></wpt>",
            p.lat,
            p.lon,
            rfc3339(start + ms(a.at)),
            a.kind.as_str(),
            escape(crate::output::format::alert_text(a))
        );
    }
    use crate::activity::Sport;
    let name = match run.sport {
        Sport::Running => "Run coached by hrcoach",
        Sport::Cycling => "Ride exported by hrcoach",
        Sport::Walking => "Walk exported by hrcoach",
        Sport::Hiking => "Hike exported by hrcoach",
        Sport::Swimming => "Swim exported by hrcoach",
        Sport::Other => "Activity exported by hrcoach",
    };
    let _ = writeln!(x, "  <trk>\n    <name>{name}</name>");
    let notes = alert_notes(run);
    if !notes.is_empty() {
        let _ = writeln!(x, "    <desc>{}</desc>", escape(&notes));
    }
    let _ = writeln!(x, "    <type>{}</type>\n    <trkseg>", run.sport.as_str());
    let mut pauses = run.pauses.iter().peekable();
    for s in &run.samples {
        let mut after_pause = false;
        while pauses.next_if(|(from, _)| *from < s.at).is_some() {
            after_pause = true;
        }
        if after_pause {
            x.push_str("    </trkseg>\n    <trkseg>\n");
        }
        let Some(p) = s.position else {
            continue;
        };
        let _ = write!(
            x,
            "      <trkpt lat=\"{:.7}\" lon=\"{:.7}\"><time>{}</time>",
            p.lat,
            p.lon,
            rfc3339(start + ms(s.at))
        );
        if let Some(hr) = s.heart_rate() {
            let _ = write!(
                x,
                "<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{hr}</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions>"
            );
        }
        x.push_str("</trkpt>\n");
    }
    x.push_str("    </trkseg>\n  </trk>\n</gpx>\n");
    Ok(x)
}
