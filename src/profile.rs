//! The runner's profile: max HR (with where it came from and how sure it is), resting HR,
//! LTHR, the zone model, the sore-day cap and alert settings, in one TOML file.
//!
//! Every coaching command reads it; flags override it for one run. The file lives in the
//! platform's config directory (`$XDG_CONFIG_HOME/hrcoach/profile.toml`, by default
//! `~/.config/hrcoach/profile.toml` on Linux) unless `--profile FILE` names another. A missing
//! profile is an empty one. A profile that does not parse, or holds a value out of range, is
//! an error naming the file, the key and the allowed values: hrcoach never coaches from a
//! number it had to guess.
//!
//! ```toml
//! zone_model = "max"        # max | hrr | lthr
//! age = 40
//!
//! [max_hr]
//! bpm = 186
//! source = "field-test"     # formula:<name> | field-test | history | entered
//! date = "2026-11-27"
//! low = 184                 # plausible range
//! high = 190
//!
//! [resting_hr]
//! bpm = 52
//! date = "2026-11-20"
//! rmssd_ms = 48.5
//!
//! [sore]
//! cap_pct = 68              # default: an easy effort (70 % of max HR, 60 % of HRR, 85 % of LTHR)
//!
//! [alerts]
//! dwell = "20s"
//! ```

use jiff::civil::Date;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::coach::zones::Percent;

/// Where the profile is read from when `--profile` is not given.
pub fn default_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("hrcoach").join("profile.toml"))
}

/// The runner's profile. Every field is optional: a new runner has an empty profile.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Which zone model is in force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone_model: Option<ZoneModelName>,
    /// The runner's own zones: lower bounds of zones 1-5 in bpm (e.g. from their watch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zones: Option<[u16; 5]>,
    /// Age in years, for the formulas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u16>,
    /// Sex, for the formulas that depend on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    /// Maximum heart rate and its provenance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_hr: Option<MaxHr>,
    /// Resting heart rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resting_hr: Option<RestingHr>,
    /// Lactate-threshold heart rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lthr: Option<Lthr>,
    /// Sore-day settings.
    #[serde(default, skip_serializing_if = "Sore::is_empty")]
    pub sore: Sore,
    /// Alert settings.
    #[serde(default, skip_serializing_if = "AlertSettings::is_empty")]
    pub alerts: AlertSettings,
}

pub use crate::coach::zones::ZoneModelName;

/// Sex, as the formulas use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
}

/// Max HR with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaxHr {
    /// The value in force.
    pub bpm: u16,
    /// Where it came from.
    pub source: MaxHrSource,
    /// When it was set (YYYY-MM-DD).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "date_text"
    )]
    pub date: Option<Date>,
    /// Low end of the plausible range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<u16>,
    /// High end of the plausible range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<u16>,
}

impl MaxHr {
    /// Whether the value is an age formula's, to be replaced by a measurement.
    pub fn is_formula(&self) -> bool {
        matches!(self.source, MaxHrSource::Formula(_))
    }
}

/// Where a max HR came from. In the profile it is a string: `entered`, `formula:<name>`,
/// `history`, `field-test`, the last two with ` (lower bound)` when the recording could not
/// show a max; any other text (written by hand, say "lab test") is kept as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", from = "String")]
pub enum MaxHrSource {
    /// Typed in (`profile set max-hr`).
    Entered,
    /// An age formula, by name (`calibrate formula --save`).
    Formula(String),
    /// The sustained peak of a recorded hard effort (`calibrate history --save`).
    History {
        /// The session was not maximal: the true max is at least this.
        lower_bound: bool,
    },
    /// The guided field test (`calibrate field-test --save`).
    FieldTest {
        /// The test did not finish: the true max is at least this.
        lower_bound: bool,
    },
    /// Anything else, as written in the profile.
    Other(String),
}

const LOWER_BOUND: &str = " (lower bound)";

impl std::fmt::Display for MaxHrSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let bound = |lower: bool| if lower { LOWER_BOUND } else { "" };
        match self {
            MaxHrSource::Entered => f.write_str("entered"),
            MaxHrSource::Formula(name) => write!(f, "formula:{name}"),
            MaxHrSource::History { lower_bound } => write!(f, "history{}", bound(*lower_bound)),
            MaxHrSource::FieldTest { lower_bound } => {
                write!(f, "field-test{}", bound(*lower_bound))
            }
            MaxHrSource::Other(text) => f.write_str(text),
        }
    }
}

impl From<MaxHrSource> for String {
    fn from(s: MaxHrSource) -> String {
        s.to_string()
    }
}

impl From<String> for MaxHrSource {
    fn from(text: String) -> Self {
        let (base, lower_bound) = match text.strip_suffix(LOWER_BOUND) {
            Some(base) => (base, true),
            None => (text.as_str(), false),
        };
        match (base, lower_bound) {
            ("entered", false) => MaxHrSource::Entered,
            ("history", _) => MaxHrSource::History { lower_bound },
            ("field-test", _) => MaxHrSource::FieldTest { lower_bound },
            _ => match base.strip_prefix("formula:") {
                Some(name) if !lower_bound => MaxHrSource::Formula(name.to_owned()),
                _ => MaxHrSource::Other(text),
            },
        }
    }
}

/// Resting HR.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestingHr {
    /// Lowest sustained minute lying still on waking.
    pub bpm: u16,
    /// When it was measured.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "date_text"
    )]
    pub date: Option<Date>,
    /// RMSSD of the same measurement, when RR intervals were available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rmssd_ms: Option<f64>,
}

/// LTHR.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lthr {
    /// Mean HR of the last 20 minutes of a 30-minute time trial, or entered.
    pub bpm: u16,
    /// When it was set.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "date_text"
    )]
    pub date: Option<Date>,
}

/// Sore-day settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sore {
    /// The cap as a percentage of the zone model's basis; default the model's easy-day cap
    /// (see `ZoneModel::easy_cap`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_pct: Option<f64>,
}

impl Sore {
    fn is_empty(&self) -> bool {
        self.cap_pct.is_none()
    }
}

/// Alert settings; each defaults as documented in docs/zones-and-alerts.md.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertSettings {
    /// Time over the cap before the first alert (`"20s"`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "duration_text"
    )]
    pub dwell: Option<Duration>,
    /// Margin under the cap to clear, in bpm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub margin_bpm: Option<u16>,
    /// Time under cap − margin before "back under" (`"10s"`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "duration_text"
    )]
    pub clear_after: Option<Duration>,
    /// Interval between reminders (`"60s"`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "duration_text"
    )]
    pub remind_every: Option<Duration>,
}

/// A duration in the profile as text: read as [`parse_duration`] reads a flag (`"20s"`,
/// `"1m30s"`, `"90"`), written as `"20s"` or `"1m 30s"`.
mod duration_text {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&humantime::format_duration(*d).to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_duration(&text)
            .map(Some)
            .map_err(serde::de::Error::custom)
    }
}

impl AlertSettings {
    fn is_empty(&self) -> bool {
        *self == AlertSettings::default()
    }
}

/// A profile that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The file exists but cannot be read or written.
    #[error("cannot {action} profile {}", path.display())]
    Io {
        /// "read" or "write".
        action: &'static str,
        /// The profile file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The file is not valid TOML or has unknown keys or wrong types.
    #[error("profile {}: {message}", path.display())]
    Parse {
        /// The profile file.
        path: PathBuf,
        /// What toml said, key and position included.
        message: String,
    },
    /// A value is out of range. The message names the line (when read from a file) and the
    /// `profile set` that mends it, which works on a profile broken this way.
    #[error(
        "profile {}{}: {key} = {value}: {allowed}. To fix it: hrcoach profile set {} VALUE, or edit {}",
        path.display(),
        line.map(|l| format!(":{l}")).unwrap_or_default(),
        set_key(key),
        line.map_or_else(|| "the file".to_owned(), |l| format!("line {l}")),
    )]
    Invalid {
        /// The profile file.
        path: PathBuf,
        /// The line the key is on, when read from the file.
        line: Option<usize>,
        /// The key, e.g. `max_hr.bpm`.
        key: &'static str,
        /// The value found.
        value: String,
        /// What is allowed.
        allowed: String,
    },
}

impl ProfileError {
    /// The key a [`ProfileError::Invalid`] is about.
    pub fn key(&self) -> Option<&'static str> {
        match self {
            ProfileError::Invalid { key, .. } => Some(key),
            _ => None,
        }
    }
}

/// The `profile set` key that sets a profile key (`max_hr.bpm` → `max-hr`).
fn set_key(key: &str) -> &'static str {
    match key {
        "max_hr.bpm" => "max-hr",
        "resting_hr.bpm" => "resting-hr",
        "lthr.bpm" => "lthr",
        "age" => "age",
        "sore.cap_pct" => "cap-pct",
        "alerts.margin_bpm" => "margin",
        _ => "KEY",
    }
}

/// The 1-based line of `key` (`table.name` or a top-level `name`) in a profile's text: the
/// first `name =` line inside `[table]`, or before any table for a top-level key.
fn line_of(text: &str, key: &str) -> Option<usize> {
    let (table, name) = key.split_once('.').unwrap_or(("", key));
    let mut current = "";
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(t) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = t.trim();
        } else if current == table
            && line
                .strip_prefix(name)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        {
            return Some(i + 1);
        }
    }
    None
}

/// Allowed ranges, shared by the profile, the flags and `profile set`.
pub mod limits {
    use std::ops::RangeInclusive;

    /// A whole-number value with its plausible range, written once: the command line's
    /// parser, `profile set` and the profile loader all check through it.
    #[derive(Debug, Clone)]
    pub struct Limit {
        /// What it is, for messages: "max heart rate".
        pub what: &'static str,
        /// Its unit: "bpm", "years".
        pub unit: &'static str,
        /// The values allowed.
        pub range: RangeInclusive<u16>,
        /// A typical value, for the message that asks for one.
        pub example: u16,
    }

    impl Limit {
        /// A limit: what it is, its unit, the values allowed and a typical one.
        pub const fn new(
            what: &'static str,
            unit: &'static str,
            range: RangeInclusive<u16>,
            example: u16,
        ) -> Limit {
            Limit {
                what,
                unit,
                range,
                example,
            }
        }

        /// Whether `v` is allowed.
        pub fn contains(&self, v: u16) -> bool {
            self.range.contains(&v)
        }

        /// The range in words: "100-230".
        pub fn span(&self) -> String {
            format!("{}-{}", self.range.start(), self.range.end())
        }

        /// `v`, if allowed.
        ///
        /// # Errors
        /// "max heart rate 300 is outside 100-230 bpm".
        pub fn check(&self, v: u16) -> Result<u16, String> {
            if self.contains(v) {
                Ok(v)
            } else {
                Err(format!(
                    "{} {v} is outside {} {}",
                    self.what,
                    self.span(),
                    self.unit
                ))
            }
        }

        /// A value typed by the runner (a flag, `profile set`).
        ///
        /// # Errors
        /// Not a whole number, or outside the range: the message says what to give.
        pub fn parse(&self, text: &str) -> Result<u16, String> {
            let v = text.trim().parse::<u16>().map_err(|_| {
                format!(
                    "{text:?} is not a whole number of {}: give the {} as e.g. {}",
                    self.unit, self.what, self.example
                )
            })?;
            self.check(v)
        }

        /// What the profile loader says of a value outside the range: "max heart rate must
        /// be 100-230 bpm".
        pub fn must_be(&self) -> String {
            format!("{} must be {} {}", self.what, self.span(), self.unit)
        }
    }

    /// Max HR.
    pub const MAX_HR: Limit = Limit::new("max heart rate", "bpm", 100..=230, 185);
    /// Resting HR.
    pub const RESTING_HR: Limit = Limit::new("resting heart rate", "bpm", 25..=120, 55);
    /// LTHR.
    pub const LTHR: Limit = Limit::new("LTHR", "bpm", 90..=220, 165);
    /// Age.
    pub const AGE: Limit = Limit::new("age", "years", 10..=100, 40);
    /// How far under the cap heart rate must come before the alert clears.
    pub const MARGIN: Limit = Limit::new("margin", "bpm", 0..=20, 3);
}

impl Profile {
    /// Reads the profile at `path`; a missing file is an empty profile.
    ///
    /// # Errors
    /// A [`ProfileError`] naming the file, and the key where there is one.
    pub fn load(path: &Path) -> Result<Profile, ProfileError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Profile::default()),
            Err(source) => {
                return Err(ProfileError::Io {
                    action: "read",
                    path: path.to_owned(),
                    source,
                });
            }
        };
        let profile = Self::parse(&text, path)?;
        profile.validate(path).map_err(|e| match e {
            ProfileError::Invalid {
                path,
                key,
                value,
                allowed,
                ..
            } => ProfileError::Invalid {
                line: line_of(&text, key),
                path,
                key,
                value,
                allowed,
            },
            other => other,
        })?;
        Ok(profile)
    }

    /// Reads the profile at `path` without checking its values: for `profile set` and
    /// `profile show`, which must work on a profile with a value out of range (the commands
    /// that mend it). A missing file is an empty profile.
    ///
    /// # Errors
    /// An unreadable file, or one that is not a profile at all ([`ProfileError::Parse`]).
    pub fn load_unchecked(path: &Path) -> Result<Profile, ProfileError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Profile::default()),
            Err(source) => Err(ProfileError::Io {
                action: "read",
                path: path.to_owned(),
                source,
            }),
        }
    }

    fn parse(text: &str, path: &Path) -> Result<Profile, ProfileError> {
        toml::from_str(text).map_err(|e| ProfileError::Parse {
            path: path.to_owned(),
            message: one_line(&e.to_string()),
        })
    }

    /// Writes the profile to `path`, creating its directory.
    ///
    /// # Errors
    /// A [`ProfileError::Io`].
    pub fn save(&self, path: &Path) -> Result<(), ProfileError> {
        let io = |source| ProfileError::Io {
            action: "write",
            path: path.to_owned(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let text = toml::to_string_pretty(self).map_err(|e| ProfileError::Parse {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        // Write a sibling and rename it over, so a crash never leaves half a profile.
        let tmp = path.with_extension("toml.tmp");
        crate::files::write(&tmp, text.as_bytes()).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// Checks every value against its allowed range.
    ///
    /// # Errors
    /// [`ProfileError::Invalid`] for the first value out of range.
    pub fn validate(&self, path: &Path) -> Result<(), ProfileError> {
        let invalid = |key, value: String, allowed: String| ProfileError::Invalid {
            path: path.to_owned(),
            line: None,
            key,
            value,
            allowed,
        };
        let in_range = |key, v: u16, limit: &limits::Limit| {
            if limit.contains(v) {
                Ok(())
            } else {
                Err(invalid(key, v.to_string(), limit.must_be()))
            }
        };
        if let Some(age) = self.age {
            in_range("age", age, &limits::AGE)?;
        }
        if let Some(m) = &self.max_hr {
            in_range("max_hr.bpm", m.bpm, &limits::MAX_HR)?;
        }
        if let Some(r) = &self.resting_hr {
            in_range("resting_hr.bpm", r.bpm, &limits::RESTING_HR)?;
            if let Some(m) = &self.max_hr
                && r.bpm >= m.bpm
            {
                return Err(invalid(
                    "resting_hr.bpm",
                    r.bpm.to_string(),
                    format!(
                        "resting heart rate must be below max heart rate ({})",
                        m.bpm
                    ),
                ));
            }
        }
        if let Some(l) = &self.lthr {
            in_range("lthr.bpm", l.bpm, &limits::LTHR)?;
        }
        if let Some(p) = self.sore.cap_pct {
            let model = self.zone_model.unwrap_or(ZoneModelName::Max);
            let range = cap_range(model);
            if !(range.0..=range.1).contains(&p) {
                return Err(invalid(
                    "sore.cap_pct",
                    p.to_string(),
                    format!(
                        "under zone model {} the cap must be {}-{} %",
                        model.as_str(),
                        range.0,
                        range.1
                    ),
                ));
            }
        }
        if let Some(m) = self.alerts.margin_bpm {
            in_range("alerts.margin_bpm", m, &limits::MARGIN)?;
        }
        Ok(())
    }

    /// The sore-day cap percentage, if set.
    pub fn cap_percent(&self) -> Option<Percent> {
        self.sore.cap_pct.map(percent_from_f64)
    }
}

/// The caps allowed under each zone model, in percent: from low enough to hold a very sore
/// runner under the model's easy-day default, up to the top of its zone 2. A cap above 75 %
/// of max HR is allowed but warned about (see `output::format::cap_warning`).
pub fn cap_range(model: ZoneModelName) -> (f64, f64) {
    match model {
        ZoneModelName::Max => (50.0, 70.0),
        ZoneModelName::Hrr => (40.0, 70.0),
        ZoneModelName::Lthr => (75.0, 90.0),
    }
}

/// A percentage given as a number, to a tenth.
pub fn percent_from_f64(p: f64) -> Percent {
    Percent::from_tenths((p * 10.0).round().clamp(0.0, f64::from(u16::MAX)) as u16)
}

/// `20`, `20s`, `1m30s`: a bare number is seconds.
///
/// # Errors
/// A message with an example of the expected form.
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    if let Ok(secs) = s.parse::<u64>() {
        return Ok(std::time::Duration::from_secs(secs));
    }
    humantime::parse_duration(s)
        .map_err(|e| format!("{s:?} is not a duration like 20s or 1m30s: {e}"))
}

/// toml's messages span several lines with a source excerpt; keep them on one.
fn one_line(msg: &str) -> String {
    msg.lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty() && !l.starts_with('|') && !l.chars().all(|c| c == '^' || c == ' ')
        })
        .collect::<Vec<_>>()
        .join(": ")
}

/// A profile's date, `YYYY-MM-DD`, with a message that says so when it is not one.
fn date_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
    let text = String::deserialize(d)?;
    text.parse()
        .map(Some)
        .map_err(|_| serde::de::Error::custom(format!("expected a date, YYYY-MM-DD, not {text:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Profile, ProfileError> {
        let p: Profile = toml::from_str(text).map_err(|e| ProfileError::Parse {
            path: "p.toml".into(),
            message: one_line(&e.to_string()),
        })?;
        p.validate(Path::new("p.toml"))?;
        Ok(p)
    }

    #[test]
    fn an_empty_profile_is_fine() -> Result<(), ProfileError> {
        assert_eq!(parse("")?, Profile::default());
        Ok(())
    }

    #[test]
    fn reads_the_documented_example() -> Result<(), ProfileError> {
        let p = parse(
            "zone_model = \"hrr\"\nage = 40\n[max_hr]\nbpm = 186\nsource = \"field-test\"\nlow = 184\nhigh = 190\n\
             [resting_hr]\nbpm = 52\nrmssd_ms = 48.5\n[sore]\ncap_pct = 68\n[alerts]\ndwell = \"30s\"\n",
        )?;
        assert_eq!(p.zone_model, Some(ZoneModelName::Hrr));
        assert_eq!(p.max_hr.as_ref().map(|m| m.bpm), Some(186));
        assert_eq!(p.cap_percent(), Some(Percent::whole(68)));
        Ok(())
    }

    #[test]
    fn bad_profiles_name_the_key_and_the_allowed_values() {
        let cases = [
            (
                "[max_hr]\nbpm = 300\nsource = \"entered\"\n",
                "max_hr.bpm = 300: max heart rate must be 100-230",
            ),
            ("age = 5\n", "age = 5: age must be 10-100"),
            (
                "[max_hr]\nbpm = 105\nsource = \"entered\"\n[resting_hr]\nbpm = 110\n",
                "resting_hr.bpm = 110: resting heart rate must be below max heart rate (105)",
            ),
            (
                "zone_model = \"karvonen\"\n",
                "unknown variant `karvonen`, expected one of `max`, `hrr`, `lthr`",
            ),
            (
                "[sore]\ncap_pct = 80\n",
                "sore.cap_pct = 80: under zone model max the cap must be 50-70 %",
            ),
            (
                "[alerts]\ndwell = \"soon\"\n",
                "line 2, column 9: 2 | dwell = \"soon\": \"soon\" is not a duration like 20s",
            ),
            ("maxhr = 180\n", "unknown field `maxhr`"),
            ("age = \"forty\"\n", "invalid type: string \"forty\""),
            ("[max_hr\n", "p.toml"),
        ];
        for (text, want) in cases {
            let result = parse(text);
            assert!(result.is_err(), "{text:?} parsed as {result:?}");
            let msg = result.err().map(|e| e.to_string()).unwrap_or_default();
            assert!(msg.starts_with("profile p.toml"), "{msg}");
            assert!(msg.contains(want), "{text:?}: {msg}");
            assert!(!msg.contains('\n'), "one line: {msg}");
        }
    }

    #[test]
    fn saves_and_loads_the_same_profile() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("sub").join("profile.toml");
        assert_eq!(Profile::load(&path)?, Profile::default());
        let p = Profile {
            age: Some(40),
            max_hr: Some(MaxHr {
                bpm: 180,
                source: MaxHrSource::Formula("tanaka".to_owned()),
                date: Some(jiff::civil::date(2026, 11, 27)),
                low: Some(170),
                high: Some(190),
            }),
            ..Profile::default()
        };
        p.save(&path)?;
        assert_eq!(Profile::load(&path)?, p);
        Ok(())
    }

    #[test]
    fn a_max_hr_source_reads_and_writes_the_strings_profiles_hold() {
        let cases = [
            ("entered", MaxHrSource::Entered),
            ("formula:tanaka", MaxHrSource::Formula("tanaka".to_owned())),
            ("history", MaxHrSource::History { lower_bound: false }),
            (
                "history (lower bound)",
                MaxHrSource::History { lower_bound: true },
            ),
            (
                "field-test (lower bound)",
                MaxHrSource::FieldTest { lower_bound: true },
            ),
            ("lab test", MaxHrSource::Other("lab test".to_owned())),
        ];
        for (text, source) in cases {
            assert_eq!(MaxHrSource::from(text.to_owned()), source, "{text}");
            assert_eq!(source.to_string(), text);
        }
    }

    #[test]
    fn a_date_is_a_date_or_a_clear_error() -> Result<(), Box<dyn std::error::Error>> {
        let path = Path::new("profile.toml");
        let good = Profile::parse(
            "[max_hr]\nbpm = 185\nsource = \"entered\"\ndate = \"2026-11-02\"\n",
            path,
        )?;
        let date = good.max_hr.as_ref().and_then(|m| m.date);
        assert_eq!(date, Some(jiff::civil::date(2026, 11, 2)));
        // Written back the same way.
        assert!(toml::to_string(&good)?.contains("date = \"2026-11-02\""));
        let bad = Profile::parse(
            "[max_hr]\nbpm = 185\nsource = \"entered\"\ndate = \"yesterday\"\n",
            path,
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(
            bad.contains("expected a date, YYYY-MM-DD, not \"yesterday\""),
            "{bad}"
        );
        Ok(())
    }

    #[test]
    fn each_limit_says_what_to_give_and_what_is_allowed() {
        assert_eq!(limits::AGE.parse(" 40 "), Ok(40));
        assert_eq!(
            limits::AGE.parse("five"),
            Err("\"five\" is not a whole number of years: give the age as e.g. 40".to_owned())
        );
        assert_eq!(
            limits::AGE.parse("5"),
            Err("age 5 is outside 10-100 years".to_owned())
        );
        assert_eq!(
            limits::MARGIN.parse("25"),
            Err("margin 25 is outside 0-20 bpm".to_owned())
        );
        assert_eq!(
            limits::MAX_HR.must_be(),
            "max heart rate must be 100-230 bpm"
        );
        for limit in [
            &limits::MAX_HR,
            &limits::RESTING_HR,
            &limits::LTHR,
            &limits::AGE,
            &limits::MARGIN,
        ] {
            // The example a message offers is itself allowed.
            assert_eq!(
                limit.check(limit.example),
                Ok(limit.example),
                "{}",
                limit.what
            );
        }
    }
}
