//! `hrcoach calibrate formula|history|field-test|resting|lthr`: the runner's numbers, each
//! with where it came from and how sure it is, saved to the profile with `--save`.

use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};

use super::readings::{collect, judging_config, judging_zones};
use crate::cli::{CalibrateCommand, SexArg};
use hrcoach::coach::calibration::{self, BpmAt, DEFAULT_FORMULA, FORMULAS, Peak, PeakRules};
use hrcoach::coach::summary::Summary;
use hrcoach::coach::{Coach, Update};
use hrcoach::coach::{field_test, hrv};
use hrcoach::output::Output;
use hrcoach::output::collect::Collect;
use hrcoach::output::display::Terminal;
use hrcoach::output::format::{clock, rejected_reasons};
use hrcoach::profile::{Lthr, MaxHr, MaxHrSource, Profile, RestingHr, Sex};
use hrcoach::recording::RecordingReader;
use hrcoach::session;
use hrcoach::source::replay::{Pace, Replay};

/// Runs a calibration.
///
/// # Errors
/// Bad input (age, recordings without usable samples), a sore day for the hard tests, or a
/// profile that cannot be read or written.
pub async fn calibrate(
    profile_path: &Path,
    cmd: CalibrateCommand,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let mut cx = Cx {
        profile: super::load_profile(profile_path)?,
        path: profile_path,
        today: super::today(),
    };
    match cmd {
        CalibrateCommand::Formula { age, sex, save } => formula(&mut cx, age, sex, save),
        CalibrateCommand::History { files, save, force } => {
            history(&mut cx, files, save, force).await
        }
        CalibrateCommand::FieldTest {
            file,
            sore,
            speed,
            fast,
            save,
            force,
        } => {
            let pace = if fast { Pace::Fast } else { Pace::Speed(speed) };
            field_test_max(&mut cx, file, sore, pace, save, force, shutdown).await
        }
        CalibrateCommand::Resting { file, save } => resting(&mut cx, file, save).await,
        CalibrateCommand::Lthr { file, sore, save } => lthr(&mut cx, file, sore, save).await,
    }
}

/// What every calibrate subcommand works with: the profile, where it lives, and today.
struct Cx<'a> {
    profile: Profile,
    path: &'a Path,
    today: String,
}

/// `calibrate formula`: the age formulas, and one saved if asked.
fn formula(
    cx: &mut Cx<'_>,
    age: u16,
    sex: Option<SexArg>,
    save: Option<String>,
) -> anyhow::Result<()> {
    let sex = sex.map(Sex::from);
    // The formula to save is checked before the table is printed: an error comes alone.
    let to_save = match save {
        None => None,
        Some(name) => {
            let Some(f) = calibration::formula(&name) else {
                bail!("unknown formula {name:?}: use tanaka, fox, gellish, nes or gulati");
            };
            if f.women_only && sex != Some(Sex::Female) {
                bail!(
                    "the {} formula is for women: pass --sex female, or save another",
                    f.name
                );
            }
            Some(f)
        }
    };
    out!("{}", formula_table(age, sex));
    if let Some(f) = to_save {
        let bpm = f.predict(age);
        cx.profile.age = Some(age);
        cx.profile.sex = sex.or(cx.profile.sex);
        cx.profile.max_hr = Some(MaxHr {
            bpm,
            source: MaxHrSource::Formula(f.name.to_owned()),
            date: Some(cx.today.clone()),
            low: Some(bpm.saturating_sub(f.typical_error)),
            high: Some(bpm + f.typical_error),
        });
        save_profile(&cx.profile, cx.path)?;
        outln!(
            "Max HR {bpm} bpm ({}) {}.",
            f.name,
            super::saved_note(cx.path)
        );
    }
    Ok(())
}

/// `calibrate history`: the highest sustained heart rate of recorded hard efforts.
async fn history(
    cx: &mut Cx<'_>,
    files: Vec<PathBuf>,
    save: bool,
    force: bool,
) -> anyhow::Result<()> {
    let mut best: Option<(Peak, &Path)> = None;
    for file in &files {
        let collected = collect(file, &cx.profile).await?;
        if let Some(ignored) = collected.summary.as_ref().and_then(ignored_text) {
            outln!("{}: ignored {ignored}", file.display());
        }
        match calibration::sustained_peak(&collected.trusted, &PeakRules::default()) {
            Some(p) => {
                outln!(
                    "{}: sustained {} bpm (highest {}) at {}; set aside {} dry-start and {} too-fast readings",
                    file.display(),
                    p.sustained_bpm,
                    p.highest_bpm,
                    clock(p.at),
                    p.rejected.start,
                    p.rejected.too_fast
                );
                if best.is_none_or(|(b, _)| p.sustained_bpm > b.sustained_bpm) {
                    best = Some((p, file));
                }
            }
            None => outln!(
                "{}: no stretch of {} s of clean readings after the first minute",
                file.display(),
                PeakRules::default().sustain.as_secs()
            ),
        }
    }
    let Some((peak, file)) = best else {
        bail!("no usable heart-rate readings in these recordings: nothing to estimate from");
    };
    let verdict = judge_peak(&cx.profile, &peak);
    outln!(
        "\nMax HR estimate: {} bpm ({}), from {} at {}.\n{}",
        peak.sustained_bpm,
        range_text(&peak),
        file.display(),
        clock(peak.at),
        verdict.text
    );
    if save {
        let source = MaxHrSource::History {
            lower_bound: verdict.lower_bound,
        };
        save_max(cx, &peak, Measured { source, force })?;
    }
    Ok(())
}

/// `calibrate field-test`: the guided test replayed with its cues, and its max.
async fn field_test_max(
    cx: &mut Cx<'_>,
    file: PathBuf,
    sore: bool,
    pace: Pace,
    save: bool,
    force: bool,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    if sore {
        bail!(
            "not on a sore day: a max effort on sore legs invites the injury the easy day is \
             avoiding. Run easy today (hrcoach replay/live --sore) and test when the soreness has gone."
        );
    }
    outln!("{HEALTHY_ONLY}");
    let (peak, ended_at) = field_test(&cx.profile, &file, pace, shutdown).await?;
    let Some(peak) = peak else {
        bail!(
            "{}: no stretch of clean readings to take a max from (the recording has no usable samples)",
            file.display()
        );
    };
    let complete = ended_at >= field_test::efforts_end();
    outln!(
        "\nField test: max HR {} bpm (sustained {} s; highest clean reading {}), at {}.",
        peak.sustained_bpm,
        PeakRules::default().sustain.as_secs(),
        peak.highest_bpm,
        clock(peak.at)
    );
    if !complete {
        outln!(
            "The recording ends at {}, before the last effort ({}): the result is a lower bound.",
            clock(ended_at),
            clock(field_test::efforts_end())
        );
    }
    if save {
        let source = MaxHrSource::FieldTest {
            lower_bound: !complete,
        };
        save_max(cx, &peak, Measured { source, force })?;
    } else {
        outln!(
            "Keep it with: hrcoach calibrate field-test {} --fast --save",
            file.display()
        );
    }
    Ok(())
}

/// `calibrate resting`: the lowest minute lying still, and RMSSD.
async fn resting(cx: &mut Cx<'_>, file: PathBuf, save: bool) -> anyhow::Result<()> {
    let c = collect(&file, &cx.profile).await?;
    // A run is not a resting reading: its "resting HR" would raise every %HRR cap.
    calibration::check_resting(&c.trusted).map_err(|why| {
        anyhow::anyhow!(
            "{} is not a resting reading: {why}. Nothing saved: record a few minutes lying still on waking.",
            file.display()
        )
    })?;
    let Some((bpm, at)) = calibration::resting_minute(&c.trusted, Duration::from_secs(3)) else {
        bail!(
            "{}: no unbroken minute of clean readings: lie still with the strap on for at least 2 minutes",
            file.display()
        );
    };
    let rmssd = hrv::rmssd_with_dropped(&c.rr, &c.dropped);
    out!("Resting HR {bpm} bpm (lowest minute, from {})", clock(at));
    match &rmssd {
        Ok(r) => outln!(
            "; RMSSD {:.1} ms over the last {} min ({} beats, {} corrected)",
            r.ms,
            hrv::WINDOW.as_secs() / 60,
            r.beats,
            r.corrected
        ),
        Err(why) => outln!("; no RMSSD: {why}"),
    }
    if save {
        cx.profile.resting_hr = Some(RestingHr {
            bpm,
            date: Some(cx.today.clone()),
            rmssd_ms: rmssd.ok().map(|r| (r.ms * 10.0).round() / 10.0),
        });
        save_profile(&cx.profile, cx.path)?;
        outln!("{}", super::saved_note(cx.path));
    }
    Ok(())
}

/// `calibrate lthr`: Friel's LTHR from a 30-minute time trial.
async fn lthr(cx: &mut Cx<'_>, file: PathBuf, sore: bool, save: bool) -> anyhow::Result<()> {
    if sore {
        bail!(
            "not on a sore day: a 30-minute time trial is a hard effort. Run easy today and test when the soreness has gone."
        );
    }
    outln!("{HEALTHY_ONLY}");
    let c = collect(&file, &cx.profile).await?;
    let lthr = calibration::lthr_from_time_trial(&c.trusted)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let bpm = lthr.bpm;
    outln!(
        "LTHR {bpm} bpm: the mean of {}-{}, the last 20 minutes of the hardest 30 ({}-{})",
        clock(lthr.tail_start),
        clock(lthr.trial_end),
        clock(lthr.trial_start),
        clock(lthr.trial_end)
    );
    // A steady easy run has a "hardest 30 minutes" too: an LTHR far under max HR is not from a
    // time trial, and saved it would set every %LTHR zone too low.
    let max = cx.profile.max_hr.as_ref().map(|m| m.bpm);
    if let Some(max) = max {
        let share = f64::from(bpm) / f64::from(max);
        if share < calibration::LTHR_MIN_SHARE_OF_MAX {
            let why = format!(
                "{bpm} bpm is {:.0}% of your max HR {max}: LTHR is usually 85-92% of max HR, so this recording's hardest 30 minutes were not a time trial",
                share * 100.0
            );
            if save {
                bail!("{why}. Not saved.");
            }
            eprintln!("warning: {why}.");
        }
    } else if save {
        eprintln!(
            "warning: no max HR in the profile to check this LTHR against (LTHR is usually 85-92% of max HR)."
        );
    }
    if save {
        cx.profile.lthr = Some(Lthr {
            bpm,
            date: Some(cx.today.clone()),
        });
        save_profile(&cx.profile, cx.path)?;
        outln!("{}", super::saved_note(cx.path));
    }
    Ok(())
}

/// Said before the hard tests (the field test and the LTHR time trial), before any cue.
pub const HEALTHY_ONLY: &str = "This test is an all-out effort, for a healthy, uninjured runner only. \
Not with sore legs, pain, an injury, an illness or a heart condition: run easy or rest today \
(hrcoach live --sore), and test another day.";

/// "likely 186-189", or "held for 5 s" when the stretch was flat.
fn range_text(peak: &Peak) -> String {
    if peak.highest_bpm > peak.sustained_bpm {
        format!("likely {}-{}", peak.sustained_bpm, peak.highest_bpm)
    } else {
        format!("held for {} s", PeakRules::default().sustain.as_secs())
    }
}

/// What the coach's quality rules set aside, e.g. "14 missed or extra beats, 25 dry strap at
/// the start (reads high)"; `None` when nothing was.
fn ignored_text(s: &Summary) -> Option<String> {
    let parts = rejected_reasons(s);
    (!parts.is_empty()).then(|| parts.join(", "))
}

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

/// Whether a history peak can stand as a max, or only as a lower bound.
struct Verdict {
    lower_bound: bool,
    text: String,
}

fn judge_peak(profile: &Profile, peak: &Peak) -> Verdict {
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

/// Where a max-HR estimate came from and how far to trust it, for [`save_max`].
struct Measured {
    /// `History` or `FieldTest`, with whether the recording could not show a max (not
    /// maximal, or the test did not finish).
    source: MaxHrSource,
    /// The runner asked to replace the max even if that lowers it.
    force: bool,
}

impl Measured {
    fn is_lower_bound(&self) -> bool {
        matches!(
            self.source,
            MaxHrSource::History { lower_bound: true }
                | MaxHrSource::FieldTest { lower_bound: true }
        )
    }
}

/// What saving a recorded peak over the current max HR should do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SaveMax {
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
fn save_rule(current: Option<&MaxHr>, peak_bpm: u16, m: &Measured) -> SaveMax {
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

fn save_max(cx: &mut Cx<'_>, peak: &Peak, m: Measured) -> anyhow::Result<()> {
    let (profile, path) = (&mut cx.profile, cx.path);
    let bpm = peak.sustained_bpm;
    match (save_rule(profile.max_hr.as_ref(), bpm, &m), &profile.max_hr) {
        (SaveMax::KeepLowerBound, Some(current)) => {
            outln!(
                "Not saved: {bpm} bpm is a lower bound, and your max HR ({} bpm, {}) is already above it.",
                current.bpm,
                current.source
            );
            return Ok(());
        }
        (SaveMax::KeepMeasured, Some(current)) => {
            outln!(
                "Not saved: your max HR stays {} bpm ({}). A recorded peak can raise a max, never lower \
                 one that was measured: a session that did not reach it does not show your heart cannot. \
                 To replace it anyway: --save --force.",
                current.bpm,
                current.source
            );
            return Ok(());
        }
        _ => {}
    }
    let previous = profile.max_hr.take();
    profile.max_hr = Some(MaxHr {
        bpm,
        source: m.source,
        date: Some(cx.today.clone()),
        low: Some(bpm),
        high: Some(peak.highest_bpm.max(bpm)),
    });
    save_profile(profile, path)?;
    match previous {
        Some(p) if p.bpm > bpm => outln!(
            "Max HR {bpm} bpm {} (was {} bpm, {}).",
            super::saved_note(path),
            p.bpm,
            p.source
        ),
        _ => outln!("Max HR {bpm} bpm {}.", super::saved_note(path)),
    }
    Ok(())
}

fn save_profile(profile: &Profile, path: &Path) -> anyhow::Result<()> {
    profile.validate(path)?;
    profile.save(path)?;
    Ok(())
}

/// The field test's output: the usual display, with the stage as prefix and each stage's cue
/// as a line, and the readings kept for the result.
struct FieldTestOutput {
    terminal: Terminal,
    collect: Collect,
    stage: Option<usize>,
    last_at: Duration,
}

impl Output for FieldTestOutput {
    fn update(&mut self, u: &Update) -> io::Result<()> {
        self.last_at = u.at;
        if let Some((i, start, stage)) = field_test::stage_at(u.at) {
            if self.stage != Some(i) {
                self.stage = Some(i);
                self.terminal
                    .cue(&format!("[{}] {}", clock(u.at), stage.cue))?;
            }
            let left = (start + stage.length).saturating_sub(u.at);
            self.terminal
                .set_prefix(format!("{:<10} {:>5} left |", stage.name, clock(left)));
        } else if self.stage.is_some() {
            self.stage = None;
            self.terminal
                .println(&format!("[{}] Test complete.", clock(u.at)))?;
            self.terminal.set_prefix(String::new());
        }
        self.collect.update(u)?;
        self.terminal.update(u)
    }

    fn warning(&mut self, message: &str) -> io::Result<()> {
        self.terminal.warning(message)
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.collect.finish(summary)?;
        self.terminal.finish(summary)
    }
}

async fn field_test(
    profile: &Profile,
    file: &Path,
    pace: Pace,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<(Option<Peak>, Duration)> {
    let reader = RecordingReader::open(file)?;
    let (zones, provisional) = judging_zones(profile);
    if let Some(bpm) = provisional {
        outln!("(No max HR yet: zones are shown against a provisional {bpm} bpm.)");
    }
    outln!(
        "Max-HR field test from {}: {} in all; the result is the highest heart rate held for {} s.",
        file.display(),
        clock(field_test::total()),
        PeakRules::default().sustain.as_secs()
    );
    let mut coach = Coach::new(judging_config(zones.clone()));
    let mut out = FieldTestOutput {
        terminal: Terminal::new(zones, None, false).with_progress(field_test::total()),
        collect: Collect::default(),
        stage: None,
        last_at: Duration::ZERO,
    };
    session::run(
        &mut Replay::new(reader, pace),
        &mut coach,
        &mut out,
        shutdown,
    )
    .await
    .context("field test stopped")?;
    let readings: &[BpmAt] = &out.collect.trusted;
    Ok((
        calibration::sustained_peak(readings, &PeakRules::default()),
        out.last_at,
    ))
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
