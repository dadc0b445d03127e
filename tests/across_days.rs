//! Issue 18: advice that holds across days. Each test here runs the binary as a runner would,
//! over several days of check-ins and recordings in a data directory of its own, and fails on
//! the main before the issue (the case it names is in its doc comment).

mod common;

use std::path::Path;

use common::{fixture, hrcoach};
use predicates::prelude::*;
use serde_json::Value;

/// `hrcoach` with its data and config in `data` and the clock's zone pinned to UTC.
fn at(data: &Path) -> assert_cmd::Command {
    let mut cmd = hrcoach();
    cmd.env("XDG_DATA_HOME", data)
        .env("XDG_CONFIG_HOME", data)
        .env("TZ", "UTC");
    cmd
}

/// Runs `args` in `data` and parses its stdout as one JSON object; the command must succeed.
fn json(data: &Path, args: &[&str]) -> Value {
    let out = at(data).args(args).output().expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?}: {stderr}");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {stderr}"))
}

/// A check-in for `date` with these answers, as JSON.
fn check_in(data: &Path, date: &str, answers: &[&str]) -> Value {
    let mut args = vec!["check-in", "--json", "--date", date];
    args.extend_from_slice(answers);
    json(data, &args)
}

const SHARP_SHINS: [&str; 12] = [
    "--soreness",
    "4",
    "--sides",
    "equal",
    "--pain",
    "sharp",
    "--moving",
    "worse",
    "--gait",
    "changed",
    "--where",
    "shins",
];

const GONE: [&str; 10] = [
    "--soreness",
    "0",
    "--sides",
    "equal",
    "--pain",
    "dull",
    "--moving",
    "easing",
    "--gait",
    "normal",
];

fn sore(level: &str) -> Vec<&str> {
    common::ordinary_soreness(level, "same")
}

fn texts(v: &Value) -> String {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .unwrap_or_default()
}

/// Item 2: a warning sign (sharp shin pain, worse as you move, a changed gait) gave `rest`;
/// the next day `today` said "No check-in" and `replay` coached with no cap. Now the sign
/// stays open until a check-in says it is gone, and the first run after is easy and short.
#[test]
fn a_warning_sign_stays_open_until_a_check_in_clears_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let first = check_in(d, "2026-11-19", &SHARP_SHINS);
    assert_eq!(first["verdict"], "rest");
    assert!(texts(&first["advice"]).contains("bone stress"), "{first}");

    // The next day, no check-in: the sign's day again, said.
    let next = json(d, &["today", "--date", "2026-11-20", "--json"]);
    assert_eq!(next["verdict"], "rest", "{next}");
    assert_eq!(next["open_sign"], "2026-11-19");
    assert_eq!(next["checked_in"], false);
    at(d)
        .args(["today", "--date", "2026-11-20"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Plan 2026-11-20: no run today: rest",
        ))
        .stdout(predicate::str::contains(
            "Warning sign open since 2026-11-19",
        ));

    // replay of a run that day (sore-day-drift.jsonl starts 2026-11-20): the tightest cap.
    let out = at(d)
        .arg("replay")
        .arg(fixture("sore-day-drift.jsonl"))
        .args(["--fast", "--json", "--max-hr", "185"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("The plan of 2026-11-20: no run today: rest, cap 111 bpm"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the warning sign of 2026-11-19 is still open"),
        "{stderr}"
    );

    // A week later, still open.
    let later = json(d, &["today", "--date", "2026-11-26", "--json"]);
    assert_eq!(later["open_sign"], "2026-11-19");

    // `--soreness 0` alone does not say the sign is gone.
    at(d)
        .args(["check-in", "--date", "2026-11-21", "--soreness", "0"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("a warning sign is open"));
    assert!(!d.join("hrcoach/check-ins/2026-11-21.json").exists());

    // Every answer without the sign clears it: the first run back is easy, at most 20 min.
    let back = check_in(d, "2026-11-21", &GONE);
    assert_eq!(back["verdict"], "easy", "{back}");
    assert_eq!(back["duration_min"], 20);
    assert_eq!(back["open_sign"], Value::Null);
    assert!(texts(&back["reasons"]).contains("first run back"), "{back}");
    // And the day after that has no plan of its own.
    let after = json(d, &["today", "--date", "2026-11-22", "--json"]);
    assert_eq!(after["verdict"], Value::Null, "{after}");
}

/// Item 2, for `live`: an open sign from yesterday makes today a no-run day, refused before
/// any Bluetooth work, whatever the flags (item 1: `--sore` was a way round it).
#[test]
fn live_refuses_on_the_day_after_a_warning_sign() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let yesterday = jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::UTC)
        .date()
        .yesterday()
        .expect("a yesterday")
        .to_string();
    check_in(d, &yesterday, &SHARP_SHINS);
    for flags in [&[][..], &["--sore"][..], &["--sore", "--cap-pct", "70"][..]] {
        at(d)
            .env("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/bus")
            .args(["live", "--max-hr", "185", "--record"])
            .arg(d.join("never.jsonl"))
            .args(flags)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!(
                "the warning sign of {yesterday} is still open"
            )))
            .stderr(predicate::str::contains("--anyway"))
            .stderr(predicate::str::contains("D-Bus").not());
    }
}

/// Item 5: eight days in a row at 6-7/10, "the same as you move", each said "Run easy ... 25
/// minutes at most". Now day 4 is cross-training and a physiotherapist, naming the day.
#[test]
fn soreness_that_does_not_ease_is_escalated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    for (day, level) in [(10, "7"), (11, "6"), (12, "7"), (13, "6"), (14, "7")] {
        let v = check_in(d, &format!("2026-11-{day}"), &sore(level));
        let want = if day < 13 { "easy" } else { "cross-train" };
        assert_eq!(v["verdict"], want, "day {day}: {v}");
        if day >= 13 {
            let why = texts(&v["reasons"]);
            assert!(why.contains(&format!("day {}", day - 9)), "{why}");
            assert!(texts(&v["advice"]).contains("physiotherapist"), "{v}");
        }
    }
}

/// Item 4: "the worst imaginable" soreness got "cycling or swimming if pain-free".
#[test]
fn the_worst_soreness_is_rest_with_the_signs_that_need_care() {
    let dir = tempfile::tempdir().expect("tempdir");
    let v = check_in(dir.path(), "2026-11-20", &sore("10"));
    assert_eq!(v["verdict"], "rest");
    let advice = texts(&v["advice"]);
    assert!(
        advice.contains("cola-coloured") && advice.contains("rhabdomyolysis"),
        "{advice}"
    );
}

/// A recording of `minutes` at `bpm`, one reading a second, starting `start`, with
/// `header_extra` in its header (an `imported` block, say) and a gap of `pause_min` minutes
/// in the middle.
fn recording(
    dir: &Path,
    name: &str,
    start: &str,
    minutes: u64,
    bpm: u16,
    extra: &str,
    pause_min: u64,
) {
    let recordings = dir.join("hrcoach/recordings");
    std::fs::create_dir_all(&recordings).expect("mkdir");
    let mut text = format!(
        "{{\"format\":\"hrcoach-recording\",\"version\":1,\"start\":\"{start}\"{extra}}}\n"
    );
    let half = minutes * 30;
    for s in 0..=minutes * 60 {
        let t = if s > half { s + pause_min * 60 } else { s };
        text.push_str(&format!("{{\"t_ms\":{},\"bpm\":{bpm}}}\n", t * 1000));
    }
    std::fs::write(recordings.join(name), text).expect("write");
}

/// Items 6 and 7: the weekly load. 0 → 0 → 300 minutes said nothing; a 40-minute run with a
/// 2-hour pause counted 160; seven 6-minute lying-still readings counted as running; an
/// 86-minute bike ride made the week "72 % above".
#[test]
fn the_weekly_load_counts_moving_running_time_and_flags_a_return() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    // The week before 2026-11-21: five 60-minute runs, after two empty weeks.
    for day in [14, 15, 17, 18, 20] {
        recording(
            d,
            &format!("run-{day}.jsonl"),
            &format!("2026-11-{day}T07:00:00Z"),
            60,
            140,
            "",
            0,
        );
    }
    let v = check_in(d, "2026-11-21", &sore("3"));
    assert_eq!(v["load"]["this_week_min"], 300.0, "{v}");
    assert_eq!(v["load"]["jump"], true);
    assert_eq!(v["load"]["jump_kind"], "from-break");
    assert!(texts(&v["reasons"]).contains("return from a break"), "{v}");
    assert!(texts(&v["reasons"]).contains("novice"), "{v}");
    assert_eq!(v["cap_pct"], 65.0, "one step tighter on a sore day");

    // A fresh folder: a gentle start is not a jump; pauses, rests and rides are not running.
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    recording(d, "paused.jsonl", "2026-11-18T07:00:00Z", 40, 140, "", 120);
    for day in 14..=20 {
        recording(
            d,
            &format!("hrv-{day}.jsonl"),
            &format!("2026-11-{day}T06:30:00Z"),
            6,
            55,
            "",
            0,
        );
    }
    let ride = r#","imported":{"format":"fit","file":"ride.fit","sport":"cycling"}"#;
    recording(d, "ride.jsonl", "2026-11-19T10:00:00Z", 86, 130, ride, 0);
    let v = check_in(d, "2026-11-21", &sore("3"));
    let load = &v["load"];
    assert_eq!(load["this_week_min"], 40.0, "{v}");
    assert_eq!(load["cross_training_min"], 86.0, "{v}");
    assert_eq!(load["jump"], false, "{v}");
    assert_eq!(v["cap_pct"], 70.0, "nothing tightens: {v}");
    at(d)
        .args(["today", "--date", "2026-11-21"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Cross-training: 86 min"));
}

/// A check-in of 2026-11-20 with the morning HRV of `file`, which must be refused.
fn refused_morning(d: &Path, file: &Path) -> assert_cmd::assert::Assert {
    at(d)
        .args(["check-in", "--date", "2026-11-20", "--hrv"])
        .arg(file)
        .args(GONE)
        .assert()
        .code(1)
}

/// Item 8d: `--hrv` took a 35-minute run ("RMSSD 2.7 ms, resting HR 97") and saved it.
#[test]
fn a_run_given_as_a_morning_reading_is_refused_and_not_saved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    refused_morning(d, &fixture("sore-day-drift.jsonl"))
        .stderr(predicate::str::contains("is not a resting reading"));
    // A watch's run too (read as replay reads it: it used to fail as "not text").
    refused_morning(d, &fixture("real/runpandas__run.fit"))
        .stderr(predicate::str::contains("is not a resting reading"));
    assert!(!d.join("hrcoach/check-ins/2026-11-20.json").exists());
}

/// Item 9: a run at 23:30 in New York was matched to the next day's check-in when replayed on
/// a machine set to UTC.
#[test]
fn a_recording_is_dated_where_it_was_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    check_in(d, "2026-11-20", &sore("5"));
    let text = std::fs::read_to_string(fixture("steady-easy.jsonl")).expect("fixture");
    let (_, body) = text.split_once('\n').expect("a header line");
    let run = d.join("new-york.jsonl");
    std::fs::write(
        &run,
        format!(
            "{{\"format\":\"hrcoach-recording\",\"version\":1,\"start\":\"2026-11-20T23:30:00-05:00\"}}\n{body}"
        ),
    )
    .expect("write");
    at(d)
        .arg("replay")
        .arg(&run)
        .args(["--fast", "--quiet", "--max-hr", "185"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "The check-in of 2026-11-20: easy run",
        ));
}

/// Item 10: for max 185, rest 55, LTHR 166 at soreness 6 the caps were 111 (%max), 120 (%HRR)
/// and 131 (%LTHR). Now a step is the same beats under every model.
#[test]
fn caps_agree_across_zone_models() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    for (key, value) in [("max-hr", "185"), ("resting-hr", "55"), ("lthr", "166")] {
        at(d)
            .args(["profile", "set", key, value])
            .assert()
            .success();
    }
    let mut caps = Vec::new();
    for model in ["max", "hrr", "lthr"] {
        at(d)
            .args(["profile", "set", "zone-model", model])
            .assert()
            .success();
        let v = check_in(d, "2026-11-20", &sore("6"));
        assert_eq!(v["zone_model"], model);
        let bpm = v["cap_bpm"].as_u64().expect("a cap");
        let of_max = v["cap_pct_of_max"].as_f64().expect("its share of max HR");
        assert!((of_max - bpm as f64 * 100.0 / 185.0).abs() < 0.1, "{v}");
        caps.push(bpm);
    }
    let (lo, hi) = (caps.iter().min(), caps.iter().max());
    assert!(
        hi.zip(lo).is_some_and(|(h, l)| h - l <= 2),
        "caps under max, hrr, lthr: {caps:?}"
    );
}

/// Item 13: a run saved as a resting HR raised the %HRR cap to 81 % of max HR; an easy run
/// saved as an LTHR of 119 bpm (63 % of max).
#[test]
fn calibration_saves_only_what_the_recording_supports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    at(d)
        .args(["profile", "set", "max-hr", "185"])
        .assert()
        .success();
    at(d)
        .args(["calibrate", "resting", "--save"])
        .arg(fixture("sore-day-drift.jsonl"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a resting reading"));
    at(d)
        .args(["calibrate", "lthr", "--save"])
        .arg(fixture("steady-easy.jsonl"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a time trial"));
    let shown = at(d).args(["profile", "show"]).output().expect("run");
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(
        !shown.contains("[resting_hr]") && !shown.contains("[lthr]"),
        "{shown}"
    );
    // The real ones still save.
    at(d)
        .args(["calibrate", "resting", "--save"])
        .arg(fixture("resting.jsonl"))
        .assert()
        .success();
    at(d)
        .args(["calibrate", "lthr", "--save"])
        .arg(fixture("lthr-time-trial.jsonl"))
        .assert()
        .success();
}

/// Item 14: `report run.fit --zones-from-file --sore` showed the watch's zones with the
/// profile's cap and titled the table "(max HR 188)". Now the table says its zones are
/// bounds, the cap line says what the cap is a share of, and a cap above the zones' zone 2 is
/// held at its top.
#[test]
fn the_cap_says_its_basis_and_stays_under_the_zones_shown() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    at(d)
        .args(["profile", "set", "max-hr", "188"])
        .assert()
        .success();
    at(d)
        .arg("report")
        .arg(fixture("real/runpandas__run.fit"))
        .args(["--zones-from-file", "--sore"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "time in zone  (own bounds, in bpm)",
        ))
        .stdout(predicate::str::contains(
            "(under 132 bpm allowed, 70% of max HR 188)",
        ))
        .stdout(predicate::str::contains("(max HR 188)").not());
    // Zones whose zone 2 ends under the easy cap: the cap is held at its top (119).
    let out = common::succeeds(
        &mut at(d).arg("replay").arg(fixture("steady-easy.jsonl")).args([
            "--fast",
            "--json",
            "--sore",
            "--zones",
            "100,110,120,140,160",
        ]),
    );
    let summary = common::json_lines(&out.stdout)
        .into_iter()
        .last()
        .expect("a summary");
    assert_eq!(summary["summary"]["cap_bpm"], 119, "{summary}");
}

/// Item 8f: a noisy six-minute reading was told to "lie still for at least 2 minutes". Now it
/// is told it was noisy, and what to do about the strap.
#[test]
fn a_noisy_morning_reading_is_called_noisy() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    // Six minutes at 55 bpm, the strap losing contact for 4 s in every 20.
    let mut text = String::from(
        "{\"format\":\"hrcoach-recording\",\"version\":1,\"start\":\"2026-11-20T06:30:00Z\"}\n",
    );
    for s in 1..=360u32 {
        let contact = s % 20 >= 4;
        let rr = if s % 2 == 0 { 1090 } else { 1140 };
        text.push_str(&format!(
            "{{\"t_ms\":{},\"bpm\":55,\"rr\":[{rr}],\"contact\":{contact}}}\n",
            s * 1000
        ));
    }
    let file = d.join("noisy.jsonl");
    std::fs::write(&file, text).expect("write");
    refused_morning(d, &file)
        .stderr(predicate::str::contains("too noisy"))
        .stderr(predicate::str::contains("Wet the strap"))
        .stderr(predicate::str::contains("at least 2 minutes").not());
}

/// What the runner reads on the days the rules that span days decide: the day after a warning
/// sign, and day 4 of soreness that does not ease.
#[test]
fn what_the_days_after_say() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    at(d)
        .args(["profile", "set", "max-hr", "185"])
        .assert()
        .success();
    check_in(d, "2026-11-19", &SHARP_SHINS);
    let out = at(d)
        .args(["today", "--date", "2026-11-20"])
        .output()
        .expect("run");
    insta::assert_snapshot!(
        "day_after_a_warning_sign",
        String::from_utf8_lossy(&out.stdout)
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    at(d)
        .args(["profile", "set", "max-hr", "185"])
        .assert()
        .success();
    for (day, level) in [(21, "6"), (22, "7"), (23, "7")] {
        let mut args = vec!["check-in", "--date"];
        let date = format!("2026-11-{day}");
        args.push(&date);
        let answers = sore(level);
        args.extend(answers.iter().copied());
        at(d).args(&args).assert().success();
    }
    let out = at(d)
        .args(["check-in", "--date", "2026-11-24"])
        .args(sore("6"))
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("Saved to"))
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("day_four_not_easing", text);
}

/// Item 7 on real watch files (fixtures/real): an imported 86-minute ride (FIT sport
/// cycling) is cross-training, not running; a Polar run with its timer paused for 7 minutes
/// counts its 58 moving minutes, not the 65 on the clock.
#[test]
fn imported_watch_files_count_as_what_they_were() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    for file in ["sweat__4801048867.fit", "sweat__3173437224.tcx"] {
        at(d)
            .arg("import")
            .arg(fixture(&format!("real/{file}")))
            .assert()
            .success();
    }
    let ride = check_in(d, "2020-04-19", &sore("3"));
    assert_eq!(ride["load"]["cross_training_min"], 86.0, "{ride}");
    assert_eq!(ride["load"]["this_week_min"], 0.0, "{ride}");
    assert_eq!(
        ride["cap_pct"], 70.0,
        "a ride does not tighten a sore day: {ride}"
    );
    let run = check_in(d, "2019-01-30", &sore("3"));
    assert_eq!(run["load"]["this_week_min"], 58.0, "{run}");
}

/// A sign named in the morning and corrected away the same day is a cleared sign, for
/// `check-in` and for `today` (and so `live`) after it: the first run back, not a clean slate.
#[test]
fn a_sign_corrected_the_same_day_is_not_forgotten() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    check_in(d, "2026-11-20", &SHARP_SHINS);
    let again = check_in(d, "2026-11-20", &GONE);
    assert_eq!(again["verdict"], "easy", "{again}");
    assert_eq!(again["duration_min"], 20);
    let today = json(d, &["today", "--date", "2026-11-20", "--json"]);
    assert_eq!(today["verdict"], "easy", "{today}");
    assert_eq!(today["duration_min"], 20);
    // A second correction keeps it too.
    let third = check_in(d, "2026-11-20", &GONE);
    assert_eq!(third["duration_min"], 20, "{third}");
}

/// A corrupt earlier check-in is left out of the days before, said once per command (it was
/// said on every reading of them), and the check-in goes on.
#[test]
fn a_corrupt_earlier_check_in_is_said_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    check_in(d, "2026-11-19", &sore("3"));
    std::fs::write(d.join("hrcoach/check-ins/2026-11-18.json"), "not json").expect("write");
    let out = common::succeeds(
        &mut at(d)
            .args(["check-in", "--date", "2026-11-20", "--json"])
            .args(sore("3")),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches("2026-11-18.json is corrupt").count(),
        1,
        "{stderr}"
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(
        texts(&v["reasons"]).contains("Day 2 of this soreness"),
        "{v}"
    );
}

/// `today --date` takes a date, and says what it wants when it is not one.
#[test]
fn today_refuses_what_is_not_a_date() {
    let dir = tempfile::tempdir().expect("tempdir");
    at(dir.path())
        .args(["today", "--date", "2026-13-01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a date like 2026-11-27"));
}
