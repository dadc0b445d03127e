//! What a measured peak means for the saved max HR: the age formulas' table, the verdict on a
//! history peak, and the rule for saving a peak over the current max. Pure: plain values in,
//! words and decisions out.

use crate::calibrate::measures::{self, DEFAULT_FORMULA, FORMULAS, Formula, Peak, PeakRules};
use jiff::civil::Date;

use crate::profile::{MaxHr, MaxHrSource, Profile, Sex};

/// The formula table.
pub fn formula_table(age: u16, sex: Option<Sex>) -> String {
    let mut t = format!("Max HR from age {age}: a starting point, not a measurement.\n\n");
    for f in &FORMULAS {
        let note = if f.women_only && sex != Some(Sex::Female) {
            "  (for women)"
        } else {
            ""
        };
        t.push_str(&format!(
            "  {:<8} {:<17} {:>3} bpm  ±{:<2}  {}{note}\n",
            f.name,
            f.expression,
            f.predict(age),
            f.typical_error,
            f.source
        ));
    }
    t.push_str(
        "\n± is the typical error for one person: about one runner in three is further off.\n\
         Save one with --save [NAME] (default tanaka); then measure it: `hrcoach calibrate history FILE`\n\
         or `hrcoach calibrate field-test FILE`.\n",
    );
    t
}

/// "likely 186-189", or "held for 5 s" when the stretch was flat.
pub fn range_text(peak: &Peak) -> String {
    if peak.highest_bpm > peak.sustained_bpm {
        format!("likely {}-{}", peak.sustained_bpm, peak.highest_bpm)
    } else {
        format!("held for {} s", PeakRules::default().sustain.as_secs())
    }
}

/// Whether a history peak can stand as a max, or only as a lower bound.
pub struct Verdict {
    /// Whether the peak is only a lower bound (no session was judged maximal).
    pub lower_bound: bool,
    /// The verdict in words.
    pub text: String,
}

/// Judges a history peak against what a max should be near: the profile's max HR, else a
/// formula for its age. At least 95 % of it: a max; under: a lower bound.
pub fn judge_peak(profile: &Profile, peak: &Peak) -> Verdict {
    // What a max should be near: the profile's value, else a formula for the profile's age.
    let reference = profile
        .max_hr
        .as_ref()
        .map(|m| {
            (
                m.bpm,
                format!("your current max HR ({}, {})", m.bpm, m.source),
            )
        })
        .or_else(|| {
            let age = profile.age?;
            let f = DEFAULT_FORMULA;
            Some((
                f.predict(age),
                format!("the {} formula for age {age} ({})", f.name, f.predict(age)),
            ))
        });
    match reference {
        Some((r, what)) if f64::from(peak.sustained_bpm) >= 0.95 * f64::from(r) => Verdict {
            lower_bound: false,
            text: format!("That is close to or above {what}: these sessions held a near-maximal effort."),
        },
        Some((_, what)) => Verdict {
            lower_bound: true,
            text: format!(
                "That is well under {what}: no session was hard enough, so this is a lower bound, not your max."
            ),
        },
        None => Verdict {
            lower_bound: true,
            text: "With no max HR or age in the profile hrcoach cannot tell whether a session was maximal: \
                   treat this as a lower bound unless one of them ended all-out."
                .to_owned(),
        },
    }
}

/// Where a max-HR estimate came from and how far to trust it, for [`save_rule`].
pub struct Measured {
    /// `History` or `FieldTest`, with whether the recording could not show a max (not
    /// maximal, or the test did not finish).
    pub source: MaxHrSource,
    /// The runner asked to replace the max even if that lowers it.
    pub force: bool,
}

impl Measured {
    /// Whether the recording could not show a max.
    pub fn is_lower_bound(&self) -> bool {
        matches!(
            self.source,
            MaxHrSource::History { lower_bound: true }
                | MaxHrSource::FieldTest { lower_bound: true }
        )
    }
}

/// What saving a recorded peak over the current max HR should do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveMax {
    /// Save it.
    Save,
    /// Keep the current value: the peak is not higher and the current value is not a guess.
    KeepMeasured,
    /// Keep the current value: the peak is only a lower bound, and not higher.
    KeepLowerBound,
}

/// The rule: a recorded peak can raise a max HR, never lower one that was entered,
/// field-tested, measured in a lab or taken from an earlier recording (a session that did not
/// reach it does not show the heart cannot), unless `--force`. It replaces a lower value only
/// over an age formula's estimate, and only when the session was judged maximal.
pub fn save_rule(current: Option<&MaxHr>, peak_bpm: u16, m: &Measured) -> SaveMax {
    let Some(current) = current else {
        return SaveMax::Save;
    };
    if peak_bpm > current.bpm || m.force {
        return SaveMax::Save;
    }
    if m.is_lower_bound() {
        return SaveMax::KeepLowerBound;
    }
    if current.is_formula() {
        SaveMax::Save
    } else {
        SaveMax::KeepMeasured
    }
}

/// The formula `calibrate formula --save NAME` would save, checked before anything is said.
///
/// # Errors
/// An unknown name, or a formula for women without `--sex female`.
pub fn formula_to_save(name: &str, sex: Option<Sex>) -> Result<&'static Formula, String> {
    let Some(f) = measures::formula(name) else {
        return Err(format!(
            "unknown formula {name:?}: use tanaka, fox, gellish, nes or gulati"
        ));
    };
    if f.women_only && sex != Some(Sex::Female) {
        return Err(format!(
            "the {} formula is for women: pass --sex female, or save another",
            f.name
        ));
    }
    Ok(f)
}

/// A formula's max HR for `age`, dated `today`, with its typical error as the range.
pub fn from_formula(f: &Formula, age: u16, today: Date) -> MaxHr {
    let bpm = f.predict(age);
    MaxHr {
        bpm,
        source: MaxHrSource::Formula(f.name.to_owned()),
        date: Some(today),
        low: Some(bpm.saturating_sub(f.typical_error)),
        high: Some(bpm + f.typical_error),
    }
}

/// What [`apply_peak`] did to the profile.
#[derive(Debug)]
pub enum Applied {
    /// The peak is the profile's max HR now; the one it replaced.
    Saved {
        /// The max HR before.
        previous: Option<MaxHr>,
    },
    /// The profile is unchanged, and why, in words.
    Kept(String),
}

/// Sets a recorded peak as the profile's max HR, dated `today`, if [`save_rule`] allows.
pub fn apply_peak(profile: &mut Profile, peak: &Peak, m: Measured, today: Date) -> Applied {
    let bpm = peak.sustained_bpm;
    match (save_rule(profile.max_hr.as_ref(), bpm, &m), &profile.max_hr) {
        (SaveMax::KeepLowerBound, Some(current)) => {
            return Applied::Kept(format!(
                "Not saved: {bpm} bpm is a lower bound, and your max HR ({} bpm, {}) is already above it.",
                current.bpm, current.source
            ));
        }
        (SaveMax::KeepMeasured, Some(current)) => {
            return Applied::Kept(format!(
                "Not saved: your max HR stays {} bpm ({}). A recorded peak can raise a max, never lower \
                 one that was measured: a session that did not reach it does not show your heart cannot. \
                 To replace it anyway: --save --force.",
                current.bpm, current.source
            ));
        }
        _ => {}
    }
    let previous = profile.max_hr.replace(MaxHr {
        bpm,
        source: m.source,
        date: Some(today),
        low: Some(bpm),
        high: Some(peak.highest_bpm.max(bpm)),
    });
    Applied::Saved { previous }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn max(bpm: u16, source: &str) -> MaxHr {
        MaxHr {
            bpm,
            source: MaxHrSource::from(source.to_owned()),
            date: None,
            low: None,
            high: None,
        }
    }

    fn measured(lower_bound: bool, force: bool) -> Measured {
        Measured {
            source: MaxHrSource::History { lower_bound },
            force,
        }
    }

    #[test]
    fn a_recorded_peak_raises_a_max_and_never_lowers_a_measured_one() {
        let maximal = measured(false, false);
        // The review's case: an entered 195, a session peak of 186 (95 % of it).
        for source in ["entered", "field-test", "history", "lab"] {
            let current = max(195, source);
            assert_eq!(
                save_rule(Some(&current), 186, &maximal),
                SaveMax::KeepMeasured,
                "{source}"
            );
            assert_eq!(save_rule(Some(&current), 198, &maximal), SaveMax::Save);
            assert_eq!(
                save_rule(Some(&current), 186, &measured(false, true)),
                SaveMax::Save,
                "--force"
            );
        }
        // A formula's value is a guess: a maximal session replaces it, up or down.
        let formula = max(195, "formula:tanaka");
        assert_eq!(save_rule(Some(&formula), 186, &maximal), SaveMax::Save);
        // A lower bound never lowers anything.
        assert_eq!(
            save_rule(Some(&formula), 186, &measured(true, false)),
            SaveMax::KeepLowerBound
        );
        assert_eq!(save_rule(None, 186, &measured(true, false)), SaveMax::Save);
    }

    #[test]
    fn the_formula_table_lists_all_five_with_their_error() {
        let t = formula_table(40, None);
        for want in [
            "tanaka",
            "180 bpm  ±10",
            "fox",
            "gellish",
            "179 bpm",
            "nes",
            "185 bpm  ±11",
            "gulati",
            "(for women)",
        ] {
            assert!(t.contains(want), "{want}: {t}");
        }
    }
}
