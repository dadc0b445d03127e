//! The recording format: a session saved as JSON Lines, read back event for event.
//!
//! A recording is what makes replay the same as live: live runs write every notification raw,
//! as the strap sent it, and replay feeds those bytes through the same parser and coach. The
//! format is specified in docs/recording-format.md; in short:
//!
//! ```text
//! {"format":"hrcoach-recording","version":1,"start":"2026-11-27T07:00:00Z","strap":{"name":"H10"}}
//! {"t_ms":0,"battery":90}
//! {"t_ms":1000,"hrm":"16 8c 00 04"}
//! {"t_ms":2000,"bpm":141,"rr":[1010]}
//! {"t_ms":9000,"link":"lost"}
//! {"t_ms":12000,"link":"restored"}
//! ```
//!
//! The header line is optional. [`reader`] is strict about everything but a truncated last line,
//! which is what a crash mid-write leaves behind; [`writer`] appends and flushes so that such a
//! crash loses at most the last second.

pub mod coached;
pub mod reader;
pub mod writer;

use std::borrow::Cow;
use std::io;

use serde::{Deserialize, Serialize};

pub use reader::{Item, LineProblem, RecordingError, RecordingReader};

use crate::coach::alerts::{Alert, AlertKind, AlertReason};
use crate::event::{Event, seconds};
pub use writer::RecordingWriter;

/// The value of the header's `format` field.
pub const FORMAT_NAME: &str = "hrcoach-recording";

/// The format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// The optional first line of a recording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Always [`FORMAT_NAME`].
    pub format: String,
    /// Format version; this build reads [`FORMAT_VERSION`].
    pub version: u32,
    /// Wall-clock start of the session (RFC 3339), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// The strap the session was recorded from, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strap: Option<Strap>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where an imported recording came from (a watch's FIT, TCX or GPX file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported: Option<crate::activity::Imported>,
    /// How the run was coached (zones, cap, plan), for looking back at it the same way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coached: Option<coached::Coached>,
}

impl Header {
    /// The date the session was recorded on where the runner was, from `start`, when the
    /// header has a readable one: a start written with its UTC offset (`live` writes
    /// `2026-11-27T23:30:00-05:00`) is dated by that offset, wherever it is read later; a
    /// start in UTC (`...Z`, as watch files give it) by the system's time zone.
    pub fn start_date(&self) -> Option<jiff::civil::Date> {
        start_date(self.start.as_deref()?, &jiff::tz::TimeZone::system())
    }
}

/// The local date of `start` (RFC 3339): by its own offset, or in `zone` when it is in UTC
/// (`Z`), which says nothing of where the runner was.
pub fn start_date(start: &str, zone: &jiff::tz::TimeZone) -> Option<jiff::civil::Date> {
    let instant: jiff::Timestamp = start.parse().ok()?;
    let utc = start.ends_with(['Z', 'z']);
    if !utc && let Ok(local) = start.parse::<jiff::civil::DateTime>() {
        return Some(local.date());
    }
    Some(instant.to_zoned(zone.clone()).date())
}

impl Default for Header {
    fn default() -> Self {
        Header {
            format: FORMAT_NAME.to_owned(),
            version: FORMAT_VERSION,
            start: None,
            strap: None,
            note: None,
            imported: None,
            coached: None,
        }
    }
}

/// Keeps what a session received, as it received it: the raw events, and the alerts given.
/// Live runs record to a file ([`RecordingWriter`]); `replay --record` re-records. The session
/// loop (`session::run_recorded`) calls it before the coach sees each event.
pub trait Recorder {
    /// One event, before the coach sees it.
    ///
    /// # Errors
    /// A write error; the session says so and goes on unrecorded.
    fn event(&mut self, event: &Event) -> io::Result<()>;

    /// An alert that was given.
    ///
    /// # Errors
    /// A write error; the session says so and goes on unrecorded.
    fn alert(&mut self, alert: &Alert) -> io::Result<()>;

    /// The session is over: flush.
    ///
    /// # Errors
    /// A write error.
    fn finish(&mut self) -> io::Result<()>;
}

/// A strap as named in a recording header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Strap {
    /// Advertised name, e.g. "Polar H10 1A2B3C4D".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Bluetooth address (or platform identifier on macOS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// One event line of a recording, the one shape the writer writes and the reader reads:
/// `t_ms` and one kind of event (a notification as `hrm`, or in the hand-written forms `bpm`
/// with optional `rr`, `contact`, `energy_kj`; `battery`; `link`; `alert`).
/// `deny_unknown_fields` turns a typo into an error, not a silently ignored field.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EventLine<'a> {
    pub t_ms: u64,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub hrm: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bpm: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rr: Option<Vec<u16>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub energy_kj: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub battery: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<Link>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timer: Option<Timer>,
    /// The runner's answer to the coach's question: `eased`, `same` or `worse`.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert: Option<RecordedAlert>,
}

/// A `link` event.
#[derive(Debug, Serialize, Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Link {
    Lost,
    Restored,
}

/// A `timer` event: the runner paused or resumed (imported from a watch file).
#[derive(Debug, Serialize, Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Timer {
    Paused,
    Resumed,
}

/// An alert as a recording keeps it: what was said, and the numbers behind it. A replay
/// recomputes its alerts from the notifications; these say what the runner actually heard,
/// so the two can be compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedAlert {
    /// `over_cap`, `reminder`, `back_under`, `creep`, `walk`, `run`, `time_up`, `halfway`, `stop`.
    pub kind: AlertKind,
    /// The rest, in the same shape as in `--json` output's alert lines.
    #[serde(flatten)]
    pub figures: AlertFigures,
}

/// What an alert says beyond its kind, the one shape both a recording's `alert` event and a
/// `--json` alert line carry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertFigures {
    /// 1 gentle, 2 firm, 0 good news.
    pub level: u8,
    /// Why it fired (see docs/json-output.md).
    pub reason: AlertReason,
    /// The reading that fired it.
    pub bpm: u16,
    /// The smoothed heart rate the decision looked at.
    pub smoothed_bpm: u16,
    /// The cap; left out for a cue of the plan on a day without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_bpm: Option<u16>,
    /// How long over the cap.
    pub over_for_s: f64,
    /// For `creep`: rise in bpm per minute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slope_bpm_per_min: Option<f64>,
    /// For `creep`: seconds until the cap at that rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eta_s: Option<f64>,
    /// For `time_up` and `halfway`: the plan's time, seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_s: Option<f64>,
}

impl From<&Alert> for AlertFigures {
    fn from(a: &Alert) -> Self {
        AlertFigures {
            level: a.kind.level(),
            reason: a.kind.reason(),
            bpm: a.bpm,
            smoothed_bpm: a.smoothed_bpm,
            cap_bpm: (a.cap_bpm > 0).then_some(a.cap_bpm),
            over_for_s: seconds(a.over_for),
            slope_bpm_per_min: a.slope_bpm_per_min,
            eta_s: a.eta.map(seconds),
            plan_s: a.plan_time.map(seconds),
        }
    }
}

impl From<&Alert> for RecordedAlert {
    fn from(a: &Alert) -> Self {
        RecordedAlert {
            kind: a.kind,
            figures: AlertFigures::from(a),
        }
    }
}

/// Writes `bytes` as lowercase hex pairs separated by spaces, the form used for `hrm`.
pub fn to_hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push(char::from(HEX_DIGITS[usize::from(b >> 4)]));
        s.push(char::from(HEX_DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Reads hex bytes, with or without spaces between them (`"16 8c 00 04"`, `"168c0004"`).
///
/// # Errors
/// A message naming the first character that is not a hex digit, or an odd digit count.
pub fn from_hex(s: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(s.len() / 2);
    let mut high: Option<u8> = None;
    for c in s.chars() {
        if c.is_ascii_whitespace() {
            continue;
        }
        let nibble = c
            .to_digit(16)
            .ok_or_else(|| format!("{c:?} is not a hex digit"))? as u8; // < 16
        match high.take() {
            None => high = Some(nibble),
            Some(h) => out.push(h << 4 | nibble),
        }
    }
    if high.is_some() {
        return Err("odd number of hex digits".to_owned());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run at 23:30 in New York is dated that day, read on a machine set to UTC (issue 18,
    /// item 9); a start in UTC takes the reader's zone.
    #[test]
    fn a_start_with_an_offset_is_dated_where_it_was_run() {
        let utc = jiff::tz::TimeZone::UTC;
        let day = |s: &str| s.parse::<jiff::civil::Date>().ok();
        assert_eq!(
            start_date("2026-11-27T23:30:00-05:00", &utc),
            day("2026-11-27")
        );
        assert_eq!(
            start_date("2026-11-28T00:30:00+01:00", &utc),
            day("2026-11-28")
        );
        assert_eq!(start_date("2026-11-28T04:30:00Z", &utc), day("2026-11-28"));
        let minus_five = jiff::tz::TimeZone::fixed(jiff::tz::offset(-5));
        assert_eq!(
            start_date("2026-11-28T04:30:00Z", &minus_five),
            day("2026-11-27")
        );
        assert_eq!(start_date("not a time", &minus_five), None);
    }

    #[test]
    fn a_header_s_start_is_a_local_date_when_readable() {
        let header = |start: Option<&str>| Header {
            start: start.map(str::to_owned),
            ..Header::default()
        };
        // Noon UTC is the same date in every time zone from UTC-11 to UTC+11.
        assert_eq!(
            header(Some("2026-11-20T12:00:00Z")).start_date(),
            Some(jiff::civil::date(2026, 11, 20))
        );
        assert_eq!(header(Some("yesterday")).start_date(), None);
        assert_eq!(header(None).start_date(), None);
    }

    #[test]
    fn hex_round_trips_with_or_without_spaces() {
        assert_eq!(to_hex(&[0x16, 0x8c, 0x00, 0x04]), "16 8c 00 04");
        assert_eq!(from_hex("16 8c 00 04"), Ok(vec![0x16, 0x8c, 0x00, 0x04]));
        assert_eq!(from_hex("168C0004"), Ok(vec![0x16, 0x8c, 0x00, 0x04]));
        assert_eq!(from_hex(""), Ok(vec![]));
    }

    #[test]
    fn bad_hex_names_the_problem() {
        assert_eq!(from_hex("16 8g"), Err("'g' is not a hex digit".to_owned()));
        assert_eq!(from_hex("16 8"), Err("odd number of hex digits".to_owned()));
    }
}
