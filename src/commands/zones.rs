//! `hrcoach zones`: the zones in force, and the sore-day cap under every model side by side.
//!
//! %max and %HRR put "zone 2" 15-20 bpm apart for the same runner, so the cap is shown under
//! each model whose inputs are known, with the one in force marked, and with where the max HR
//! came from: a formula's value is a start, not a measurement.

use std::fmt::Write as _;
use std::path::Path;

use crate::cli::ZonesArgs;
use hrcoach::coach::zones::{Percent, Zone, ZoneBasis, ZoneModel};
use hrcoach::output::format::EASY_CEILING_PCT_OF_MAX;
use hrcoach::output::format::{basis_label, zone_range};
use hrcoach::profile::{Profile, ZoneModelName};

/// Prints the zones.
///
/// # Errors
/// A bad profile, or no max HR.
pub fn show_zones(profile_path: &Path, args: &ZonesArgs) -> anyhow::Result<()> {
    let profile = super::load_profile(profile_path)?;
    let zones = hrcoach::settings::zone_model(&profile, args.max_hr, args.zone_model)?;
    // The same check `replay --sore` makes: a profile cap saved under one model may not fit
    // the model this run asks for.
    let model = args
        .zone_model
        .or(profile.zone_model)
        .unwrap_or(ZoneModelName::Max);
    let cap = hrcoach::settings::profile_cap(&profile, model)?;
    out!(
        "{}",
        zones_text(&profile, &zones, cap, args.max_hr.is_some())
    );
    Ok(())
}

/// The whole report, as text. `cap` is the profile's sore-day cap for the model in force,
/// already checked against its range (`None`: the model's default).
pub fn zones_text(
    profile: &Profile,
    zones: &ZoneModel,
    cap: Option<Percent>,
    max_from_flag: bool,
) -> String {
    let mut t = String::new();
    let max = zones.max_hr();
    match (&profile.max_hr, max_from_flag) {
        (Some(m), false) => {
            let _ = write!(t, "Max HR {max} bpm, from {}", m.source);
            if let Some(d) = &m.date {
                let _ = write!(t, " ({d})");
            }
            if let (Some(lo), Some(hi)) = (m.low, m.high) {
                let _ = write!(t, ", plausible {lo}-{hi}");
            }
            t.push('\n');
            if m.is_formula() {
                t.push_str(
                    "  An age formula is a starting point: one runner in three is 10+ bpm off.\n  \
                     Calibrate with `hrcoach calibrate history FILE` or `hrcoach calibrate field-test FILE`.\n",
                );
            }
        }
        _ => {
            let _ = writeln!(t, "Max HR {max} bpm, from the command line");
        }
    }
    match &profile.resting_hr {
        Some(r) => {
            let _ = write!(t, "Resting HR {} bpm", r.bpm);
            if let Some(d) = &r.date {
                let _ = write!(t, " ({d})");
            }
            t.push('\n');
        }
        None => t.push_str("Resting HR unknown (`hrcoach calibrate resting FILE --save`)\n"),
    }
    match &profile.lthr {
        Some(l) => {
            let _ = writeln!(t, "LTHR {} bpm", l.bpm);
        }
        None => t.push_str("LTHR unknown (`hrcoach calibrate lthr FILE --save`)\n"),
    }

    let _ = writeln!(t, "\nZones, % of {} (in force)", basis_label(zones.basis()));
    let bounds = zones.lower_bounds();
    let first = if matches!(zones.basis(), ZoneBasis::Lthr { .. }) {
        1
    } else {
        0
    };
    for z in first..Zone::COUNT {
        let _ = writeln!(t, "  Z{z}  {:>9} bpm", zone_range(bounds, z));
    }

    t.push_str("\nSore-day cap (an easy effort) under each model\n");
    let mut models = vec![ZoneModel::new(max, ZoneBasis::Max)];
    let mut missing = Vec::new();
    match &profile.resting_hr {
        Some(r) if r.bpm < max => {
            models.push(ZoneModel::new(max, ZoneBasis::Hrr { resting: r.bpm }))
        }
        _ => missing.push("% of HRR: needs resting HR"),
    }
    match &profile.lthr {
        Some(l) => models.push(ZoneModel::new(max, ZoneBasis::Lthr { lthr: l.bpm })),
        None => missing.push("% of LTHR: needs LTHR"),
    }
    for m in &models {
        let in_force = m.basis() == zones.basis();
        let pct = match cap {
            Some(p) if in_force => p,
            _ => m.easy_cap(),
        };
        let held = pct < m.basis().default_cap() && cap.is_none_or(|_| !in_force);
        let how = match m.basis() {
            ZoneBasis::Max => format!("{pct} of {max}"),
            ZoneBasis::Hrr { resting } => format!("{resting} + {pct} of ({max} - {resting})"),
            ZoneBasis::Lthr { lthr } => format!("{pct} of {lthr}"),
        };
        let bpm = m.bpm_at(pct);
        let of_max = m.percent_of_max_hr(bpm);
        let _ = writeln!(
            t,
            "  {} % of {:<7} {:>3} bpm   {:<24} {of_max:>3.0}% of max HR{}{}",
            if in_force { "*" } else { " " },
            basis_label(m.basis()),
            bpm,
            how,
            if of_max > EASY_CEILING_PCT_OF_MAX {
                "  (above an easy run's 60-70%)"
            } else if held {
                "  (held at 70% of max HR)"
            } else {
                ""
            },
            if in_force { "   <- in force" } else { "" }
        );
    }
    for m in missing {
        let _ = writeln!(t, "      {m}");
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use hrcoach::profile::{MaxHr, RestingHr};

    #[test]
    fn shows_the_cap_under_max_and_hrr_side_by_side() {
        let profile = Profile {
            max_hr: Some(MaxHr {
                bpm: 185,
                source: hrcoach::profile::MaxHrSource::Formula("tanaka".to_owned()),
                date: None,
                low: Some(175),
                high: Some(195),
            }),
            resting_hr: Some(RestingHr {
                bpm: 55,
                date: None,
                rmssd_ms: None,
            }),
            ..Profile::default()
        };
        let text = zones_text(&profile, &ZoneModel::percent_of_max(185), None, false);
        assert!(
            text.contains(
                "* % of max HR  130 bpm   70% of 185                70% of max HR   <- in force"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "  % of HRR     130 bpm   55 + 58% of (185 - 55)    70% of max HR  (held at 70% of max HR)\n"
            ),
            "{text}"
        );
        assert!(text.contains("needs LTHR"), "{text}");
        assert!(text.contains("starting point"), "{text}");
    }
}
