//! Profile, zones and calibration end to end through the binary, each against its own
//! temporary profile.

mod common;

use std::path::{Path, PathBuf};

use common::{fixture, hrcoach, json_lines, stdout_of, succeeds};
use predicates::prelude::*;

/// A fresh profile path in a temp dir (the file does not exist yet).
fn profile() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("hrcoach").join("profile.toml");
    (dir, path)
}

fn with_profile(path: &Path) -> assert_cmd::Command {
    let mut cmd = hrcoach();
    cmd.arg("--profile").arg(path);
    cmd
}

#[test]
fn formula_prints_five_formulas_and_saving_one_drives_zones_and_replay() {
    let (_dir, p) = profile();
    let table = stdout_of(with_profile(&p).args(["calibrate", "formula", "--age", "40"]));
    for line in ["tanaka", "fox", "gellish", "nes", "gulati"] {
        assert!(table.contains(line), "{table}");
    }
    assert!(
        table.contains("180 bpm  ±10"),
        "Tanaka at 40 with its error: {table}"
    );
    assert!(table.contains("185 bpm  ±11"), "Nes at 40: {table}");
    assert!(!p.exists(), "nothing saved without --save");

    stdout_of(with_profile(&p).args(["calibrate", "formula", "--age", "40", "--save"]));
    let zones = stdout_of(with_profile(&p).arg("zones"));
    assert!(
        zones.contains("Max HR 180 bpm, from formula:tanaka"),
        "{zones}"
    );
    assert!(zones.contains("starting point"), "{zones}");
    assert!(zones.contains("126 bpm   70% of 180"), "{zones}");

    // replay --sore with no --max-hr: the cap comes from the saved formula value.
    let out = succeeds(
        with_profile(&p)
            .args(["replay", "--fast", "--json", "--sore"])
            .arg(fixture("sore-day-drift.jsonl")),
    );
    let lines = json_lines(&out.stdout);
    let summary = &lines.last().expect("summary")["summary"];
    assert_eq!(summary["max_hr"], 180);
    assert_eq!(summary["cap_bpm"], 126);

    // A flag still overrides the profile for one run.
    let out = with_profile(&p)
        .args(["replay", "--fast", "--json", "--sore", "--max-hr", "185"])
        .arg(fixture("sore-day-drift.jsonl"))
        .output()
        .expect("run");
    assert_eq!(
        json_lines(&out.stdout).last().expect("summary")["summary"]["cap_bpm"],
        130
    );
}

#[test]
fn saving_gulati_needs_female() {
    let (_dir, p) = profile();
    with_profile(&p)
        .args(["calibrate", "formula", "--age", "40", "--save", "gulati"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("for women"));
    with_profile(&p)
        .args([
            "calibrate",
            "formula",
            "--age",
            "40",
            "--sex",
            "female",
            "--save",
            "gulati",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("Max HR 171 bpm (gulati)"));
}

/// The number after `label` in `text`.
fn number_after(text: &str, label: &str) -> u16 {
    let rest = &text[text
        .find(label)
        .unwrap_or_else(|| panic!("{label:?} in {text}"))
        + label.len()..];
    rest.trim_start()
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("number after {label:?} in {text}"))
}

#[test]
fn history_finds_the_true_max_despite_spikes_and_a_dry_start() {
    // fixtures/field-test.jsonl: true max 188, spikes of 222-231, a dry start from 205.
    let (_dir, p) = profile();
    let out = stdout_of(
        with_profile(&p)
            .args(["calibrate", "history"])
            .arg(fixture("field-test.jsonl"))
            .arg("--save"),
    );
    let estimate = number_after(&out, "Max HR estimate:");
    assert!((185..=191).contains(&estimate), "within ±3 of 188: {out}");
    // The spikes and the dry start are set aside by the coach's quality rules (beats, dry
    // strap, rate) before the estimator sees the readings, and by the estimator's own rules.
    assert!(out.contains("missed or extra beats"), "{out}");
    assert!(out.contains("dry strap at the start"), "{out}");
    assert!(out.contains("leaves out the first minute"), "{out}");
    let zones = stdout_of(with_profile(&p).arg("zones"));
    assert!(
        zones.contains(&format!("Max HR {estimate} bpm, from history")),
        "{zones}"
    );
}

#[test]
fn an_easy_run_gives_only_a_lower_bound_and_does_not_lower_the_max() {
    let (_dir, p) = profile();
    stdout_of(with_profile(&p).args(["profile", "set", "max-hr", "190"]));
    let out = stdout_of(
        with_profile(&p)
            .args(["calibrate", "history", "--save"])
            .arg(fixture("steady-easy.jsonl")),
    );
    assert!(out.contains("lower bound"), "{out}");
    assert!(out.contains("Not saved"), "{out}");
    let shown = stdout_of(with_profile(&p).args(["profile", "show"]));
    assert!(shown.contains("bpm = 190"), "{shown}");
}

#[test]
fn zones_show_the_cap_under_max_and_hrr_once_resting_is_known() {
    let (_dir, p) = profile();
    stdout_of(with_profile(&p).args(["profile", "set", "max-hr", "185"]));
    let before = stdout_of(with_profile(&p).arg("zones"));
    assert!(before.contains("% of HRR: needs resting HR"), "{before}");
    stdout_of(with_profile(&p).args(["profile", "set", "resting-hr", "55"]));
    let after = stdout_of(with_profile(&p).arg("zones"));
    assert!(after.contains("* % of max HR  130 bpm"), "{after}");
    // The easy-day cap under %HRR is 60 % of the reserve (issue 8), 55 + 78 = 133, but never
    // above 70 % of max HR (issue 18): 130.
    assert!(after.contains("% of HRR     130 bpm"), "{after}");
    assert!(after.contains("(held at 70% of max HR)"), "{after}");
    // Switching the model moves the cap for replay too.
    stdout_of(with_profile(&p).args(["profile", "set", "zone-model", "hrr"]));
    let out = with_profile(&p)
        .args(["replay", "--fast", "--json", "--sore"])
        .arg(fixture("steady-easy.jsonl"))
        .output()
        .expect("run");
    assert_eq!(
        json_lines(&out.stdout).last().expect("summary")["summary"]["cap_bpm"],
        130
    );
}

#[test]
fn the_field_test_refuses_on_a_sore_day_and_runs_to_a_result_otherwise() {
    let (_dir, p) = profile();
    with_profile(&p)
        .args(["calibrate", "field-test", "--fast", "--sore"])
        .arg(fixture("field-test.jsonl"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not on a sore day"));
    let out = stdout_of(
        with_profile(&p)
            .args(["calibrate", "field-test", "--fast", "--save"])
            .arg(fixture("field-test.jsonl")),
    );
    assert!(out.contains("Effort 3 of 3"), "{out}");
    let max = number_after(&out, "Field test: max HR");
    assert!((185..=191).contains(&max), "{out}");
    assert!(
        stdout_of(with_profile(&p).args(["profile", "show"])).contains("source = \"field-test\"")
    );
}

#[test]
fn a_short_field_test_is_a_lower_bound() {
    // A 20-minute recording never reaches the end of the last effort (30:00).
    let (_dir, p) = profile();
    let out = stdout_of(
        with_profile(&p)
            .args(["calibrate", "field-test", "--fast"])
            .arg(fixture("artifacts.jsonl")),
    );
    assert!(out.contains("lower bound"), "{out}");
}

#[test]
fn resting_and_lthr_are_measured_and_saved() {
    let (_dir, p) = profile();
    stdout_of(with_profile(&p).args(["profile", "set", "max-hr", "188"]));
    let out = stdout_of(
        with_profile(&p)
            .args(["calibrate", "resting", "--save"])
            .arg(fixture("resting.jsonl")),
    );
    let resting = number_after(&out, "Resting HR");
    assert!((51..=53).contains(&resting), "settles at 52: {out}");
    assert!(out.contains("RMSSD"), "{out}");
    let out = stdout_of(
        with_profile(&p)
            .args(["calibrate", "lthr", "--save"])
            .arg(fixture("lthr-time-trial.jsonl")),
    );
    let lthr = number_after(&out, "LTHR");
    assert!(
        (170..=172).contains(&lthr),
        "171 over the last 20 minutes: {out}"
    );
    let zones = stdout_of(with_profile(&p).args(["zones", "--zone-model", "lthr"]));
    assert!(zones.contains("Zones, % of LTHR (in force)"), "{zones}");
    with_profile(&p)
        .args(["calibrate", "lthr", "--sore"])
        .arg(fixture("lthr-time-trial.jsonl"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not on a sore day"));
    // A recording that is not a 30-minute trial.
    with_profile(&p)
        .args(["calibrate", "lthr"])
        .arg(fixture("resting.jsonl"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("30-minute solo time trial"));
}

#[test]
fn bad_input_gets_a_clear_message_and_a_non_zero_exit() {
    let (_dir, p) = profile();
    for age in ["5", "101", "forty"] {
        with_profile(&p)
            .args(["calibrate", "formula", "--age", age])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--age"));
    }
    with_profile(&p)
        .args(["profile", "set", "max-hr", "300"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "max heart rate 300 is outside 100-230",
        ));
    stdout_of(with_profile(&p).args(["profile", "set", "max-hr", "150"]));
    with_profile(&p)
        .args(["profile", "set", "resting-hr", "110"])
        .assert()
        .success();
    with_profile(&p)
        .args(["profile", "set", "max-hr", "105"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "resting heart rate must be below max heart rate (105)",
        ));
    with_profile(&p)
        .args(["profile", "set", "colour", "red"])
        .assert()
        .code(2) // a usage error, as clap reports every one
        .stderr(predicate::str::contains("invalid value 'colour'"))
        .stderr(predicate::str::contains(
            "possible values: max-hr, resting-hr",
        ));
    with_profile(&p)
        .args(["calibrate", "history"])
        .arg(fixture("bad/no-contact.jsonl"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "no-contact.jsonl: no usable heart-rate readings",
        ));
    with_profile(&p)
        .args(["calibrate", "resting"])
        .arg(fixture("bad/empty.jsonl"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no events"));
}

#[test]
fn a_corrupt_profile_names_the_file_and_the_key() {
    let (dir, _) = profile();
    let p = dir.path().join("profile.toml");
    std::fs::write(&p, "zone_model = \"karvonen\"\n").expect("write");
    for args in [
        &["zones"][..],
        &["profile", "show"],
        &["replay", "x.jsonl", "--max-hr", "180"],
    ] {
        with_profile(&p)
            .args(args)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("profile.toml"))
            .stderr(predicate::str::contains(
                "expected one of `max`, `hrr`, `lthr`",
            ));
    }
    std::fs::write(&p, "[max_hr]\nbpm = 300\nsource = \"entered\"\n").expect("write");
    with_profile(&p)
        .arg("zones")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "max_hr.bpm = 300: max heart rate must be 100-230",
        ));
}

#[test]
fn a_missing_profile_asks_for_a_max_hr() {
    let (_dir, p) = profile();
    with_profile(&p)
        .arg("zones")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "hrcoach calibrate formula --age N --save",
        ));
    with_profile(&p)
        .args(["profile", "show"])
        .assert()
        .success()
        .stdout(predicate::str::contains("empty"));
}

/// Issue 8, item 6: a session peak of 188 is at least 95 % of an entered 195, so it counts as
/// a real max; it still must not lower the entered value without --force.
#[test]
fn a_recorded_peak_never_lowers_an_entered_max_without_force() {
    let (_dir, p) = profile();
    stdout_of(with_profile(&p).args(["profile", "set", "max-hr", "195"]));
    let out = stdout_of(
        with_profile(&p)
            .args(["calibrate", "history", "--save"])
            .arg(fixture("field-test.jsonl")),
    );
    assert!(
        out.contains("Not saved: your max HR stays 195 bpm"),
        "{out}"
    );
    assert!(out.contains("--save --force"), "{out}");
    let shown = stdout_of(with_profile(&p).args(["profile", "show"]));
    assert!(shown.contains("bpm = 195"), "{shown}");
    // The field test follows the same rule.
    let out = stdout_of(
        with_profile(&p)
            .args(["calibrate", "field-test", "--fast", "--save"])
            .arg(fixture("field-test.jsonl")),
    );
    assert!(
        out.contains("Not saved: your max HR stays 195 bpm"),
        "{out}"
    );
    // --force replaces it, and says what it replaced.
    let out = stdout_of(
        with_profile(&p)
            .args(["calibrate", "history", "--save", "--force"])
            .arg(fixture("field-test.jsonl")),
    );
    assert!(out.contains("(was 195 bpm, entered)"), "{out}");
    let shown = stdout_of(with_profile(&p).args(["profile", "show"]));
    assert!(!shown.contains("bpm = 195"), "{shown}");
    // --force means nothing without --save.
    with_profile(&p)
        .args(["calibrate", "history", "--force"])
        .arg(fixture("field-test.jsonl"))
        .assert()
        .code(2);
}

/// Writes a recording of these notifications (one per entry) to `dir/name`.
fn recording(
    dir: &Path,
    name: &str,
    notifications: &[(
        std::time::Duration,
        hrcoach::coach::measurement::HeartRateMeasurement,
    )],
) -> PathBuf {
    let path = dir.join(name);
    let mut text = String::from("{\"format\":\"hrcoach-recording\",\"version\":1}\n");
    for (at, m) in notifications {
        let e = hrcoach::event::Event::notification(*at, m.encode());
        text.push_str(&hrcoach::recording::writer::event_line(&e));
    }
    std::fs::write(&path, text).expect("write recording");
    path
}

/// `secs` seconds of a steady `bpm`, one notification a second with the beats that agree.
fn steady(
    secs: u64,
    bpm: impl Fn(u64) -> u16,
) -> Vec<(
    std::time::Duration,
    hrcoach::coach::measurement::HeartRateMeasurement,
)> {
    use hrcoach::coach::measurement::{Contact, HeartRateMeasurement, RrInterval};
    (1..=secs)
        .map(|s| {
            let b = bpm(s);
            let units = (60.0 * 1024.0 / f64::from(b)).round() as u16;
            let beats = usize::from(b / 60).max(1);
            (
                std::time::Duration::from_secs(s),
                HeartRateMeasurement {
                    bpm: b,
                    contact: Contact::Detected,
                    energy_kj: None,
                    rr: vec![RrInterval(units); beats],
                },
            )
        })
        .collect()
}

/// Issue 8, item 7: resting HR comes from the coach's corrected bpm. A strap that counts a
/// missed beat reports 28 bpm for that second; the coach derives 56 from the good beats.
#[test]
fn resting_hr_uses_the_coachs_corrected_bpm_not_the_straps() {
    use hrcoach::coach::measurement::RrInterval;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut n = steady(360, |_| 56);
    for (i, (_, m)) in n.iter_mut().enumerate() {
        if i % 3 == 0 {
            // One normal beat and one missed (an interval twice as long): the strap's bpm
            // counts both.
            m.rr = vec![RrInterval(1097), RrInterval(2194)];
            m.bpm = 37;
        }
    }
    let file = recording(dir.path(), "missed.jsonl", &n);
    let (_d, p) = profile();
    let out = stdout_of(with_profile(&p).args(["calibrate", "resting"]).arg(&file));
    assert!(out.contains("Resting HR 56 bpm"), "{out}");
}

/// Issue 8, item 8: RMSSD corrects bad beats instead of dropping differences, never
/// differences across a hole, and refuses with a reason when the beats are too few.
#[test]
fn rmssd_is_refused_with_a_reason_when_too_short() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Two resting minutes, but the strap stops sending beats after 40 s.
    let mut n = steady(120, |_| 60);
    for (at, m) in &mut n {
        if at.as_secs() > 40 {
            m.rr.clear();
        }
    }
    let short = recording(dir.path(), "short.jsonl", &n);
    let (_d, p) = profile();
    let out = stdout_of(with_profile(&p).args(["calibrate", "resting"]).arg(&short));
    assert!(out.contains("Resting HR 60 bpm"), "{out}");
    assert!(
        out.contains("no RMSSD: only 40 s of clean, unbroken beats"),
        "{out}"
    );
    // The bundled resting recording gives one, over its last 5 minutes.
    let out = stdout_of(
        with_profile(&p)
            .args(["calibrate", "resting"])
            .arg(fixture("resting.jsonl")),
    );
    assert!(
        out.contains("RMSSD") && out.contains("over the last 5 min"),
        "{out}"
    );
}

/// Issue 8, item 9: a 30-minute time trial at 171 followed by a 10-minute cool-down: LTHR is
/// 171, from the hardest 30 minutes, not the last 20 of the recording (151 before).
#[test]
fn lthr_comes_from_the_hardest_thirty_minutes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let course = |s: u64| match s {
        0..600 => 130 + (s / 60) as u16 * 2,         // warm-up
        600..2400 => 171,                            // the time trial
        _ => 171 - ((s - 2400) / 12).min(50) as u16, // cool-down
    };
    let file = recording(dir.path(), "tt.jsonl", &steady(3000, course));
    let (_d, p) = profile();
    let out = stdout_of(with_profile(&p).args(["calibrate", "lthr"]).arg(&file));
    assert!(out.contains("LTHR 171 bpm"), "{out}");
    // (The jump from the warm-up to 171 takes the rate rule three readings to accept.)
    assert!(out.contains("the hardest 30 (10:02-40:02)"), "{out}");
}

/// Issue 8, item 10: the hard tests say they are for a healthy, uninjured runner before the
/// first cue, and refuse a sore day before any cue.
#[test]
fn hard_tests_warn_before_the_effort_and_refuse_a_sore_day() {
    let (_d, p) = profile();
    let out = stdout_of(
        with_profile(&p)
            .args(["calibrate", "field-test", "--fast"])
            .arg(fixture("field-test.jsonl")),
    );
    let note = out.find("healthy, uninjured runner").expect("the note");
    let first_cue = out.find("[0:0").expect("a cue");
    assert!(note < first_cue, "{out}");
    let out = stdout_of(
        with_profile(&p)
            .args(["calibrate", "lthr"])
            .arg(fixture("lthr-time-trial.jsonl")),
    );
    assert!(out.contains("healthy, uninjured runner"), "{out}");
    for test in ["field-test", "lthr"] {
        with_profile(&p)
            .args(["calibrate", test, "--sore"])
            .arg(fixture("field-test.jsonl"))
            .assert()
            .code(1)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains("not on a sore day"));
    }
}

/// A resting recording of a high-variability heart: `minutes` at about 55 bpm, a breathing
/// swing of `amplitude` ms every 4.6 beats and a beat-to-beat wobble; one notification a
/// second with the beats that ended in it, its bpm from the last beat (as a strap's
/// instantaneous rate jumps). Returns the file and the true RMSSD (ms) of the beats of the
/// last five minutes.
fn high_variability_resting(dir: &Path, amplitude: f64) -> (PathBuf, f64) {
    let mut seed = 99u64;
    let mut beats = Vec::new();
    let mut t = 0.0;
    while t < 360.0 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let noise = ((seed >> 33) as f64 / f64::from(u32::MAX >> 1) - 0.5) * 60.0;
        let i = beats.len() as f64;
        let ms = 1090.0 + amplitude * (2.0 * std::f64::consts::PI * i / 4.6).sin() + noise;
        let units = (ms * 1.024).round() as u16;
        t += f64::from(units) / 1024.0;
        beats.push((t, units));
    }
    let mut text = String::from(
        "{\"format\":\"hrcoach-recording\",\"version\":1,\"start\":\"2026-11-20T07:00:00+01:00\"}\n",
    );
    for second in 1..=360u32 {
        let s = f64::from(second);
        let rr: Vec<u16> = (beats.iter())
            .filter(|(end, _)| *end > s - 1.0 && *end <= s)
            .map(|&(_, u)| u)
            .collect();
        let Some(&last) = rr.last() else { continue };
        let bpm = (60.0 * 1024.0 / f64::from(last)).round();
        text.push_str(&format!(
            "{{\"t_ms\":{},\"bpm\":{bpm},\"rr\":{rr:?},\"contact\":true}}\n",
            second * 1000
        ));
    }
    let ms: Vec<f64> = (beats.iter())
        .filter(|(end, _)| *end > 60.0 && *end <= 360.0)
        .map(|&(_, u)| f64::from(u) * 1000.0 / 1024.0)
        .collect();
    let sq: Vec<f64> = ms.windows(2).map(|w| (w[1] - w[0]).powi(2)).collect();
    let truth = (sq.iter().sum::<f64>() / sq.len() as f64).sqrt();
    let path = dir.join(format!("athlete-{amplitude}.jsonl"));
    std::fs::write(&path, text).expect("write");
    (path, truth)
}

/// Issue 18, item 8e: a high-variability heart at rest goes through HRV's own artifact rules,
/// not the running quality gate's: true RMSSD ~100 to ~200 ms is read within 10 %.
#[test]
fn a_high_variability_resting_heart_is_read_within_ten_percent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_p, profile) = profile();
    for amplitude in [108.0, 165.0, 225.0] {
        let (file, truth) = high_variability_resting(dir.path(), amplitude);
        let out = stdout_of(
            with_profile(&profile)
                .args(["calibrate", "resting"])
                .arg(&file),
        );
        let read = out
            .split("RMSSD ")
            .nth(1)
            .and_then(|r| r.split(" ms").next())
            .and_then(|r| r.parse::<f64>().ok())
            .unwrap_or_else(|| panic!("no RMSSD in {out}"));
        let off = (read - truth).abs() / truth;
        eprintln!("true RMSSD {truth:.0} ms, read {read:.1}: {out}");
        assert!(off < 0.10, "true {truth:.0} ms, read {read}: {out}");
    }
}

/// Issue 20: what `calibrate history` says it left out agrees with itself and with the file: the
/// coach's rules are counted once ("ignored"), and the estimate's own first minute is named as
/// what it is, not as "dry-start" readings of a file that has no dry start.
#[test]
fn history_counts_what_it_leaves_out_once_and_by_its_name() {
    let text = common::stdout_of(
        common::hrcoach()
            .args(["calibrate", "history"])
            .arg(fixture("field-test.jsonl"))
            .arg(fixture("resting.jsonl")),
    );
    let field: Vec<&str> = text.lines().filter(|l| l.contains("field-test")).collect();
    assert!(field[0].contains("52 dry strap at the start"), "{text}");
    assert!(
        field[1].contains("first minute of trusted readings (60)"),
        "{text}"
    );
    let resting: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("resting.jsonl:"))
        .collect();
    assert!(resting.iter().all(|l| !l.contains("dry")), "{text}");
    assert!(!text.contains("set aside"), "{text}");
}
