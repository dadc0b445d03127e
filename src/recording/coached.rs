//! How a run was coached, kept in its recording's header: the zones, the cap and the plan in
//! force when it ran. `report` and `export` look back with them unless flags say otherwise, so
//! a sore day's run shows its cap, its time over it and its alerts without `--sore` again, and
//! not under today's profile (docs/recording-format.md, "How it was coached").

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::coach::CoachConfig;
use crate::coach::alerts::CapSettings;
use crate::coach::plan::RunPlan;
use crate::coach::zones::{ZoneBasis, ZoneModel, check_bounds};
use crate::event::seconds;
use crate::profile::{self, limits};

/// The coaching a run had, as the header's `coached` object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coached {
    /// Max HR, bpm.
    pub max_hr: u16,
    /// `max`, `hrr` or `lthr`.
    pub zone_model: ZoneModelTag,
    /// For `hrr`: the resting heart rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resting_hr: Option<u16>,
    /// For `lthr`: the lactate-threshold heart rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lthr: Option<u16>,
    /// Zones given as bounds (the runner's own, a watch's), lower bounds of zones 1-5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone_bounds: Option<[u16; 5]>,
    /// The sore-day cap, if the run had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<CoachedCap>,
    /// The plan beside the heart rate.
    #[serde(default)]
    pub plan: CoachedPlan,
}

/// The zone model's name in a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ZoneModelTag {
    /// % of max HR.
    Max,
    /// % of heart-rate reserve.
    Hrr,
    /// % of LTHR.
    Lthr,
}

/// The cap and its alert settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoachedCap {
    /// The cap in bpm, as coached (for the reader; the percentage rebuilds it).
    pub cap_bpm: u16,
    /// The cap, percent of the zone basis.
    pub cap_pct: f64,
    /// Seconds over before the first alert.
    pub dwell_s: f64,
    /// bpm under the cap to clear.
    pub margin_bpm: u16,
    /// Seconds under before "back under".
    pub clear_after_s: f64,
    /// Seconds between reminders.
    pub remind_every_s: f64,
}

/// The plan beside the heart rate.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CoachedPlan {
    /// The plan's time, seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_s: Option<f64>,
    /// Run/walk asked for (`--run-walk`; a low cap makes one anyway).
    #[serde(default)]
    pub run_walk: bool,
    /// Out and back.
    #[serde(default)]
    pub out_and_back: bool,
}

/// `s` seconds, if that is a time (not negative, not past what a `Duration` holds).
fn secs(what: &str, s: f64) -> Result<Duration, String> {
    Duration::try_from_secs_f64(s).map_err(|_| format!("{what} {s} is not a time in seconds"))
}

impl Coached {
    /// What `config` coaches with.
    pub fn of(config: &CoachConfig) -> Self {
        let zones = &config.zones;
        let (zone_model, resting_hr, lthr) = match zones.basis() {
            ZoneBasis::Max => (ZoneModelTag::Max, None, None),
            ZoneBasis::Hrr { resting } => (ZoneModelTag::Hrr, Some(resting), None),
            ZoneBasis::Lthr { lthr } => (ZoneModelTag::Lthr, None, Some(lthr)),
        };
        let cap = config.cap.as_ref().map(|c| CoachedCap {
            cap_bpm: config.cap_bpm_for(c),
            cap_pct: f64::from(c.cap.unwrap_or(zones.easy_cap()).tenths()) / 10.0,
            dwell_s: seconds(c.dwell),
            margin_bpm: c.margin_bpm,
            clear_after_s: seconds(c.clear_after),
            remind_every_s: seconds(c.remind_every),
        });
        Coached {
            max_hr: zones.max_hr(),
            zone_model,
            resting_hr,
            lthr,
            zone_bounds: zones.is_custom().then(|| zones.lower_bounds()),
            cap,
            plan: CoachedPlan {
                time_s: config.plan.time.map(seconds),
                run_walk: config.plan.run_walk,
                out_and_back: config.plan.out_and_back,
            },
        }
    }

    /// The configuration to look back at the run with: its zones, cap and plan, and no
    /// warm-up check (a look back asks nothing; the answers the run recorded still count).
    ///
    /// # Errors
    /// A value no run is coached with (a hand-edited or damaged header), in words: max HR,
    /// resting HR and LTHR outside their limits, zone bounds that are not zones, a cap that is
    /// not a percentage, a time that is not one.
    pub fn config(&self) -> Result<CoachConfig, String> {
        let max_hr = limits::MAX_HR.check(self.max_hr)?;
        let basis = match (self.zone_model, self.resting_hr, self.lthr) {
            (ZoneModelTag::Max, _, _) => ZoneBasis::Max,
            (ZoneModelTag::Hrr, Some(resting), _) => {
                let resting = limits::RESTING_HR.check(resting)?;
                if resting >= max_hr {
                    return Err(format!(
                        "resting heart rate {resting} is not below max heart rate {max_hr}"
                    ));
                }
                ZoneBasis::Hrr { resting }
            }
            (ZoneModelTag::Lthr, _, Some(lthr)) => ZoneBasis::Lthr {
                lthr: limits::LTHR.check(lthr)?,
            },
            (ZoneModelTag::Hrr, None, _) => return Err("zone model hrr without resting_hr".into()),
            (ZoneModelTag::Lthr, _, None) => return Err("zone model lthr without lthr".into()),
        };
        let zones = ZoneModel::new(max_hr, basis);
        let zones = match self.zone_bounds {
            Some(bounds) => zones.with_bounds(check_bounds(&bounds)?),
            None => zones,
        };
        let mut config = CoachConfig::from_zones(zones);
        config.cap = match &self.cap {
            Some(c) => {
                if !(c.cap_pct > 0.0 && c.cap_pct <= 100.0) {
                    return Err(format!("cap_pct {} is not a percentage", c.cap_pct));
                }
                Some(CapSettings {
                    cap: Some(profile::percent_from_f64(c.cap_pct)),
                    dwell: secs("dwell_s", c.dwell_s)?,
                    margin_bpm: limits::MARGIN.check(c.margin_bpm)?,
                    clear_after: secs("clear_after_s", c.clear_after_s)?,
                    remind_every: secs("remind_every_s", c.remind_every_s)?,
                })
            }
            None => None,
        };
        config.plan = RunPlan {
            run_walk: self.plan.run_walk,
            time: self.plan.time_s.map(|t| secs("time_s", t)).transpose()?,
            out_and_back: self.plan.out_and_back,
            check_at: None,
        };
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coach::zones::Percent;

    #[test]
    fn a_config_comes_back_from_its_header() -> Result<(), Box<dyn std::error::Error>> {
        let zones = ZoneModel::new(188, ZoneBasis::Hrr { resting: 52 });
        let mut config = CoachConfig::from_zones(zones).with_cap(CapSettings {
            cap: Some(Percent::from_tenths(575)),
            dwell: Duration::from_secs(15),
            ..CapSettings::default()
        });
        config.plan.time = Some(Duration::from_secs(25 * 60));
        config.plan.out_and_back = true;
        let json = serde_json::to_string(&Coached::of(&config))?;
        let back: Coached = serde_json::from_str(&json)?;
        let again = back.config()?;
        assert_eq!(again.zones, config.zones);
        assert_eq!(again.cap, config.cap);
        assert_eq!(again.plan.time, config.plan.time);
        assert!(again.plan.out_and_back);
        assert_eq!(back.cap.map(|c| c.cap_bpm), Some(130));
        Ok(())
    }

    #[test]
    fn a_damaged_header_is_refused_in_words_not_coached_from() -> Result<(), serde_json::Error> {
        let good = r#"{"max_hr":185,"zone_model":"max","cap":{"cap_bpm":111,"cap_pct":60.0,"dwell_s":20.0,"margin_bpm":3,"clear_after_s":10.0,"remind_every_s":60.0},"plan":{"time_s":1500.0}}"#;
        let coached: Coached = serde_json::from_str(good)?;
        assert!(coached.config().is_ok());
        for (bad, says) in [
            (good.replace("185", "0"), "max heart rate 0"),
            (good.replace("60.0", "600.0"), "cap_pct 600"),
            (good.replace("20.0", "1e300"), "dwell_s"),
            (good.replace("1500.0", "-5"), "time_s -5"),
            (good.replace("\"max\"", "\"hrr\""), "without resting_hr"),
            (
                good.replace(
                    "\"zone_model\"",
                    "\"zone_bounds\":[150,140,160,170,180],\"zone_model\"",
                ),
                "go up",
            ),
        ] {
            let coached: Coached = serde_json::from_str(&bad)?;
            let said = coached.config().err().unwrap_or_default();
            assert!(said.contains(says), "{bad}: {said}");
        }
        Ok(())
    }
}
