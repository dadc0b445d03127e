//! A watch file's activity as a recording in the documented format: how it enters the
//! pipeline, and what `import` stores.

use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use super::{Activity, DeviceZones, Format};
use crate::recording::{EventLine, Header, Timer};

/// What the recording header says about an imported file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Imported {
    /// The file's format.
    pub format: Format,
    /// The file's name (without its directory).
    pub file: String,
    /// The device or app that wrote it, when it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// The sport the file named, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sport: Option<super::Sport>,
    /// The zone boundaries the device stored, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zones: Option<DeviceZones>,
}

/// Writes `activity` as a recording: a header with the original start and an `imported`
/// object, then one `bpm` line per heart-rate sample (with `rr` where the file has it) and a
/// `timer` line at each pause and resume. Samples inside a pause are left out: the watch did
/// not count them either.
///
/// # Errors
/// A write error.
pub fn to_recording(activity: &Activity, file_name: &str, mut out: impl Write) -> io::Result<()> {
    let header = Header {
        start: activity.start.map(|t| t.to_string()),
        note: Some(format!(
            "imported from {file_name} ({})",
            activity.format.as_str().to_uppercase()
        )),
        imported: Some(Imported {
            format: activity.format,
            file: file_name.to_owned(),
            device: activity.device.clone(),
            sport: activity.sport,
            zones: activity.zones.clone(),
        }),
        ..Header::default()
    };
    serde_json::to_writer(&mut out, &header)?;
    out.write_all(b"\n")?;
    let mut pauses = activity.pauses.iter().peekable();
    let mut paused_until: Option<Option<u64>> = None;
    let timer_line = |out: &mut dyn Write, t_ms: u64, timer: Timer| -> io::Result<()> {
        let line = EventLine {
            t_ms,
            timer: Some(timer),
            ..EventLine::default()
        };
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")
    };
    for sample in activity.heart_rate_samples() {
        // Timer changes up to this sample.
        loop {
            if let Some(Some(until)) = paused_until
                && until <= sample.t_ms
            {
                timer_line(&mut out, until, Timer::Resumed)?;
                paused_until = None;
                continue;
            }
            match pauses.peek() {
                Some(&&(from, until)) if paused_until.is_none() && from < sample.t_ms => {
                    timer_line(&mut out, from, Timer::Paused)?;
                    paused_until = Some(until);
                    pauses.next();
                }
                Some(&&(from, _)) if paused_until.is_some() && from < sample.t_ms => {
                    // A pause inside a pause: already paused.
                    pauses.next();
                }
                _ => break,
            }
        }
        if paused_until.is_some() {
            continue;
        }
        let line = EventLine {
            t_ms: sample.t_ms,
            bpm: sample.bpm,
            rr: (!sample.rr.is_empty()).then(|| sample.rr.clone()),
            ..EventLine::default()
        };
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::Sample;

    #[test]
    fn a_recording_of_an_activity_leaves_out_what_was_paused()
    -> Result<(), Box<dyn std::error::Error>> {
        let mut a = Activity::new(Format::Fit);
        a.samples = vec![
            Sample::hr(0, 120),
            Sample::hr(1000, 121),
            Sample::hr(5000, 90),
            Sample::hr(9000, 122),
        ];
        a.samples[1].rr = vec![1000, 1010];
        a.pauses = vec![(2000, Some(8000))];
        let mut out = Vec::new();
        to_recording(&a, "run.fit", &mut out)?;
        let text = String::from_utf8(out)?;
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].contains("\"imported\":{\"format\":\"fit\",\"file\":\"run.fit\"}"));
        assert_eq!(
            &lines[1..],
            [
                r#"{"t_ms":0,"bpm":120}"#,
                r#"{"t_ms":1000,"bpm":121,"rr":[1000,1010]}"#,
                r#"{"t_ms":2000,"timer":"paused"}"#,
                r#"{"t_ms":8000,"timer":"resumed"}"#,
                r#"{"t_ms":9000,"bpm":122}"#,
            ]
        );
        Ok(())
    }

    #[test]
    fn a_pause_that_never_ends_drops_the_rest() -> Result<(), Box<dyn std::error::Error>> {
        let mut a = Activity::new(Format::Fit);
        a.samples = vec![Sample::hr(0, 120), Sample::hr(3000, 121)];
        a.pauses = vec![(1000, None)];
        let mut out = Vec::new();
        to_recording(&a, "run.fit", &mut out)?;
        let text = String::from_utf8(out)?;
        assert_eq!(text.lines().count(), 3, "{text}");
        assert!(text.ends_with("{\"t_ms\":1000,\"timer\":\"paused\"}\n"));
        Ok(())
    }
}
