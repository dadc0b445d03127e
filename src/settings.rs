//! The coach's settings for one session: the runner's flags, then the profile, then the
//! model's defaults, into a [`CoachConfig`]. Plain values in, typed errors out: the binary
//! turns its flags into a [`Coaching`] and calls these, and nothing here knows the command line.

use std::path::Path;
use std::time::Duration;

use crate::checkins::rules::{Plan, Verdict};
use crate::coach::CoachConfig;
use crate::coach::alerts::CapSettings;
use crate::coach::plan::RunPlan;
use crate::coach::zones::{Percent, ZoneBasis, ZoneModel};
use crate::profile::{self, Profile, ZoneModelName};
use crate::recording::Header;

/// What the runner asked of the coach for one session, each `None` to be filled from the
/// profile, then the defaults.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Coaching {
    /// Max HR, bpm.
    pub max_hr: Option<u16>,
    /// The zone model.
    pub zone_model: Option<ZoneModelName>,
    /// The lower bounds of zones 1-5, bpm.
    pub zones: Option<[u16; 5]>,
    /// Use the zones a watch file stores.
    pub zones_from_file: bool,
    /// A sore day: cap the run.
    pub sore: bool,
    /// The sore-day cap, percent of the model's basis.
    pub cap_pct: Option<f64>,
    /// Time over the cap before the first alert.
    pub dwell: Option<Duration>,
    /// How far under the cap is back under, bpm.
    pub margin: Option<u16>,
    /// How long back under before it is said.
    pub clear_after: Option<Duration>,
    /// How often to remind while over.
    pub remind_every: Option<Duration>,
    /// Run/walk, the route, the warm-up check (`live` and `replay`; the plan's time comes
    /// from the day's plan, [`apply_plan`]).
    pub run: RunPlan,
}

/// Settings that cannot make a session, each with what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SettingsError {
    /// No max HR from the flags or the profile.
    #[error(
        "no max heart rate: pass --max-hr BPM, or save one with `hrcoach calibrate formula --age N --save` (a start) or `hrcoach calibrate history FILE --save`"
    )]
    NoMaxHr,
    /// %HRR without a resting HR.
    #[error(
        "zone model hrr needs a resting heart rate: `hrcoach calibrate resting FILE --save` or `hrcoach profile set resting-hr BPM`"
    )]
    NoRestingHr,
    /// A resting HR at or above max HR.
    #[error("resting heart rate {resting} is not below max heart rate {max}")]
    RestingNotBelowMax {
        /// Resting HR.
        resting: u16,
        /// Max HR.
        max: u16,
    },
    /// %LTHR without an LTHR.
    #[error(
        "zone model lthr needs a lactate-threshold heart rate: `hrcoach calibrate lthr FILE --save` or `hrcoach profile set lthr BPM`"
    )]
    NoLthr,
    /// `--zones-from-file` where no file is read.
    #[error(
        "--zones-from-file takes the zones a watch file stores: use it with replay, report or export of a FIT file"
    )]
    ZonesFromFileWithoutFile,
    /// `--zones-from-file` for a file that stores none.
    #[error(
        "--zones-from-file: {file} stores no zone boundaries (FIT files can, in time_in_zone or hr_zone messages): drop the flag, or pass --zones LIST"
    )]
    NoZonesInFile {
        /// The file.
        file: String,
    },
    /// A recording's `coached` header that no run has.
    #[error(
        "the recording's coaching (its header's \"coached\") cannot be used: {why}; pass --max-hr (and --sore) to look back at the run your way"
    )]
    RecordedCoaching {
        /// What is wrong.
        why: String,
    },
    /// A cap outside the model's range.
    #[error(
        "{what} {p} is outside {lo}-{hi}% for zone model {model}: the sore-day cap is an easy effort"
    )]
    CapOutOfRange {
        /// Where it came from: `--cap-pct`, `the profile's sore.cap_pct`.
        what: &'static str,
        /// The cap.
        p: f64,
        /// The model's range.
        lo: f64,
        /// See `lo`.
        hi: f64,
        /// The model.
        model: &'static str,
    },
}

impl Coaching {
    /// Whether any flag names the zones or the cap: then a recording's own coaching is
    /// overridden ([`as_recorded`]).
    pub fn any_given(&self) -> bool {
        let Coaching {
            max_hr,
            zone_model,
            zones,
            zones_from_file,
            sore,
            cap_pct,
            dwell,
            margin,
            clear_after,
            remind_every,
            run: _,
        } = self;
        max_hr.is_some()
            || zone_model.is_some()
            || zones.is_some()
            || *zones_from_file
            || *sore
            || cap_pct.is_some()
            || dwell.is_some()
            || margin.is_some()
            || clear_after.is_some()
            || remind_every.is_some()
    }
}

/// The coaching a recording kept ([`crate::recording::coached::Coached`]), to look back at
/// the run as it was coached, when no flag of `c` overrides it. `None`: no coaching kept
/// (imported files, recordings before it was kept), or flags given.
///
/// # Errors
/// A header whose coaching no run has (hand-edited or damaged), with what to do.
pub fn as_recorded(
    c: &Coaching,
    header: Option<&Header>,
) -> Result<Option<CoachConfig>, SettingsError> {
    let Some(coached) = header.and_then(|h| h.coached.as_ref()) else {
        return Ok(None);
    };
    if c.any_given() {
        return Ok(None);
    }
    coached
        .config()
        .map(Some)
        .map_err(|why| SettingsError::RecordedCoaching { why })
}

/// The zones the profile and `max_hr`, `model` (flags) describe; flags win.
///
/// # Errors
/// When no max HR is known, or the zone model lacks its input (resting HR, LTHR).
pub fn zone_model(
    profile: &Profile,
    max_hr: Option<u16>,
    model: Option<ZoneModelName>,
) -> Result<ZoneModel, SettingsError> {
    let max_hr = max_hr
        .or(profile.max_hr.as_ref().map(|m| m.bpm))
        .ok_or(SettingsError::NoMaxHr)?;
    let basis = match model.or(profile.zone_model).unwrap_or(ZoneModelName::Max) {
        ZoneModelName::Max => ZoneBasis::Max,
        ZoneModelName::Hrr => {
            let rest = profile
                .resting_hr
                .as_ref()
                .ok_or(SettingsError::NoRestingHr)?;
            if rest.bpm >= max_hr {
                return Err(SettingsError::RestingNotBelowMax {
                    resting: rest.bpm,
                    max: max_hr,
                });
            }
            ZoneBasis::Hrr { resting: rest.bpm }
        }
        ZoneModelName::Lthr => {
            let lthr = profile.lthr.as_ref().ok_or(SettingsError::NoLthr)?;
            ZoneBasis::Lthr { lthr: lthr.bpm }
        }
    };
    Ok(ZoneModel::new(max_hr, basis))
}

/// The coach configuration `c` and the profile describe; `c` wins.
///
/// # Errors
/// See [`zone_model`]; also a cap outside the zone model's range, and `--zones-from-file`
/// (which needs a file: [`session_config`]).
pub fn coach_config(c: &Coaching, profile: &Profile) -> Result<CoachConfig, SettingsError> {
    if c.zones_from_file {
        return Err(SettingsError::ZonesFromFileWithoutFile);
    }
    let zones = zone_model(profile, c.max_hr, c.zone_model)?;
    let model = c
        .zone_model
        .or(profile.zone_model)
        .unwrap_or(ZoneModelName::Max);
    let zones = match c.zones.or(profile.zones) {
        Some(bounds) => zones.with_bounds(bounds),
        None => zones,
    };
    let mut config = CoachConfig::from_zones(zones);
    config.plan = c.run.clone();
    if c.sore {
        let cap_pct = match c.cap_pct {
            Some(p) => Some(checked_cap(p, model, "--cap-pct")?),
            None => profile_cap(profile, model)?,
        };
        config.cap = Some(cap_settings(c, profile, cap_pct));
    }
    Ok(config)
}

/// The coach's settings for a session of `file` (`header` its header): as [`coach_config`],
/// then what the file says: a watch file's sparse samples get
/// [`crate::activity::IMPORTED_MAX_GAP`], and with `zones_from_file` the zones the device
/// stored (its top is the max HR when none is known). Also returns what to tell the runner
/// about the zones found.
///
/// # Errors
/// What [`coach_config`] refuses, or `zones_from_file` for a file that stores none.
pub fn session_config(
    c: &Coaching,
    profile: &Profile,
    file: &Path,
    header: Option<&Header>,
) -> Result<(CoachConfig, Vec<String>), SettingsError> {
    let imported = header.and_then(|h| h.imported.as_ref());
    let mut said = Vec::new();
    let mut config = if c.zones_from_file {
        let zones = imported.and_then(|i| i.zones.as_ref()).ok_or_else(|| {
            SettingsError::NoZonesInFile {
                file: file.display().to_string(),
            }
        })?;
        let mut with_max = Coaching {
            zones_from_file: false,
            ..c.clone()
        };
        if with_max.max_hr.is_none() && profile.max_hr.is_none() {
            with_max.max_hr = zones.top;
        }
        let mut config = coach_config(&with_max, profile)?;
        config.zones = config.zones.with_bounds(zones.lower_bounds);
        said.push(format!(
            "Zones from the file ({}, {}): zones 1-5 from {} bpm{}",
            zones.found_in,
            zones.method,
            zones.lower_bounds.map(|b| b.to_string()).join("/"),
            zones.top.map_or_else(String::new, |t| format!(", top {t}"))
        ));
        if let Some(note) = &zones.note {
            said.push(format!("note: {note}"));
        }
        config
    } else {
        coach_config(c, profile)?
    };
    if imported.is_some() {
        config.max_gap = crate::activity::IMPORTED_MAX_GAP;
    }
    Ok((config, said))
}

/// The cap at `cap` (`None`: the model's easy-day cap) with the alert settings of `c`, else
/// the profile, else the defaults.
pub fn cap_settings(c: &Coaching, profile: &Profile, cap: Option<Percent>) -> CapSettings {
    let defaults = CapSettings::default();
    let alerts = &profile.alerts;
    CapSettings {
        cap,
        dwell: c.dwell.or(alerts.dwell).unwrap_or(defaults.dwell),
        margin_bpm: (c.margin.or(alerts.margin_bpm)).unwrap_or(defaults.margin_bpm),
        clear_after: (c.clear_after.or(alerts.clear_after)).unwrap_or(defaults.clear_after),
        remind_every: (c.remind_every.or(alerts.remind_every)).unwrap_or(defaults.remind_every),
    }
}

/// `p` as the sore-day cap under `model`, if it is in that model's range
/// ([`profile::cap_range`]). `what` names where it came from (`--cap-pct`,
/// `the profile's sore.cap_pct`) for the error.
///
/// # Errors
/// A cap outside the range.
pub fn checked_cap(
    p: f64,
    model: ZoneModelName,
    what: &'static str,
) -> Result<Percent, SettingsError> {
    let (lo, hi) = profile::cap_range(model);
    if !(lo..=hi).contains(&p) {
        return Err(SettingsError::CapOutOfRange {
            what,
            p,
            lo,
            hi,
            model: model.as_str(),
        });
    }
    Ok(profile::percent_from_f64(p))
}

/// The profile's sore-day cap, checked against the zone model in force (which a flag may
/// have changed since the profile was saved).
///
/// # Errors
/// See [`checked_cap`].
pub fn profile_cap(
    profile: &Profile,
    model: ZoneModelName,
) -> Result<Option<Percent>, SettingsError> {
    profile
        .sore
        .cap_pct
        .map(|p| checked_cap(p, model, "the profile's sore.cap_pct"))
        .transpose()
}

/// Applies the day's `plan` to `config`, whose cap (if any) came from the flags or the
/// profile (`c.sore`): an easy day gets its cap, a cross-train or rest day the tightest one,
/// a training day none. A cap already set may make the plan stricter, never looser. The
/// plan's "at most" minutes become the run's time ([`RunPlan::time`]). Returns what to tell
/// the runner when the two caps met.
pub fn apply_plan(
    config: &mut CoachConfig,
    plan: &Plan,
    c: &Coaching,
    profile: &Profile,
) -> Option<String> {
    if let Some(minutes) = plan.duration_min {
        // A time given with the flags may shorten the plan's, never lengthen it.
        let planned = Duration::from_secs(60 * u64::from(minutes));
        config.plan.time = Some(config.plan.time.map_or(planned, |t| t.min(planned)));
    }
    let plan_cap = plan.cap.filter(|_| plan.verdict != Verdict::Train)?;
    let flag_cap = config.cap_percent();
    match flag_cap {
        Some(flag) if flag <= plan_cap => Some(format!(
            "--sore: a cap of {flag} is stricter than the plan's {plan_cap}: using it."
        )),
        _ => {
            config.cap = Some(cap_settings(c, profile, Some(plan_cap)));
            flag_cap.map(|flag| {
                format!(
                    "--sore: a cap of {flag} would be looser than the plan's {plan_cap}: the plan's holds (a flag may make a plan stricter, never looser)."
                )
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{MaxHr, MaxHrSource, RestingHr};

    fn runner() -> Profile {
        Profile {
            max_hr: Some(MaxHr {
                bpm: 185,
                source: MaxHrSource::Entered,
                date: None,
                low: None,
                high: None,
            }),
            resting_hr: Some(RestingHr {
                bpm: 55,
                date: None,
                rmssd_ms: None,
            }),
            ..Profile::default()
        }
    }

    /// The cap in bpm of `c`, if it has one.
    fn cap(c: &CoachConfig) -> Option<u16> {
        c.cap.as_ref().map(|cap| c.cap_bpm_for(cap))
    }

    #[test]
    fn flags_win_over_the_profile_and_each_refusal_is_typed() -> Result<(), SettingsError> {
        let sore = Coaching {
            sore: true,
            ..Coaching::default()
        };
        let config = coach_config(&sore, &runner())?;
        assert_eq!(cap(&config), Some(130));
        let flagged = Coaching {
            max_hr: Some(200),
            cap_pct: Some(60.0),
            ..sore.clone()
        };
        assert_eq!(cap(&coach_config(&flagged, &runner())?), Some(120));
        let too_high = Coaching {
            cap_pct: Some(80.0),
            ..sore.clone()
        };
        assert!(matches!(
            coach_config(&too_high, &runner()),
            Err(SettingsError::CapOutOfRange {
                what: "--cap-pct",
                ..
            })
        ));
        assert_eq!(
            zone_model(&Profile::default(), None, None),
            Err(SettingsError::NoMaxHr)
        );
        assert_eq!(
            zone_model(&runner(), Some(50), Some(ZoneModelName::Hrr)),
            Err(SettingsError::RestingNotBelowMax {
                resting: 55,
                max: 50
            })
        );
        assert_eq!(
            zone_model(&runner(), None, Some(ZoneModelName::Lthr)),
            Err(SettingsError::NoLthr)
        );
        let from_file = Coaching {
            zones_from_file: true,
            ..Coaching::default()
        };
        assert!(matches!(
            coach_config(&from_file, &runner()),
            Err(SettingsError::ZonesFromFileWithoutFile)
        ));
        Ok(())
    }

    fn plan(verdict: Verdict, cap: u16) -> Plan {
        Plan {
            verdict,
            reasons: Vec::new(),
            advice: Vec::new(),
            cap: Some(Percent::whole(cap)),
            duration_min: None,
            open_sign: None,
        }
    }

    /// Issue 18, item 1: a flag may make the day's plan stricter, never looser.
    #[test]
    fn a_flag_makes_a_plan_stricter_never_looser() -> Result<(), SettingsError> {
        let with = |cap_pct: Option<f64>| {
            let c = Coaching {
                sore: cap_pct.is_some(),
                cap_pct,
                ..Coaching::default()
            };
            coach_config(&c, &runner()).map(|config| (config, c))
        };
        // No flag: the plan's cap.
        let (mut config, c) = with(None)?;
        assert_eq!(
            apply_plan(&mut config, &plan(Verdict::Rest, 60), &c, &runner()),
            None
        );
        assert_eq!(cap(&config), Some(111));
        // A looser flag: the plan's holds, and it is said.
        let (mut config, c) = with(Some(70.0))?;
        let said = apply_plan(&mut config, &plan(Verdict::CrossTrain, 60), &c, &runner());
        assert!(said.is_some_and(|s| s.contains("would be looser")));
        assert_eq!(cap(&config), Some(111));
        // A stricter one: kept.
        let (mut config, c) = with(Some(55.0))?;
        let said = apply_plan(&mut config, &plan(Verdict::Easy, 65), &c, &runner());
        assert!(said.is_some_and(|s| s.contains("stricter")));
        assert_eq!(cap(&config), Some(102));
        // A training day changes nothing.
        let (mut config, c) = with(Some(65.0))?;
        assert_eq!(
            apply_plan(&mut config, &plan(Verdict::Train, 70), &c, &runner()),
            None
        );
        assert_eq!(cap(&config), Some(120));
        Ok(())
    }
}
