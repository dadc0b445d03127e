//! `hrcoach calibrate formula|history|field-test|resting|lthr`: the runner's numbers, each
//! with where it came from and how sure it is, saved to the profile with `--save`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};

use super::readings::collect;
use crate::cli::{CalibrateCommand, SexArg};
use hrcoach::calibrate::field_test as guided;
use hrcoach::calibrate::max_hr::{
    Applied, Measured, apply_peak, formula_table, formula_to_save, from_formula, judge_peak,
    range_text,
};
use hrcoach::calibrate::measures::{self, Peak, PeakRules};
use hrcoach::calibrate::protocol as coach_field_test;
use hrcoach::calibrate::{HEALTHY_ONLY, judging_zones, lthr_not_from_a_trial};
use hrcoach::checkins::hrv;
use hrcoach::coach::summary::Summary;
use hrcoach::output::format::{clock, rejected_reasons};
use hrcoach::profile::{Lthr, MaxHrSource, Profile, RestingHr, Sex};
use hrcoach::recording::RecordingReader;
use hrcoach::source::replay::Pace;

/// Runs a calibration.
///
/// # Errors
/// Bad input (age, recordings without usable samples), a sore day for the hard tests, or a
/// profile that cannot be read or written.
pub async fn calibrate(profile_path: &Path, cmd: CalibrateCommand) -> anyhow::Result<()> {
    let mut cx = Cx {
        profile: super::load_profile(profile_path)?,
        path: profile_path,
        today: super::today_date(),
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
            field_test_max(&mut cx, file, sore, pace, save, force).await
        }
        CalibrateCommand::Resting { file, save } => resting(&mut cx, file, save).await,
        CalibrateCommand::Lthr { file, sore, save } => lthr(&mut cx, file, sore, save).await,
    }
}

/// What every calibrate subcommand works with: the profile, where it lives, and today.
struct Cx<'a> {
    profile: Profile,
    path: &'a Path,
    today: jiff::civil::Date,
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
    let to_save = save
        .map(|name| formula_to_save(&name, sex))
        .transpose()
        .map_err(anyhow::Error::msg)?;
    out!("{}", formula_table(age, sex));
    if let Some(f) = to_save {
        let bpm = f.predict(age);
        cx.profile.age = Some(age);
        cx.profile.sex = sex.or(cx.profile.sex);
        cx.profile.max_hr = Some(from_formula(f, age, cx.today));
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
        match measures::sustained_peak(&collected.trusted, &PeakRules::default()) {
            Some(p) => {
                outln!(
                    "{}: sustained {} bpm (highest {}) at {}{}",
                    file.display(),
                    p.sustained_bpm,
                    p.highest_bpm,
                    clock(p.at),
                    estimate_left_out(p.rejected)
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
) -> anyhow::Result<()> {
    if sore {
        bail!(
            "not on a sore day: a max effort on sore legs invites the injury the easy day is \
             avoiding. Run easy today (hrcoach replay/live --sore) and test when the soreness has gone."
        );
    }
    outln!("{HEALTHY_ONLY}");
    let (peak, ended_at) = field_test(&cx.profile, &file, pace).await?;
    let Some(peak) = peak else {
        bail!(
            "{}: no stretch of clean readings to take a max from (the recording has no usable samples)",
            file.display()
        );
    };
    let complete = ended_at >= coach_field_test::efforts_end();
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
            clock(coach_field_test::efforts_end())
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
    measures::check_resting(&c.trusted).map_err(|why| {
        anyhow::anyhow!(
            "{} is not a resting reading: {why}. Nothing saved: record a few minutes lying still on waking.",
            file.display()
        )
    })?;
    let Some((bpm, at)) = measures::resting_minute(&c.trusted, Duration::from_secs(3)) else {
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
            date: Some(cx.today),
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
    let lthr = measures::lthr_from_time_trial(&c.trusted)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let bpm = lthr.bpm;
    outln!(
        "LTHR {bpm} bpm: the mean of {}-{}, the last 20 minutes of the hardest 30 ({}-{})",
        clock(lthr.tail_start),
        clock(lthr.trial_end),
        clock(lthr.trial_start),
        clock(lthr.trial_end)
    );
    match (lthr_not_from_a_trial(bpm, cx.profile.max_hr.as_ref()), save) {
        (Some(why), true) => bail!("{why}. Not saved."),
        (Some(why), false) => eprintln!("warning: {why}."),
        (None, _) => {}
    }
    if save && cx.profile.max_hr.is_none() {
        eprintln!(
            "warning: no max HR in the profile to check this LTHR against (LTHR is usually 85-92% of max HR)."
        );
    }
    if save {
        cx.profile.lthr = Some(Lthr {
            bpm,
            date: Some(cx.today),
        });
        save_profile(&cx.profile, cx.path)?;
        outln!("{}", super::saved_note(cx.path));
    }
    Ok(())
}

/// What the max-HR estimate leaves out of the readings the coach trusted (said apart from the
/// coach's own rejections, which `ignored` counts): "; the estimate leaves out the first
/// minute of trusted readings (60), as the strap settles", and any more too fast.
fn estimate_left_out(r: measures::Rejected) -> String {
    let mut t = String::new();
    if r.start > 0 {
        t.push_str(&format!(
            "; the estimate leaves out the first minute of trusted readings ({}), as the strap settles",
            r.start
        ));
    }
    if r.too_fast > 0 {
        t.push_str(&format!(
            "; {} more changed faster than a heart can",
            r.too_fast
        ));
    }
    t
}

/// What the coach's quality rules set aside, e.g. "14 missed or extra beats, 25 dry strap at
/// the start (reads high)"; `None` when nothing was.
fn ignored_text(s: &Summary) -> Option<String> {
    let parts = rejected_reasons(s);
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn save_max(cx: &mut Cx<'_>, peak: &Peak, m: Measured) -> anyhow::Result<()> {
    let previous = match apply_peak(&mut cx.profile, peak, m, cx.today) {
        Applied::Kept(why) => {
            outln!("{why}");
            return Ok(());
        }
        Applied::Saved { previous } => previous,
    };
    save_profile(&cx.profile, cx.path)?;
    let bpm = peak.sustained_bpm;
    match previous {
        Some(p) if p.bpm > bpm => outln!(
            "Max HR {bpm} bpm {} (was {} bpm, {}).",
            super::saved_note(cx.path),
            p.bpm,
            p.source
        ),
        _ => outln!("Max HR {bpm} bpm {}.", super::saved_note(cx.path)),
    }
    Ok(())
}

fn save_profile(profile: &Profile, path: &Path) -> anyhow::Result<()> {
    profile.validate(path)?;
    profile.save(path)?;
    Ok(())
}

/// Says what the test is, then replays it with its cues.
async fn field_test(
    profile: &Profile,
    file: &Path,
    pace: Pace,
) -> anyhow::Result<(Option<Peak>, Duration)> {
    let reader = RecordingReader::open(file)?;
    let (zones, provisional) = judging_zones(profile);
    if let Some(bpm) = provisional {
        outln!("(No max HR yet: zones are shown against a provisional {bpm} bpm.)");
    }
    outln!(
        "Max-HR field test from {}: {} in all; the result is the highest heart rate held for {} s.",
        file.display(),
        clock(coach_field_test::total()),
        PeakRules::default().sustain.as_secs()
    );
    let result = guided::run(reader, zones, pace, super::on_ctrl_c().wait())
        .await
        .context("field test stopped")?;
    Ok((result.peak, result.ended_at))
}
