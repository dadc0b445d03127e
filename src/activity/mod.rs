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
mod open;
pub mod tcx;
mod timeline;
mod to_recording;
mod xml;

pub use open::{ImportError, OpenError, Opened, detect, open, open_session, read, read_from};
pub use timeline::SEGMENT_PAUSE;
use timeline::Timeline;
pub use to_recording::{Imported, to_recording};

use serde::{Deserialize, Serialize};

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

/// What the activity was. hrcoach coaches runs, but converts any file: the sport is kept, so
/// that a ride exported for Strava stays a ride.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sport {
    /// Running (a recording from a strap is a run).
    Running,
    /// Cycling: FIT `cycling`, TCX `Biking`, GPX `cycling`/`biking`/`ride`.
    Cycling,
    /// Walking.
    Walking,
    /// Hiking.
    Hiking,
    /// Swimming.
    Swimming,
    /// Anything else the file names.
    Other,
}

impl Sport {
    /// Lower-case name: `running`, `cycling`... (GPX `<type>`, JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            Sport::Running => "running",
            Sport::Cycling => "cycling",
            Sport::Walking => "walking",
            Sport::Hiking => "hiking",
            Sport::Swimming => "swimming",
            Sport::Other => "other",
        }
    }

    /// The sport a name in a file stands for (TCX `Sport`, GPX `<type>`, any case); `None`
    /// for an empty name.
    pub fn from_name(name: &str) -> Option<Sport> {
        let name = name.trim().to_ascii_lowercase();
        Some(match name.as_str() {
            "" => return None,
            "running" | "run" | "trail_running" | "treadmill_running" => Sport::Running,
            "cycling" | "biking" | "ride" | "bike" | "road_biking" | "mountain_biking" => {
                Sport::Cycling
            }
            "walking" | "walk" => Sport::Walking,
            "hiking" | "hike" => Sport::Hiking,
            "swimming" | "swim" => Sport::Swimming,
            _ => Sport::Other,
        })
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

#[cfg(test)]
impl Sample {
    /// A sample with a heart rate and nothing else.
    pub(crate) fn hr(t_ms: u64, bpm: u16) -> Self {
        Self {
            t_ms,
            bpm: Some(bpm),
            ..Self::default()
        }
    }
}

/// A position in degrees (WGS 84).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Position {
    /// Latitude, -90 to 90.
    pub lat: f64,
    /// Longitude, -180 to 180.
    pub lon: f64,
}

/// How a device computed its zones (FIT `hr_zone_calc`); the names are FIT's, as a recording's
/// header and `report --json` write them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZoneCalc {
    /// % of max HR.
    PercentMaxHr,
    /// % of heart-rate reserve.
    PercentHrr,
    /// % of lactate threshold HR.
    PercentLthr,
    /// The runner's own bounds.
    Custom,
    /// Not said, or a value FIT does not define.
    #[serde(other)]
    Unknown,
}

impl ZoneCalc {
    /// The name: `percent_max_hr`, `percent_hrr`, `percent_lthr`, `custom`, `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            ZoneCalc::PercentMaxHr => "percent_max_hr",
            ZoneCalc::PercentHrr => "percent_hrr",
            ZoneCalc::PercentLthr => "percent_lthr",
            ZoneCalc::Custom => "custom",
            ZoneCalc::Unknown => "unknown",
        }
    }
}

impl std::fmt::Display for ZoneCalc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The zone boundaries a device stored with the activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceZones {
    /// Lower bounds in bpm of zones 1-5 (a watch's high boundaries of zones 0-4).
    pub lower_bounds: [u16; 5],
    /// The top of zone 5 (the device's max HR), when stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top: Option<u16>,
    /// How the device computed them.
    pub method: ZoneCalc,
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
    /// The sport the file names, when it does.
    pub sport: Option<Sport>,
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
            sport: None,
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

/// Longest gap between two samples of a watch file that is still counted (a strap's is 5 s).
///
/// Watches store a sample every 1-8 s with "smart recording"; the longest gap in the real
/// smart-recorded file we test against is 11 s, with the timer running. 30 s covers them with
/// room to spare, while a strap taken off or out of contact for longer is not counted.
pub const IMPORTED_MAX_GAP: std::time::Duration = std::time::Duration::from_secs(30);
