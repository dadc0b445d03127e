//! `hrcoach check-in` and `hrcoach today`: the morning's answers, the day's plan, and where
//! `live` and `replay` find it. The decision is `checkins::rules::decide_with` (pure); this file asks,
//! prints and saves.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::ask::{ask, by_beginning};

use crate::cli::CheckInArgs;
use hrcoach::calibrate::measures;
use hrcoach::checkins::hrv;
use hrcoach::checkins::json::{NoPlanJson, PlanJson};
use hrcoach::checkins::rules::{self, Answers, Gait, Moving, Pain, Scale, Sides};
use hrcoach::checkins::{self, CheckIn, MorningHrv, words};
use hrcoach::store::Store;

/// Runs `check-in`: gathers the answers (flags, else questions on a terminal), decides,
/// prints and saves.
///
/// # Errors
/// Answers missing without a terminal to ask on, a check-in that cannot be saved.
pub async fn check_in(
    profile_path: &Path,
    store: Option<&Store>,
    args: CheckInArgs,
) -> anyhow::Result<()> {
    let profile = super::load_profile(profile_path)?;
    let date = args.date.unwrap_or_else(super::today_date);
    let store = store.context("no data directory on this system: cannot save or read check-ins")?;
    // A warning sign still open is named before the questions: the answers are what clears it.
    let zones = hrcoach::settings::zone_model(&profile, None, None).ok();
    let scale = Scale::of(zones.as_ref());
    // A sign open from the days before, or named by a check-in already saved for this day
    // (which this one replaces).
    // (its sign, or the sign it had itself replaced: a correction of a correction keeps it).
    let existing = store.check_in(date).ok().flatten();
    let replaced_sign = existing.as_ref().and_then(|c| {
        if rules::is_warning(&c.answers) {
            Some(c.answers.clone())
        } else {
            c.replaced_sign.clone()
        }
    });
    let sign_open = (checkins::day_plan(store, date, None, &scale)
        .and_then(|open| open.plan.open_sign))
    .or(replaced_sign.as_ref().map(|_| date));
    if let Some(since) = sign_open {
        eprintln!(
            "A warning sign has been open since {since}: this check-in clears it only if it is gone."
        );
    }
    let answers = answers(&args, sign_open.is_some())?;
    let hrv = match &args.hrv {
        Some(file) => Some(morning_hrv(file, &profile).await?),
        None if args.hrv_live => {
            let file = record_morning(&profile, store, date, args.hrv_live_for, args.json).await?;
            Some(morning_hrv(&file, &profile).await?)
        }
        None => None,
    };
    let c = CheckIn {
        date,
        answers,
        hrv,
        replaced_sign,
    };
    // A second check-in the same day replaces the first: say so, with what it said.
    if let Some(earlier) = &existing {
        eprintln!(
            "This replaces the check-in already saved for {date} (soreness {}/10).",
            earlier.answers.soreness
        );
    }
    let saved = store.save_check_in(&c)?;
    let day = checkins::day_plan(store, date, Some(&c), &scale)
        .context("a day with a check-in always has a plan")?;
    if args.json {
        outln!(
            "{}",
            serde_json::to_string(&PlanJson::new(date, Some(&c), &day, zones.as_ref()))?
        );
    } else {
        if let Some(h) = &c.hrv {
            outln!(
                "Morning HRV: RMSSD {:.1} ms (ln {:.2}), resting HR {} bpm.",
                h.rmssd_ms,
                h.rmssd_ms.ln(),
                h.resting_hr
            );
        }
        out!(
            "{}",
            words::text(date, Some(&c.answers), &day, zones.as_ref())
        );
        outln!(
            "\nSaved to {}: `hrcoach live` and `hrcoach replay` apply it on {date} without --sore.",
            saved.display()
        );
    }
    Ok(())
}

/// Runs `today`: the plan of `date`'s check-in (default today), or of a warning sign still
/// open, or how to make one.
///
/// # Errors
/// A corrupt saved check-in.
pub fn today(
    profile_path: &Path,
    store: Option<&Store>,
    date: Option<jiff::civil::Date>,
    json_out: bool,
) -> anyhow::Result<()> {
    let profile = super::load_profile(profile_path)?;
    let date = date.unwrap_or_else(super::today_date);
    let store = store.context("no data directory on this system: no check-ins to read")?;
    let c = store.check_in(date)?;
    let zones = hrcoach::settings::zone_model(&profile, None, None).ok();
    let Some(day) = checkins::day_plan(store, date, c.as_ref(), &Scale::of(zones.as_ref())) else {
        if json_out {
            outln!("{}", serde_json::to_string(&NoPlanJson::new(date))?);
        } else {
            outln!(
                "No check-in for {date}: `hrcoach check-in` asks how sore you are and sets today's plan."
            );
        }
        return Ok(());
    };
    if json_out {
        outln!(
            "{}",
            serde_json::to_string(&PlanJson::new(date, c.as_ref(), &day, zones.as_ref()))?
        );
    } else {
        out!(
            "{}",
            words::text(date, c.as_ref().map(|c| &c.answers), &day, zones.as_ref())
        );
    }
    Ok(())
}

/// Records the morning's beats from the strap for `length`, with a progress bar, into
/// `<data dir>/hrv/DATE.jsonl` (not among the runs, so that it is not counted as running),
/// and returns the file.
///
/// # Errors
/// What `live` can fail on: no strap, Bluetooth off...
async fn record_morning(
    profile: &hrcoach::profile::Profile,
    store: &Store,
    date: jiff::civil::Date,
    length: std::time::Duration,
    silent: bool,
) -> anyhow::Result<PathBuf> {
    let file = store.morning_recording(date)?;
    eprintln!(
        "Lie still and breathe normally for {} min; the strap's beats are recorded to {}.",
        length.as_secs().div_ceil(60),
        file.display()
    );
    let settings = hrcoach::live_run::LiveSettings {
        device: None,
        duration: Some(length),
        record: Some(file.clone()),
        // One morning, one recording: a second try the same morning replaces the first.
        replace: true,
        scan_timeout: std::time::Duration::from_secs(5),
        output: hrcoach::output::Choice {
            progress: Some(length),
            silent,
            ..hrcoach::output::Choice::default()
        },
    };
    let config = hrcoach::calibrate::judging_config(hrcoach::calibrate::judging_zones(profile).0);
    hrcoach::live_run::record_live(
        &settings,
        config,
        Some(store),
        hrcoach::views::Wiring::default(),
        &super::on_ctrl_c(),
    )
    .await?;
    Ok(file)
}

/// RMSSD and resting HR from a resting recording (a few minutes lying still on waking).
///
/// # Errors
/// A recording that cannot be read, or whose beats cannot give a trustworthy RMSSD (too
/// short, too many artifacts: the reason is said).
async fn morning_hrv(
    file: &Path,
    profile: &hrcoach::profile::Profile,
) -> anyhow::Result<MorningHrv> {
    let c = super::readings::collect(file, profile).await?;
    // A run given as a morning would make every normal morning after it look low: refused,
    // never saved.
    measures::check_resting(&c.trusted).map_err(|why| {
        anyhow::anyhow!(
            "{} is not a resting reading: {why}. Nothing saved: take HRV lying still on waking, for 2-10 minutes.",
            file.display()
        )
    })?;
    let noisy = |what: &str| {
        anyhow::anyhow!(
            "{}: {what}: the reading was too noisy (the strap lost contact, or missed beats). Wet the strap's electrodes, check that it sits snugly under the chest, and lie still for the reading again.",
            file.display()
        )
    };
    let length = (c.trusted.first().zip(c.trusted.last()))
        .map_or(std::time::Duration::ZERO, |(a, b)| b.0.saturating_sub(a.0));
    let long_enough = length >= 2 * hrv::MIN_CLEAN;
    let r = hrv::rmssd_with_dropped(&c.rr, &c.dropped).map_err(|why| match why {
        hrv::NoRmssd::TooShort(_) if long_enough => noisy(&format!("no RMSSD ({why})")),
        hrv::NoRmssd::TooNoisy(_) => noisy(&format!("no RMSSD ({why})")),
        _ => anyhow::anyhow!("{}: no RMSSD: {why}", file.display()),
    })?;
    let Some((resting_hr, _)) =
        measures::resting_minute(&c.trusted, std::time::Duration::from_secs(3))
    else {
        if long_enough {
            return Err(noisy(
                "no unbroken minute of clean readings for a resting heart rate",
            ));
        }
        bail!(
            "{}: no unbroken minute of clean readings for a resting heart rate: lie still with the strap on for at least 2 minutes",
            file.display()
        );
    };
    Ok(MorningHrv {
        rmssd_ms: r.ms,
        resting_hr,
    })
}

/// The answers from the flags; on a terminal, questions for the missing ones. Every
/// warning-sign question is asked whatever the soreness (pain from bone stress often starts
/// low-grade and in one spot), and none has a default: Enter alone asks again, so that the
/// reassuring answer is never the one a hurried runner gets. Without a terminal, missing
/// answers are an error naming the flags, except at soreness 0-1 with no warning sign open
/// (`--soreness 0` alone says "not sore, nothing to report").
fn answers(args: &CheckInArgs, sign_open: bool) -> anyhow::Result<Answers> {
    let mut asker = Asker {
        interactive: io::stdin().is_terminal() && io::stderr().is_terminal(),
        defaults_allowed: false,
        missing: Vec::new(),
    };
    let soreness = match args.soreness {
        Some(s) => s,
        None if asker.interactive => ask("How sore are your legs, 0 (none) to 10", None, |s| {
            s.parse::<u8>().ok().filter(|n| *n <= 10)
        })?,
        None => {
            asker.missing.push("--soreness 0-10");
            0
        }
    };
    asker.defaults_allowed = soreness <= rules::NOT_SORE && !sign_open;
    let sides = asker.get(
        args.sides,
        "--sides equal|one-worse",
        "Both legs about the same, or one clearly worse?",
        Sides::Equal,
    )?;
    let pain = asker.get(
        args.pain,
        "--pain dull|sharp",
        "Any pain that is sharp, or in one spot you could point to?",
        Pain::Dull,
    )?;
    let moving = asker.get(
        args.moving,
        "--moving easing|same|worse",
        "As you move around it gets...",
        Moving::Easing,
    )?;
    let gait = asker.get(
        args.gait,
        "--gait normal|changed",
        "Do you walk and run as usual, or limp / favour a leg?",
        Gait::Normal,
    )?;
    if !asker.missing.is_empty() {
        let why = if sign_open {
            "and a warning sign is open: only answers that say it is gone clear it"
        } else {
            "and no terminal to ask them on"
        };
        bail!("missing answers, {why}: {}", asker.missing.join(", "));
    }
    Ok(Answers {
        soreness,
        sides,
        pain,
        moving,
        gait,
        areas: args.areas.clone(),
    })
}

/// Gets each answer from its flag, a question, or (without a terminal, when allowed) the
/// answer of a runner who is not sore.
struct Asker {
    interactive: bool,
    /// Whether a missing flag may take the not-sore answer (no terminal, soreness 0-1, no
    /// warning sign open).
    defaults_allowed: bool,
    missing: Vec<&'static str>,
}

impl Asker {
    fn get<T>(
        &mut self,
        given: Option<T>,
        flag: &'static str,
        question: &str,
        not_sore: T,
    ) -> anyhow::Result<T>
    where
        T: Copy + serde::de::DeserializeOwned,
    {
        match given {
            Some(v) => Ok(v),
            None if self.interactive => {
                let choices = flag.split_once(' ').map_or("", |(_, c)| c);
                let names: Vec<&str> = choices.split('|').collect();
                ask(&format!("{question} ({choices})"), None, |s| {
                    // "one" is one-worse: a beginning that only one choice has is that choice.
                    let s = by_beginning(s, &names).unwrap_or(s);
                    serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
                })
            }
            None if self.defaults_allowed => Ok(not_sore),
            None => {
                self.missing.push(flag);
                Ok(not_sore)
            }
        }
    }
}
