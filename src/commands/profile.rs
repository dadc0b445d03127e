//! `hrcoach profile show` and `hrcoach profile set KEY VALUE`.

use std::path::Path;

use anyhow::{Context, bail};

use crate::cli::{ProfileCommand, ProfileKey};
use hrcoach::profile::{
    self as prof, Lthr, MaxHr, MaxHrSource, Profile, RestingHr, Sex, ZoneModelName, limits,
};

/// Runs a profile subcommand.
///
/// # Errors
/// A bad profile, an unknown key, or a value out of range.
pub fn edit_profile(path: &Path, cmd: ProfileCommand) -> anyhow::Result<()> {
    match cmd {
        ProfileCommand::Show => {
            // Shown even with a value out of range, with what is wrong and how to mend it.
            let profile = Profile::load_unchecked(path)?;
            if let Err(problem) = Profile::load(path) {
                eprintln!("warning: {problem}");
            }
            outln!("# {}", path.display());
            if profile == Profile::default() {
                outln!(
                    "# empty: start with `hrcoach calibrate formula --age N --save`, or `hrcoach profile set max-hr BPM`"
                );
            } else {
                out!(
                    "{}",
                    toml::to_string_pretty(&profile).context("cannot show the profile")?
                );
            }
            Ok(())
        }
        ProfileCommand::Set { key, value } => {
            // Unchecked: `set` is how a value out of range is mended. The whole profile is
            // checked below, before it is saved.
            let mut profile = Profile::load_unchecked(path)?;
            set(&mut profile, key, &value, super::today_date())?;
            // The whole profile must still hold together (e.g. resting below max).
            if let Err(e) = profile.validate(path) {
                // A problem still in the file: name its line, as loading does.
                let in_file = Profile::load(path).err().filter(|f| f.key() == e.key());
                return Err(in_file.unwrap_or(e).into());
            }
            profile.save(path)?;
            outln!("{} = {value} ({})", key.name(), super::saved_note(path));
            Ok(())
        }
    }
}

/// Sets `key` to `value` in `profile`, checking the value.
///
/// # Errors
/// A value that does not parse or is out of range.
pub fn set(
    profile: &mut Profile,
    key: ProfileKey,
    value: &str,
    today: jiff::civil::Date,
) -> anyhow::Result<()> {
    let date = Some(today);
    match key {
        ProfileKey::MaxHr => {
            profile.max_hr = Some(MaxHr {
                bpm: limits::MAX_HR.parse(value).map_err(anyhow::Error::msg)?,
                source: MaxHrSource::Entered,
                date,
                low: None,
                high: None,
            });
        }
        ProfileKey::RestingHr => {
            profile.resting_hr = Some(RestingHr {
                bpm: limits::RESTING_HR
                    .parse(value)
                    .map_err(anyhow::Error::msg)?,
                date,
                rmssd_ms: None,
            });
        }
        ProfileKey::Lthr => {
            profile.lthr = Some(Lthr {
                bpm: limits::LTHR.parse(value).map_err(anyhow::Error::msg)?,
                date,
            });
        }
        ProfileKey::Age => {
            profile.age = Some(limits::AGE.parse(value).map_err(anyhow::Error::msg)?);
        }
        ProfileKey::Sex => {
            profile.sex = Some(match value {
                "female" => Sex::Female,
                "male" => Sex::Male,
                _ => bail!("{value:?} is not a sex the formulas know: use female or male"),
            });
        }
        ProfileKey::ZoneModel => {
            profile.zone_model = Some(ZoneModelName::parse(value).map_err(anyhow::Error::msg)?)
        }
        ProfileKey::Zones => {
            profile.zones = match value.trim() {
                "none" | "" => None,
                text => {
                    Some(hrcoach::coach::zones::parse_bounds(text).map_err(anyhow::Error::msg)?)
                }
            };
        }
        ProfileKey::CapPct => {
            let Ok(p) = value.trim_end_matches('%').parse::<f64>() else {
                bail!("{value:?} is not a percentage: e.g. 65");
            };
            profile.sore.cap_pct = Some(p);
        }
        ProfileKey::Dwell | ProfileKey::ClearAfter | ProfileKey::RemindEvery => {
            let d = prof::parse_duration(value).map_err(anyhow::Error::msg)?;
            let slot = match key {
                ProfileKey::Dwell => &mut profile.alerts.dwell,
                ProfileKey::ClearAfter => &mut profile.alerts.clear_after,
                _ => &mut profile.alerts.remind_every,
            };
            *slot = Some(d);
        }
        ProfileKey::Margin => {
            profile.alerts.margin_bpm =
                Some(limits::MARGIN.parse(value).map_err(anyhow::Error::msg)?);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_checks_values_and_keys() {
        let mut p = Profile::default();
        let d = jiff::civil::date(2026, 11, 27);
        assert!(set(&mut p, ProfileKey::MaxHr, "188", d).is_ok());
        assert_eq!(
            p.max_hr.as_ref().map(|m| (m.bpm, m.source.clone())),
            Some((188, MaxHrSource::Entered))
        );
        assert!(set(&mut p, ProfileKey::MaxHr, "300", d).is_err());
        assert!(set(&mut p, ProfileKey::RestingHr, "abc", d).is_err());
        assert!(set(&mut p, ProfileKey::ZoneModel, "karvonen", d).is_err());
        assert!(set(&mut p, ProfileKey::Dwell, "soon", d).is_err());
        assert!(set(&mut p, ProfileKey::ZoneModel, "hrr", d).is_ok());
        assert_eq!(p.zone_model, Some(ZoneModelName::Hrr));
    }
}
