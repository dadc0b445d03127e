//! Activity files written by watches and apps (FIT, TCX, GPX), read into one shape.
//!
//! An [`Activity`] is what hrcoach needs from any of them: the wall-clock start, the heart-rate
//! samples (with RR intervals and a position where the file has them), when the timer was
//! paused, and the zone boundaries the device used. [`to_recording`] turns it into a recording
//! in the documented JSON Lines format (the hand-writable `bpm` form), which is how a watch
//! file enters the pipeline: `replay run.fit` replays exactly what `import run.fit` stores.
//!
//! Files are recognised by their content, not their name ([`detect`]): a FIT file by its
//! header, TCX and GPX by their root element, a recording by its first `{`. Reading is
//! streaming and bounded: a file over [`MAX_FILE_BYTES`] is refused before it is read.
//!
//! Format details and the choice of crates: docs/file-formats.md.

pub mod fit;
pub mod gpx;
pub mod tcx;
mod xml;

use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::recording::{EventLine, Header, RecordingError, RecordingReader, Timer};

/// Largest file read. A day of 1 s samples with GPS is about 5 MB as FIT and 50 MB as TCX;
/// anything far larger is not one activity, and refusing it keeps memory bounded.
pub const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;

/// The kinds of file hrcoach reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Garmin's Flexible and Interoperable Data Transfer format (binary).
    Fit,
    /// Garmin Training Center Database v2 (XML).
    Tcx,
    /// GPS Exchange Format 1.1 with Garmin's TrackPointExtension (XML).
    Gpx,
    /// hrcoach's own JSON Lines recording (docs/recording-format.md).
    Recording,
}

impl Format {
    /// Lower-case name: `fit`, `tcx`, `gpx`, `recording`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Fit => "fit",
            Format::Tcx => "tcx",
            Format::Gpx => "gpx",
            Format::Recording => "recording",
        }
    }
}

/// One sample of an activity.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sample {
    /// Milliseconds since [`Activity::start`].
    pub t_ms: u64,
    /// Heart rate, when the sample has one.
    pub bpm: Option<u16>,
    /// Beat-to-beat intervals in 1/1024 s (FIT `hrv` messages), as a strap sends them.
    pub rr: Vec<u16>,
    /// Where, when the sample has a position.
    pub position: Option<Position>,
    /// Distance from the start in metres, when the file has it.
    pub distance_m: Option<f64>,
}

/// A position in degrees (WGS 84).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Position {
    /// Latitude, -90 to 90.
    pub lat: f64,
    /// Longitude, -180 to 180.
    pub lon: f64,
}

/// The zone boundaries a device stored with the activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceZones {
    /// Lower bounds in bpm of zones 1-5 (a watch's high boundaries of zones 0-4).
    pub lower_bounds: [u16; 5],
    /// The top of zone 5 (the device's max HR), when stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top: Option<u16>,
    /// How the device computed them: `percent_max_hr`, `percent_hrr`, `percent_lthr`, `custom`.
    pub method: String,
    /// Which message they came from, e.g. `time_in_zone (session)` or `hr_zone`.
    pub found_in: String,
    /// Something to beware of, e.g. `zones_target` naming another method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The time in zone a watch counted itself (FIT `time_in_zone` or `session`).
#[derive(Debug, Clone, PartialEq)]
pub struct WatchTimeInZone {
    /// The boundaries it counted with.
    pub zones: DeviceZones,
    /// Seconds below zone 1, in zones 1-5, and above the top of zone 5 (7 values, as stored).
    pub seconds: Vec<f64>,
}

/// What an activity file holds, in the one shape hrcoach uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    /// What the file was.
    pub format: Format,
    /// Wall-clock time of `t_ms` 0.
    pub start: Option<jiff::Timestamp>,
    /// Samples in time order, including those without heart rate (a position only).
    pub samples: Vec<Sample>,
    /// Timer pauses as (paused at, resumed at) in ms; `None` when it never resumed.
    pub pauses: Vec<(u64, Option<u64>)>,
    /// The device or app that wrote the file, when it says.
    pub device: Option<String>,
    /// The zone boundaries the device used, when stored.
    pub zones: Option<DeviceZones>,
    /// The device's own time in zone, when stored.
    pub watch_time_in_zone: Option<WatchTimeInZone>,
    /// Notes about the file worth telling (e.g. unreadable parts skipped).
    pub notes: Vec<String>,
}

impl Activity {
    /// An empty activity of `format`.
    pub fn new(format: Format) -> Self {
        Activity {
            format,
            start: None,
            samples: Vec::new(),
            pauses: Vec::new(),
            device: None,
            zones: None,
            watch_time_in_zone: None,
            notes: Vec::new(),
        }
    }

    /// Samples with a heart rate.
    pub fn heart_rate_samples(&self) -> impl Iterator<Item = &Sample> {
        self.samples.iter().filter(|s| s.bpm.is_some())
    }
}

/// What a reader collects: samples and timer changes at absolute times (Unix ms), made relative
/// to the earliest of them by [`Timeline::into_activity`].
#[derive(Debug, Default)]
struct Timeline {
    points: Vec<(i64, Sample)>,
    /// (time, true for a stop, false for a start)
    timer: Vec<(i64, bool)>,
    /// A start the file states (FIT session start, TCX Id), if any.
    start: Option<i64>,
    /// In a segment (TCX `Track`, GPX `trkseg`): no point of it yet.
    segment_empty: bool,
    /// The last point of the segment so far, and of the segment before.
    segment_last: Option<i64>,
    previous_end: Option<i64>,
}

impl Timeline {
    /// A TCX `Track` or GPX `trkseg` begins: watches start one after a pause.
    fn begin_segment(&mut self) {
        self.segment_empty = true;
    }

    /// A point of the current segment. The first of a segment that comes more than
    /// [`SEGMENT_PAUSE`] after the end of the one before is a resume, and that end a pause.
    fn push_in_segment(&mut self, t: i64, sample: Sample) {
        if self.segment_empty {
            if let Some(end) = self.previous_end
                && t - end > SEGMENT_PAUSE.as_millis() as i64
            {
                self.timer.push((end, true));
                self.timer.push((t, false));
            }
            self.segment_empty = false;
        }
        self.segment_last = Some(t);
        self.points.push((t, sample));
    }

    /// The current segment ends.
    fn end_segment(&mut self) {
        if let Some(t) = self.segment_last.take() {
            self.previous_end = Some(t);
        }
    }

    fn into_activity(
        mut self,
        mut activity: Activity,
        path: &Path,
    ) -> Result<Activity, ImportError> {
        self.points.sort_by_key(|(t, _)| *t);
        self.timer.sort_by_key(|(t, _)| *t);
        let origin = [
            self.start,
            self.points.first().map(|p| p.0),
            self.timer.first().map(|p| p.0),
        ]
        .into_iter()
        .flatten()
        .min();
        let Some(origin) = origin else {
            return Ok(activity);
        };
        let last = [
            self.points.last().map(|p| p.0),
            self.timer.last().map(|p| p.0),
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(origin);
        let limit = crate::recording::reader::MAX_SESSION;
        if u128::try_from(last - origin).unwrap_or(0) > limit.as_millis() {
            let day = |ms: i64| {
                jiff::Timestamp::from_millisecond(ms)
                    .map_or_else(|_| ms.to_string(), |t| t.strftime("%Y-%m-%d").to_string())
            };
            return Err(ImportError::Corrupt {
                path: path.to_owned(),
                what: format!(
                    "its times run from {} to {}: more than {} days, not one activity (a timestamp in the file is wrong)",
                    day(origin),
                    day(last),
                    limit.as_secs() / 86_400
                ),
            });
        }
        let rel = |t: i64| u64::try_from(t - origin).unwrap_or(0);
        activity.start = jiff::Timestamp::from_millisecond(origin).ok();
        activity.samples = self
            .points
            .into_iter()
            .map(|(t, s)| Sample { t_ms: rel(t), ..s })
            .collect();
        let mut open: Option<u64> = None;
        for (t, stop) in self.timer {
            match (stop, open) {
                (true, None) => open = Some(rel(t)),
                (false, Some(from)) => {
                    activity.pauses.push((from, Some(rel(t))));
                    open = None;
                }
                _ => {}
            }
        }
        // A stop after the last sample is the end of the activity, not a pause.
        let last_sample = activity.samples.last().map_or(0, |s| s.t_ms);
        if let Some(from) = open
            && from < last_sample
        {
            activity.pauses.push((from, None));
        }
        Ok(activity)
    }
}

/// Why a file could not be read as an activity. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
    /// Not a regular file.
    #[error("cannot read {path}: {what}")]
    NotAFile {
        /// The file.
        path: PathBuf,
        /// A directory, a pipe...
        what: &'static str,
    },
    /// Larger than any activity.
    #[error(
        "{path}: {size} is too large for an activity file (at most {limit}; a day of 1 s samples is about 5 MB as FIT, 50 MB as TCX)",
        size = megabytes(*.bytes),
        limit = megabytes(MAX_FILE_BYTES)
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        bytes: u64,
    },
    /// Not a kind of file hrcoach reads.
    #[error("{path}: {what}")]
    Unknown {
        /// The file.
        path: PathBuf,
        /// What it looks like instead.
        what: String,
    },
    /// A file of a known format that is damaged.
    #[error("{path}: {what}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong, e.g. "FIT checksum mismatch: the file is damaged".
        what: String,
    },
    /// A readable file with no heart rate in it.
    #[error("{path}: {what}")]
    NoHeartRate {
        /// The file.
        path: PathBuf,
        /// What it holds instead.
        what: String,
    },
}

fn megabytes(bytes: u64) -> String {
    if bytes >= 1024 * 1024 * 1024 {
        format!("{:.1} GB", bytes as f64 / (1024.0 * 1024.0 * 1024.0))
    } else {
        format!("{} MB", bytes / (1024 * 1024))
    }
}

/// What the first bytes of a file say it is, or `None`.
///
/// ```
/// use hrcoach::activity::{Format, detect};
///
/// assert_eq!(detect(b"\x0e\x10\x00\x00\x00\x00\x00\x00.FIT\x00\x00"), Some(Format::Fit));
/// assert_eq!(detect(b"<?xml version=\"1.0\"?>\n<TrainingCenterDatabase xmlns=\"...\">"), Some(Format::Tcx));
/// assert_eq!(detect(b"\xef\xbb\xbf<gpx version=\"1.1\">"), Some(Format::Gpx));
/// assert_eq!(detect(b"{\"t_ms\":0,\"bpm\":120}"), Some(Format::Recording));
/// assert_eq!(detect(b"hello"), None);
/// ```
pub fn detect(head: &[u8]) -> Option<Format> {
    if head.len() >= 12 && matches!(head[0], 12 | 14) && &head[8..12] == b".FIT" {
        return Some(Format::Fit);
    }
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let start = text.iter().position(|b| !b.is_ascii_whitespace())?;
    let text = &text[start..];
    match text.first()? {
        b'{' => Some(Format::Recording),
        b'<' => {
            // The root element: skip the declaration, comments and processing instructions.
            let mut rest = text;
            loop {
                let open = rest.iter().position(|&b| b == b'<')?;
                rest = &rest[open + 1..];
                match rest.first()? {
                    b'?' | b'!' => continue,
                    _ => break,
                }
            }
            let name_end = rest
                .iter()
                .position(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
                .unwrap_or(rest.len());
            let name = &rest[..name_end];
            let local = name.rsplit(|&b| b == b':').next().unwrap_or(name);
            match local {
                b"TrainingCenterDatabase" => Some(Format::Tcx),
                b"gpx" => Some(Format::Gpx),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Opens `path` for reading as an activity or recording: a regular file of at most
/// [`MAX_FILE_BYTES`], and what its first bytes say it is.
///
/// # Errors
/// Not a file, unreadable, too large, or of no kind hrcoach reads.
pub fn open(path: &Path) -> Result<(Format, BufReader<File>), ImportError> {
    let io_error = |source| ImportError::Io {
        path: path.to_owned(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io_error)?;
    if meta.is_dir() {
        return Err(ImportError::NotAFile {
            path: path.to_owned(),
            what: "a directory: pass a recording file or a watch file (FIT, TCX, GPX)",
        });
    }
    if !meta.is_file() {
        return Err(ImportError::NotAFile {
            path: path.to_owned(),
            what: "not a regular file (a pipe, socket or device): pass a recording file or a watch file",
        });
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge {
            path: path.to_owned(),
            bytes: meta.len(),
        });
    }
    let mut file = File::open(path).map_err(io_error)?;
    let mut head = [0u8; 512];
    let mut len = 0;
    while len < head.len() {
        let n = file.read(&mut head[len..]).map_err(io_error)?;
        if n == 0 {
            break;
        }
        len += n;
    }
    let head = &head[..len];
    let named = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let format = match detect(head) {
        Some(f) => f,
        // XML that is neither TCX nor GPX.
        None if first_text_byte(head) == Some(b'<') => {
            return Err(ImportError::Unknown {
                path: path.to_owned(),
                what: "XML, but neither TCX (TrainingCenterDatabase) nor GPX (gpx): not an activity file hrcoach reads".to_owned(),
            });
        }
        // Named like a watch file but not one: say so rather than "not JSON".
        None if matches!(named.as_str(), "fit" | "tcx" | "gpx") => {
            let what = if len == 0 {
                "empty file (0 bytes): no samples".to_owned()
            } else if named == "fit" {
                "named .fit, but not a FIT file: its header has no .FIT signature".to_owned()
            } else {
                let start: String = String::from_utf8_lossy(&head[..head.len().min(20)])
                    .chars()
                    .filter(|c| !c.is_control())
                    .collect();
                format!(
                    "named .{named}, but not XML (it starts with {start:?}): not a {} file",
                    named.to_uppercase()
                )
            };
            return Err(ImportError::Unknown {
                path: path.to_owned(),
                what,
            });
        }
        // Anything else is read as a recording, whose reader names the line and the problem.
        None => Format::Recording,
    };
    let file = File::open(path).map_err(io_error)?;
    Ok((format, BufReader::new(file)))
}

fn first_text_byte(head: &[u8]) -> Option<u8> {
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    text.iter().copied().find(|b| !b.is_ascii_whitespace())
}

/// Longest gap between two samples of a watch file that is still counted (a strap's is 5 s).
///
/// Watches store a sample every 1-8 s with "smart recording"; the longest gap in the real
/// smart-recorded file we test against is 11 s, with the timer running. 30 s covers them with
/// room to spare, while a strap taken off or out of contact for longer is not counted.
pub const IMPORTED_MAX_GAP: std::time::Duration = std::time::Duration::from_secs(30);

/// The shortest gap between two TCX tracks or GPX segments that is a pause. Watches start a
/// new track after a pause, but some (and apps) also at every lap, and then the next point comes
/// within a second or two: 2 s at each of the six 1 km laps of the real runpandas TCX. A lap
/// split is not a stop; the gap is counted like any other between two samples.
pub const SEGMENT_PAUSE: std::time::Duration = std::time::Duration::from_secs(10);

/// A file opened for a session: a recording as it is, a watch file converted to one.
pub struct Opened {
    /// The recording to replay.
    pub reader: RecordingReader<Box<dyn io::BufRead + Send>>,
    /// The watch file it came from, if it was one.
    pub activity: Option<Activity>,
}

/// Why a file could not be opened for a session.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// A watch file that could not be read.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// A recording that could not be read.
    #[error(transparent)]
    Recording(#[from] RecordingError),
}

/// Opens any file hrcoach reads (a recording, FIT, TCX, GPX) as a recording.
///
/// # Errors
/// See [`OpenError`].
pub fn open_session(path: &Path) -> Result<Opened, OpenError> {
    let (format, input) = open(path)?;
    if format == Format::Recording {
        let input: Box<dyn io::BufRead + Send> = Box::new(input);
        return Ok(Opened {
            reader: RecordingReader::new(input, path)?,
            activity: None,
        });
    }
    let activity = read_from(format, input, path)?;
    let mut text = Vec::new();
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    to_recording(&activity, &name, &mut text).map_err(|source| ImportError::Io {
        path: path.to_owned(),
        source,
    })?;
    let input: Box<dyn io::BufRead + Send> = Box::new(io::Cursor::new(text));
    Ok(Opened {
        reader: RecordingReader::new(input, path)?,
        activity: Some(activity),
    })
}

/// Reads a FIT, TCX or GPX file.
///
/// # Errors
/// See [`ImportError`]; a recording is [`ImportError::Unknown`] here (read it with
/// [`crate::recording::RecordingReader`]).
pub fn read(path: &Path) -> Result<Activity, ImportError> {
    let (format, input) = open(path)?;
    read_from(format, input, path)
}

/// Reads an activity of a known `format` from `input`; `path` names it in errors.
///
/// # Errors
/// See [`ImportError`].
pub fn read_from(
    format: Format,
    input: impl io::BufRead,
    path: &Path,
) -> Result<Activity, ImportError> {
    let activity = match format {
        Format::Fit => fit::read(input, path)?,
        Format::Tcx => tcx::read(input, path)?,
        Format::Gpx => gpx::read(input, path)?,
        Format::Recording => {
            return Err(ImportError::Unknown {
                path: path.to_owned(),
                what: "already an hrcoach recording".to_owned(),
            });
        }
    };
    check_heart_rate(activity, path)
}

fn check_heart_rate(activity: Activity, path: &Path) -> Result<Activity, ImportError> {
    let with_hr = activity.heart_rate_samples().count();
    if with_hr > 0 {
        return Ok(activity);
    }
    let what = match (activity.format, activity.samples.len()) {
        (_, 0) => format!(
            "no samples: the {} file holds no track points or records",
            activity.format.as_str().to_uppercase()
        ),
        (Format::Gpx, n) => format!(
            "no heart rate: {n} track point{}, none with a gpxtpx:hr extension (Garmin's TrackPointExtension)",
            plural(n)
        ),
        (Format::Tcx, n) => {
            format!(
                "no heart rate: {n} track point{}, none with HeartRateBpm",
                plural(n)
            )
        }
        (_, n) => format!(
            "no heart rate: {n} record{}, none with a heart_rate field",
            plural(n)
        ),
    };
    Err(ImportError::NoHeartRate {
        path: path.to_owned(),
        what,
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

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

    fn sample(t_ms: u64, bpm: u16) -> Sample {
        Sample {
            t_ms,
            bpm: Some(bpm),
            ..Sample::default()
        }
    }

    #[test]
    fn detect_needs_the_fit_signature_not_the_name() {
        let mut fit = [0u8; 14];
        fit[0] = 14;
        fit[8..12].copy_from_slice(b".FIT");
        assert_eq!(detect(&fit), Some(Format::Fit));
        fit[8] = b'x';
        assert_eq!(detect(&fit), None);
        assert_eq!(detect(b""), None);
        assert_eq!(
            detect(b"<?xml version='1.0'?><!-- a comment --><ns:gpx>"),
            Some(Format::Gpx)
        );
        assert_eq!(detect(b"<html><body>"), None);
    }

    #[test]
    fn a_recording_of_an_activity_leaves_out_what_was_paused()
    -> Result<(), Box<dyn std::error::Error>> {
        let mut a = Activity::new(Format::Fit);
        a.samples = vec![
            sample(0, 120),
            sample(1000, 121),
            sample(5000, 90),
            sample(9000, 122),
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
    fn a_stop_after_the_last_sample_is_the_end_not_a_pause() -> Result<(), ImportError> {
        let t = Timeline {
            points: vec![(1_000, sample(0, 120)), (2_000, sample(0, 121))],
            timer: vec![(1_000, false), (2_000, true)],
            ..Timeline::default()
        };
        let a = t.into_activity(Activity::new(Format::Fit), Path::new("t.fit"))?;
        assert!(a.pauses.is_empty(), "{:?}", a.pauses);
        let t = Timeline {
            points: vec![(1_000, sample(0, 120)), (9_000, sample(0, 121))],
            timer: vec![(2_000, true)],
            ..Timeline::default()
        };
        let a = t.into_activity(Activity::new(Format::Fit), Path::new("t.fit"))?;
        assert_eq!(a.pauses, [(1_000, None)]);
        Ok(())
    }

    #[test]
    fn a_pause_that_never_ends_drops_the_rest() -> Result<(), Box<dyn std::error::Error>> {
        let mut a = Activity::new(Format::Fit);
        a.samples = vec![sample(0, 120), sample(3000, 121)];
        a.pauses = vec![(1000, None)];
        let mut out = Vec::new();
        to_recording(&a, "run.fit", &mut out)?;
        let text = String::from_utf8(out)?;
        assert_eq!(text.lines().count(), 3, "{text}");
        assert!(text.ends_with("{\"t_ms\":1000,\"timer\":\"paused\"}\n"));
        Ok(())
    }
}
