//! Saved check-ins (one JSON file per day in the data folder's `check-ins/`), and the day's
//! plan made from them: [`day_plan`] gathers a day's check-in, the days before it, the
//! mornings' HRV and the weekly load from a [`Store`], and hands them to the pure rules of
//! [`crate::checkins::rules::decide_day`]. `check-in`, `today`, `live`, `replay`, `report` and
//! `export` all plan a day through it.

pub mod hrv;
pub mod json;
pub mod readiness;
pub mod rules;
pub mod words;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::store::Store;
use readiness::{Hrv, Load, Morning};
use rules::{Answers, Earlier, Plan, Scale};

/// One morning's answers, as saved.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckIn {
    /// The day it is for (`YYYY-MM-DD` in the file).
    pub date: Date,
    /// What the runner answered.
    pub answers: Answers,
    /// The morning's HRV, when taken (`check-in --hrv FILE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hrv: Option<MorningHrv>,
    /// The answers of a check-in of the same day this one replaced, kept when they named a
    /// warning sign: a sign corrected away the same day is a cleared sign, not forgotten.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_sign: Option<Answers>,
}

/// A morning's HRV figures, as saved.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MorningHrv {
    /// RMSSD, ms, artifacts corrected.
    pub rmssd_ms: f64,
    /// Resting heart rate (the lowest sustained minute), bpm.
    pub resting_hr: u16,
}

/// Every saved check-in for a day before `date`, oldest first: the days the rules that span
/// days read (an open warning sign, a sore spell, the HRV baseline). A file that cannot be
/// read is skipped, with a warning on stderr: an old morning is not worth failing today's
/// plan for, but it is said.
pub fn before(dir: &Path, date: Date) -> Vec<CheckIn> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut days: Vec<Date> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            name.strip_suffix(".json")?.parse().ok()
        })
        .filter(|d| *d < date)
        .collect();
    days.sort();
    days.into_iter()
        .filter_map(|d| match load(dir, d) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("warning: {e}; left out of the days before");
                None
            }
        })
        .collect()
}

/// What [`worse_when_warm`] did to the day's check-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorseSaved {
    /// The day's check-in now says `moving: worse`.
    Updated(PathBuf),
    /// It already did.
    Already,
    /// There was none: one was saved with `moving: worse` and the lowest sore level, which
    /// the runner should correct.
    Created(PathBuf),
}

/// The runner said at the warm-up check of a run on `date` that the soreness got worse as
/// they warmed up: that day's check-in is updated to `moving: worse` (a warning sign, open
/// until the runner says it is gone), so that the next day's plan starts from it. With no
/// check-in that day (a run with `--sore` alone), one is saved with the least soreness that
/// makes a sore day.
///
/// # Errors
/// The day's check-in cannot be read or written.
pub fn worse_when_warm(store: &Store, date: Date) -> Result<WorseSaved, CheckInError> {
    let saved = match store.check_in(date)? {
        Some(c) if c.answers.moving == rules::Moving::Worse => return Ok(WorseSaved::Already),
        Some(mut c) => {
            c.answers.moving = rules::Moving::Worse;
            WorseSaved::Updated(store.save_check_in(&c)?)
        }
        None => {
            let c = CheckIn {
                date,
                answers: Answers {
                    soreness: rules::NOT_SORE + 1,
                    sides: rules::Sides::Equal,
                    pain: rules::Pain::Dull,
                    moving: rules::Moving::Worse,
                    gait: rules::Gait::Normal,
                    areas: Vec::new(),
                },
                hrv: None,
                replaced_sign: None,
            };
            WorseSaved::Created(store.save_check_in(&c)?)
        }
    };
    Ok(saved)
}

/// A day's plan, with the readings it was made from.
pub struct DayPlan {
    /// The plan.
    pub plan: Plan,
    /// What the mornings' HRV says (nothing, without HRV that morning).
    pub hrv: Hrv,
    /// The weekly load.
    pub load: Load,
}

/// The plan of `date`: its check-in `today` (if any) read with every earlier check-in in
/// `store` (an open warning sign, a sore spell), the HRV of the mornings before, and the
/// weekly load of its recordings. `None`: no check-in that day and no warning sign open.
pub fn day_plan(
    store: &Store,
    date: Date,
    today: Option<&CheckIn>,
    scale: &Scale,
) -> Option<DayPlan> {
    let saved = store.check_ins_before(date);
    let earlier: Vec<Earlier> = (saved.iter())
        .map(|c| Earlier {
            date: c.date,
            answers: c.answers.clone(),
        })
        .collect();
    if today.is_none() && rules::sign_open_on(date, &earlier).is_none() {
        // Nothing to plan: no need to read the recordings for the load.
        return None;
    }
    let max_hr = match scale {
        Scale::Zones(z) => Some(z.max_hr()),
        Scale::Basis(_) => None,
    };
    let load = Load::from_sessions(&store.sessions(date, max_hr));
    let hrv = match today.and_then(|c| c.hrv) {
        Some(now) => {
            let mut mornings: Vec<Morning> = (saved.iter())
                .filter_map(|c| {
                    let h = c.hrv?;
                    Some(Morning {
                        days_ago: u32::try_from((date - c.date).get_days()).ok()?,
                        ln_rmssd: h.rmssd_ms.ln(),
                        resting_hr: h.resting_hr,
                    })
                })
                .collect();
            mornings.push(Morning {
                days_ago: 0,
                ln_rmssd: now.rmssd_ms.ln(),
                resting_hr: now.resting_hr,
            });
            readiness::baseline(&mornings)
        }
        None => Hrv::None,
    };
    let mut earlier = earlier;
    if let Some(replaced) = today.and_then(|c| c.replaced_sign.clone()) {
        earlier.push(Earlier {
            date,
            answers: replaced,
        });
    }
    let plan = rules::decide_day(
        date,
        today.map(|c| &c.answers),
        &earlier,
        scale,
        &hrv,
        &load,
    );
    plan.map(|plan| DayPlan { plan, hrv, load })
}

/// A saved check-in that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CheckInError {
    /// The file cannot be read or written.
    #[error("cannot {action} check-in {}", path.display())]
    Io {
        /// `read` or `write`.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The file is not a check-in.
    #[error("check-in {} is corrupt ({reason}): run `hrcoach check-in` again to replace it", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// Where the check-in of `date` lives under `dir` (`YYYY-MM-DD.json`).
pub fn path(dir: &Path, date: Date) -> PathBuf {
    dir.join(format!("{date}.json"))
}

/// Reads the check-in of `date`, if there is one.
///
/// # Errors
/// A file that cannot be read, or that is not a check-in for that date.
pub fn load(dir: &Path, date: Date) -> Result<Option<CheckIn>, CheckInError> {
    let path = path(dir, date);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        // None saved; or no data directory to save one in (it is a file, say): none either.
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(None);
        }
        Err(source) => {
            return Err(CheckInError::Io {
                action: "read",
                path,
                source,
            });
        }
    };
    let corrupt = |reason: String| CheckInError::Corrupt {
        path: path.clone(),
        reason,
    };
    let c: CheckIn = serde_json::from_str(&text).map_err(|e| corrupt(e.to_string()))?;
    if c.date != date {
        return Err(corrupt(format!("it is dated {}", c.date)));
    }
    if c.answers.soreness > 10 {
        return Err(corrupt(format!(
            "soreness {} is not 0-10",
            c.answers.soreness
        )));
    }
    Ok(Some(c))
}

/// Saves `c` under `dir` (created if needed), replacing that day's earlier check-in.
///
/// # Errors
/// The directory or the file cannot be written.
pub fn save(dir: &Path, c: &CheckIn) -> Result<PathBuf, CheckInError> {
    let path = path(dir, c.date);
    let cannot = |source| CheckInError::Io {
        action: "write",
        path: path.clone(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(cannot)?;
    let mut file = crate::files::create(&path).map_err(cannot)?;
    let text = serde_json::to_string_pretty(c).map_err(|e| cannot(io::Error::other(e)))?;
    writeln!(file, "{text}").map_err(cannot)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkins::rules::{Gait, Moving, Pain, Sides};

    fn day() -> Date {
        Date::constant(2026, 11, 27)
    }

    fn sample() -> CheckIn {
        CheckIn {
            date: day(),
            answers: Answers {
                soreness: 3,
                sides: Sides::Equal,
                pain: Pain::Dull,
                moving: Moving::Easing,
                gait: Gait::Normal,
                areas: Vec::new(),
            },
            hrv: Some(MorningHrv {
                rmssd_ms: 55.5,
                resting_hr: 48,
            }),
            replaced_sign: None,
        }
    }

    #[test]
    fn saves_loads_and_refuses_what_is_not_a_check_in() -> Result<(), CheckInError> {
        let dir = tempfile::tempdir().map_err(|source| CheckInError::Io {
            action: "make",
            path: PathBuf::new(),
            source,
        })?;
        let dir = dir.path().join("check-ins");
        assert_eq!(load(&dir, day())?, None);
        save(&dir, &sample())?;
        assert_eq!(load(&dir, day())?, Some(sample()));
        for bad in [
            "not json",
            r#"{"date":"2026-11-26","answers":{"soreness":3,"sides":"equal","pain":"dull","moving":"easing","gait":"normal"}}"#,
            r#"{"date":"2026-11-27","answers":{"soreness":30,"sides":"equal","pain":"dull","moving":"easing","gait":"normal"}}"#,
        ] {
            let _ = std::fs::write(path(&dir, day()), bad);
            let err = load(&dir, day()).err().map(|e| e.to_string());
            assert!(
                err.as_deref().is_some_and(|e| e.contains("is corrupt")),
                "{bad}: {err:?}"
            );
        }
        Ok(())
    }
}
