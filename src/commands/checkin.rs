//! `hrcoach check-in` and `hrcoach today`: the morning's answers, the day's plan, and where
//! `live` and `replay` find it. The decision is `coach::checkin::decide_with` (pure); this file asks,
//! prints and saves.

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::cli::CheckInArgs;
use hrcoach::checkins::{self, CheckIn, MorningHrv};
use hrcoach::coach::checkin::{self as rules, Answers, Gait, Moving, Pain, Plan, Sides, Verdict};
use hrcoach::coach::readiness::{self, Hrv, Load, Morning};
use hrcoach::coach::zones::{ZoneBasis, ZoneModel};
use hrcoach::coach::{calibration, hrv};
use hrcoach::recording::{Item, RecordingReader};

/// Where saved check-ins live: `<data dir>/hrcoach/check-ins`.
pub fn dir() -> anyhow::Result<PathBuf> {
    Ok(super::data_dir()
        .context("no data directory on this system: cannot save or read check-ins")?
        .join("check-ins"))
}

/// Runs `check-in`: gathers the answers (flags, else questions on a terminal), decides,
/// prints and saves.
///
/// # Errors
/// Answers missing without a terminal to ask on, a check-in that cannot be saved.
pub async fn check_in(profile_path: &Path, args: CheckInArgs) -> anyhow::Result<()> {
    let profile = super::load_profile(profile_path)?;
    let answers = answers(&args)?;
    let date = args.date.map_or_else(super::today, |d| d.to_string());
    let hrv = match &args.hrv {
        Some(file) => Some(morning_hrv(file, &profile).await?),
        None if args.hrv_live => {
            let file = record_morning(&profile, &date, args.hrv_live_for, args.json).await?;
            Some(morning_hrv(&file, &profile).await?)
        }
        None => None,
    };
    let c = CheckIn {
        date: date.clone(),
        answers,
        hrv,
    };
    // A second check-in the same day replaces the first: say so, with what it said.
    if let Ok(Some(earlier)) = checkins::load(&dir()?, &date) {
        eprintln!(
            "This replaces the check-in already saved for {date} (soreness {}/10).",
            earlier.answers.soreness
        );
    }
    let saved = checkins::save(&dir()?, &c)?;
    let zones = super::zone_model(&profile, None, None).ok();
    let (plan, status, load) = plan_for(&c, basis(zones.as_ref()))?;
    if args.json {
        outln!("{}", json(&c, &plan, &status, &load, zones.as_ref()));
    } else {
        if let Some(h) = &c.hrv {
            outln!(
                "Morning HRV: RMSSD {:.1} ms (ln {:.2}), resting HR {} bpm.",
                h.rmssd_ms,
                h.rmssd_ms.ln(),
                h.resting_hr
            );
        }
        out!("{}", text(&date, &c.answers, &plan, zones.as_ref()));
        outln!(
            "\nSaved to {}: `hrcoach live` and `hrcoach replay` apply it on {date} without --sore.",
            saved.display()
        );
    }
    Ok(())
}

/// Runs `today`: the plan of today's check-in, or how to make one.
///
/// # Errors
/// A corrupt saved check-in.
pub fn today(profile_path: &Path, json_out: bool) -> anyhow::Result<()> {
    let profile = super::load_profile(profile_path)?;
    let date = super::today();
    let Some(c) = checkins::load(&dir()?, &date)? else {
        if json_out {
            outln!("{}", serde_json::json!({ "date": date, "verdict": null }));
        } else {
            outln!(
                "No check-in for {date}: `hrcoach check-in` asks how sore you are and sets today's plan."
            );
        }
        return Ok(());
    };
    let zones = super::zone_model(&profile, None, None).ok();
    let (plan, status, load) = plan_for(&c, basis(zones.as_ref()))?;
    if json_out {
        outln!("{}", json(&c, &plan, &status, &load, zones.as_ref()));
    } else {
        out!("{}", text(&date, &c.answers, &plan, zones.as_ref()));
    }
    Ok(())
}

/// The plan of check-in `c` under `basis`, with what the HRV of the last 30 mornings says
/// (nothing, when `c` has no HRV).
///
/// # Errors
/// A date that is not one.
pub fn plan_for(c: &CheckIn, basis: ZoneBasis) -> anyhow::Result<(Plan, Hrv, Load)> {
    let day: jiff::civil::Date = c.date.parse().context("a check-in's date")?;
    let load = Load::from_sessions(&sessions(day));
    let status = if c.hrv.is_some() {
        let mornings: Vec<Morning> = checkins::history(&dir()?, day, 30)
            .into_iter()
            .filter_map(|(days_ago, past)| {
                // Today's figures are those of `c` (it may not be saved yet).
                let h = if days_ago == 0 { c.hrv? } else { past.hrv? };
                Some(Morning {
                    days_ago,
                    ln_rmssd: h.rmssd_ms.ln(),
                    resting_hr: h.resting_hr,
                })
            })
            .collect();
        readiness::baseline(&mornings)
    } else {
        Hrv::None
    };
    Ok((
        rules::decide_with(&c.answers, basis, &status, &load),
        status,
        load,
    ))
}

/// The recorded sessions of the three weeks up to `day`, as (days before `day`, minutes):
/// every recording in the recordings directory with a start in its header, its length the
/// time of its last event. A recording that cannot be read is left out.
fn sessions(day: jiff::civil::Date) -> Vec<(u32, f64)> {
    super::recording_files()
        .into_iter()
        .filter_map(|p| {
            let mut reader = RecordingReader::open(&p).ok()?;
            let date = reader.header()?.start_date()?;
            let days_ago = u32::try_from((day - date).get_days()).ok()?;
            if days_ago > 21 {
                return None;
            }
            let mut last = std::time::Duration::ZERO;
            while let Ok(Some(item)) = reader.next_item() {
                if let Item::Event(e) = item {
                    last = e.at;
                }
            }
            Some((days_ago, last.as_secs_f64() / 60.0))
        })
        .collect()
}

/// Records the morning's beats from the strap for `length`, with a progress bar, into
/// `<data dir>/hrv/DATE.jsonl` (not among the runs, so that it is not counted as running),
/// and returns the file.
///
/// # Errors
/// What `live` can fail on: no strap, Bluetooth off...
async fn record_morning(
    profile: &hrcoach::profile::Profile,
    date: &str,
    length: std::time::Duration,
    silent: bool,
) -> anyhow::Result<PathBuf> {
    let dir = super::data_dir()
        .context("no data directory on this system: use --hrv FILE")?
        .join("hrv");
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let file = dir.join(format!("{date}.jsonl"));
    eprintln!(
        "Lie still and breathe normally for {} min; the strap's beats are recorded to {}.",
        length.as_secs().div_ceil(60),
        file.display()
    );
    let args = crate::cli::LiveArgs {
        device: None,
        duration: Some(length),
        anyway: false, // not read: record_live applies no check-in
        record: Some(file.clone()),
        scan_timeout: std::time::Duration::from_secs(5),
        coaching: crate::cli::CoachingArgs::default(),
        output: crate::cli::OutputArgs {
            progress: Some(length),
            silent,
            ..crate::cli::OutputArgs::default()
        },
    };
    let config = super::calibrate::judging_config(super::calibrate::judging_zones(profile).0);
    super::live::record_live(args, config, super::shutdown_on_ctrl_c()).await?;
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
    let c = super::calibrate::collect(file, profile).await?;
    let r =
        hrv::rmssd(&c.rr).map_err(|why| anyhow::anyhow!("{}: no RMSSD: {why}", file.display()))?;
    let Some((resting_hr, _)) =
        calibration::resting_minute(&c.trusted, std::time::Duration::from_secs(3))
    else {
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

/// The zone model's basis for the cap: the profile's model when a max HR is known, else %max.
fn basis(zones: Option<&ZoneModel>) -> ZoneBasis {
    zones.map_or(ZoneBasis::Max, ZoneModel::basis)
}

/// The answers from the flags; on a terminal, questions for the missing ones (each with a
/// default); without one, an error naming the missing flags. Not sore (0-1) needs no more.
fn answers(args: &CheckInArgs) -> anyhow::Result<Answers> {
    let mut asker = Asker {
        interactive: io::stdin().is_terminal() && io::stderr().is_terminal(),
        needed: true,
        missing: Vec::new(),
    };
    let soreness = match args.soreness {
        Some(s) => s,
        None if asker.interactive => ask("How sore are your legs, 0 (none) to 10", "0", |s| {
            s.parse::<u8>().ok().filter(|n| *n <= 10)
        })?,
        None => {
            asker.missing.push("--soreness 0-10");
            0
        }
    };
    // Not sore: nothing to describe.
    asker.needed = soreness > rules::NOT_SORE;
    let sides = asker.get(
        args.sides,
        "--sides equal|one-worse",
        "Both legs about the same, or one clearly worse?",
        Sides::Equal,
    )?;
    let pain = asker.get(
        args.pain,
        "--pain dull|sharp",
        "A dull ache, or sharp / in one spot?",
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
        bail!(
            "missing answers, and no terminal to ask them on: {}",
            asker.missing.join(", ")
        );
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

/// Gets each answer from its flag, a question, or its default.
struct Asker {
    interactive: bool,
    /// Whether the answers are needed (the runner is sore).
    needed: bool,
    missing: Vec<&'static str>,
}

impl Asker {
    fn get<T>(
        &mut self,
        given: Option<T>,
        flag: &'static str,
        question: &str,
        default: T,
    ) -> anyhow::Result<T>
    where
        T: Copy + serde::Serialize + serde::de::DeserializeOwned,
    {
        match given {
            Some(v) => Ok(v),
            None if !self.needed => Ok(default),
            None if self.interactive => {
                let choices = flag.split_once(' ').map_or("", |(_, c)| c);
                let default_name = serde_json::to_value(default)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                let names: Vec<&str> = choices.split('|').collect();
                ask(&format!("{question} ({choices})"), &default_name, |s| {
                    // "one" is one-worse: a beginning that only one choice has is that choice.
                    let s = by_beginning(s, &names).unwrap_or(s);
                    serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
                })
            }
            None => {
                self.missing.push(flag);
                Ok(default)
            }
        }
    }
}

/// Asks `question` on the terminal until `parse` accepts the answer; an empty answer is
/// `default`.
pub(super) fn ask<T>(
    question: &str,
    default: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> anyhow::Result<T> {
    let stdin = io::stdin();
    loop {
        eprint!("{question} [{default}]: ");
        io::stderr().flush().ok();
        let mut line = String::new();
        if stdin.lock().read_line(&mut line)? == 0 {
            bail!("no answer (end of input)");
        }
        let typed = without_escapes(&line);
        if typed.trim().is_empty() && line.contains('\u{1b}') {
            // An arrow key is an escape sequence on a terminal, not an answer.
            eprintln!(
                "  (arrow keys do not choose here: type the answer, or Enter for [{default}])"
            );
            continue;
        }
        let answer = typed.trim();
        let answer = if answer.is_empty() { default } else { answer };
        match parse(answer) {
            Some(v) => return Ok(v),
            None => eprintln!("  {answer:?}: please answer one of the choices."),
        }
    }
}

/// `line` without the terminal's escape sequences (an arrow key sends `ESC [ D`) and other
/// control characters.
fn without_escapes(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // ESC [ parameters final-letter (CSI), or ESC O letter (SS3), or ESC and one more.
            match chars.next() {
                Some('[') => {
                    for p in chars.by_ref() {
                        if ('@'..='~').contains(&p) && !p.is_ascii_digit() && p != ';' {
                            break;
                        }
                    }
                }
                Some(_) | None => {
                    if chars.peek().is_some_and(char::is_ascii_alphabetic) {
                        chars.next();
                    }
                }
            }
        } else if !c.is_control() || c == '\n' {
            out.push(c);
        }
    }
    out
}

/// The one choice in `names` that `typed` begins (`one` → `one-worse`), if exactly one does.
fn by_beginning<'a>(typed: &str, names: &[&'a str]) -> Option<&'a str> {
    let typed = typed.trim();
    if typed.is_empty() || names.contains(&typed) {
        return None;
    }
    let mut matching = names.iter().filter(|n| n.starts_with(typed));
    match (matching.next(), matching.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// The cap in bpm, when the zones are known.
fn cap_bpm(plan: &Plan, zones: Option<&ZoneModel>) -> Option<u16> {
    Some(zones?.bpm_at(plan.cap?))
}

/// The plan in words.
fn text(date: &str, a: &Answers, plan: &Plan, zones: Option<&ZoneModel>) -> String {
    let mut t = format!("Check-in {date}: {}.\n", headline(plan.verdict));
    if !a.areas.is_empty() {
        let names: Vec<String> = (a.areas.iter())
            .filter_map(|w| serde_json::to_value(w).ok())
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        t.push_str(&format!("  Sore: {}.\n", names.join(", ")));
    }
    if plan.verdict == Verdict::Easy {
        let cap = match (cap_bpm(plan, zones), plan.cap, zones) {
            (Some(bpm), Some(pct), Some(z)) => format!(
                "cap {bpm} bpm ({pct} of {})",
                hrcoach::output::format::basis_label(z.basis())
            ),
            (_, Some(pct), _) => format!("cap {pct} of max HR (set a max HR to see it in bpm)"),
            _ => String::new(),
        };
        let minutes = plan
            .duration_min
            .map_or(String::new(), |m| format!(", {m} minutes at most"));
        t.push_str(&format!("  Run easy: {cap}{minutes}.\n"));
    }
    t.push_str("Why:\n");
    for r in &plan.reasons {
        t.push_str(&format!("  - {r}\n"));
    }
    if !plan.advice.is_empty() {
        t.push_str("Today:\n");
        for a in &plan.advice {
            t.push_str(&format!("  - {a}\n"));
        }
    }
    t
}

/// The verdict in a few words.
pub fn headline(v: Verdict) -> &'static str {
    match v {
        Verdict::Train => "train as planned",
        Verdict::Easy => "easy run",
        Verdict::CrossTrain => "no run today: cross-train",
        Verdict::Rest => "no run today: rest",
    }
}

/// The plan as one JSON object.
fn json(
    c: &CheckIn,
    plan: &Plan,
    status: &Hrv,
    load: &Load,
    zones: Option<&ZoneModel>,
) -> serde_json::Value {
    let (date, a) = (&c.date, &c.answers);
    let easy = plan.verdict == Verdict::Easy;
    let model = zones.map_or("max", |z| z.basis().name());
    let mut v = serde_json::json!({
        "date": date,
        "verdict": plan.verdict.as_str(),
        "reasons": plan.reasons,
        "advice": plan.advice,
        "cap_bpm": if easy { cap_bpm(plan, zones) } else { None },
        "cap_pct": if easy { plan.cap.map(|p| f64::from(p.tenths()) / 10.0) } else { None },
        "zone_model": model,
        "duration_min": plan.duration_min,
        "answers": a,
        "load": {
            "this_week_min": load.this_week.round(),
            "previous_weeks_min": [load.before[0].round(), load.before[1].round()],
            "rise_pct": load.rise().map(|r| (r * 1000.0).round() / 10.0),
            "jump": load.jump(),
        },
    });
    if let (Some(h), Some(obj)) = (&c.hrv, v.as_object_mut()) {
        let round = |x: f64, places: i32| {
            let k = 10f64.powi(places);
            (x * k).round() / k
        };
        obj.insert("rmssd_ms".into(), round(h.rmssd_ms, 1).into());
        obj.insert("ln_rmssd".into(), round(h.rmssd_ms.ln(), 3).into());
        obj.insert("resting_hr".into(), h.resting_hr.into());
        let (kind, figures) = match status {
            Hrv::None => ("none", None),
            Hrv::TooFew { .. } => ("too-few-mornings", None),
            Hrv::Usual(f) => ("usual", Some(f)),
            Hrv::Low(f) => ("low", Some(f)),
            Hrv::RestingHigh { .. } => ("resting-hr-high", None),
        };
        obj.insert("hrv_status".into(), kind.into());
        if let Some(f) = figures {
            obj.insert(
                "hrv_baseline".into(),
                serde_json::json!({
                    "ln_rmssd_7d": round(f.mean7, 3),
                    "usual_low": round(f.low, 3),
                    "usual_high": round(f.high, 3),
                    "mornings_7d": f.mornings.0,
                    "mornings_30d": f.mornings.1,
                }),
            );
        }
        if let Hrv::TooFew { recent, baseline } = status {
            obj.insert(
                "hrv_baseline".into(),
                serde_json::json!({ "mornings_7d": recent, "mornings_30d": baseline }),
            );
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_arrow_key_is_no_answer_and_a_beginning_is_its_choice() {
        assert_eq!(without_escapes("\u{1b}[D\n"), "\n");
        assert_eq!(without_escapes("\u{1b}[1;5Cshar\u{1b}OAp\n"), "sharp\n");
        assert_eq!(
            by_beginning("one", &["equal", "one-worse"]),
            Some("one-worse")
        );
        assert_eq!(
            by_beginning("e", &["easing", "same", "worse"]),
            Some("easing")
        );
        assert_eq!(by_beginning("s", &["sharp", "same"]), None, "two begin so");
        assert_eq!(
            by_beginning("equal", &["equal", "one-worse"]),
            None,
            "already a name"
        );
    }
}
