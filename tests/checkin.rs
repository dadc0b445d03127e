//! Issue 11: the morning check-in through the binary: the plan it saves, and `replay` and
//! `live` applying it without `--sore`.

mod common;

use common::{fixture, hrcoach, succeeds};
use predicates::prelude::*;

/// The day `fixtures/sore-day-drift.jsonl` was recorded (its header's start, 07:00 UTC: the
/// same date in any time zone from UTC-7 to UTC+16; the tests pin TZ to UTC).
const FIXTURE_DAY: &str = "2026-11-20";

/// `hrcoach` with its data directory (where check-ins are saved) in `data`.
fn with_data(data: &std::path::Path) -> assert_cmd::Command {
    let mut cmd = hrcoach();
    cmd.env("XDG_DATA_HOME", data).env("TZ", "UTC");
    cmd
}

/// Today's date in UTC (the tests pin TZ to UTC), as `hrcoach` sees it.
fn utc_today() -> String {
    let out = std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%d"])
        .output()
        .expect("date");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn check_in(data: &std::path::Path, answers: &[&str]) {
    with_data(data)
        .args(["check-in", "--date", FIXTURE_DAY])
        .args(answers)
        .assert()
        .success();
}

const NO_SIGNALS: [&str; 8] = [
    "--sides", "equal", "--pain", "dull", "--moving", "easing", "--gait", "normal",
];

/// The alert lines of `replay sore-day-drift.jsonl --fast --json --max-hr 185 EXTRA...`, and
/// its stderr.
fn alerts(data: &std::path::Path, extra: &[&str]) -> (Vec<serde_json::Value>, String) {
    let out = common::succeeds(
        &mut with_data(data)
            .arg("replay")
            .arg(fixture("sore-day-drift.jsonl"))
            .args(["--fast", "--json", "--max-hr", "185"])
            .args(extra),
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let lines = common::json_lines(&out.stdout);
    (
        common::alerts(&lines).into_iter().cloned().collect(),
        stderr,
    )
}

#[test]
fn a_mildly_sore_check_in_makes_replay_coach_at_the_sore_day_cap_without_sore() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (before, _) = alerts(dir.path(), &[]);
    assert!(before.is_empty(), "no check-in, no --sore: no cap");
    let mut answers = vec!["--soreness", "3"];
    answers.extend(NO_SIGNALS);
    check_in(dir.path(), &answers);
    let (after, stderr) = alerts(dir.path(), &[]);
    assert!(
        stderr.contains("The check-in of 2026-11-20: easy run, cap 130 bpm (70% of max HR)"),
        "{stderr}"
    );
    let (sore, _) = alerts(dir.path(), &["--sore"]);
    assert!(!after.is_empty());
    assert_eq!(after, sore, "the same alerts as --sore, at the same cap");
    assert!(after.iter().all(|a| a["cap_bpm"] == 130));
}

#[test]
fn a_sorer_day_gets_a_lower_cap() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut answers = vec!["--soreness", "6"];
    answers.extend(NO_SIGNALS);
    check_in(dir.path(), &answers);
    let (after, stderr) = alerts(dir.path(), &[]);
    assert!(stderr.contains("cap 111 bpm (60% of max HR)"), "{stderr}");
    assert!(after.iter().all(|a| a["cap_bpm"] == 111), "{after:?}");
}

#[test]
fn an_injury_signal_makes_replay_say_rest_and_live_refuse_without_anyway() {
    let dir = tempfile::tempdir().expect("tempdir");
    check_in(
        dir.path(),
        &[
            "--soreness",
            "4",
            "--sides",
            "one-worse",
            "--pain",
            "dull",
            "--moving",
            "easing",
            "--gait",
            "normal",
        ],
    );
    let (after, stderr) = alerts(dir.path(), &[]);
    assert!(
        stderr.contains("no run today: cross-train")
            && stderr.contains("one side is clearly worse"),
        "{stderr}"
    );
    assert!(
        after.iter().all(|a| a["cap_bpm"] == 111),
        "the tightest cap: {after:?}"
    );
    // --sore and --cap-pct may make the plan stricter, never looser (issue 18, item 1).
    let (with_sore, stderr) = alerts(dir.path(), &["--sore"]);
    assert!(
        stderr.contains("would be looser than the plan's 60%"),
        "{stderr}"
    );
    assert!(
        with_sore.iter().all(|a| a["cap_bpm"] == 111),
        "--sore loosened the plan: {with_sore:?}"
    );
    let (stricter, stderr) = alerts(dir.path(), &["--sore", "--cap-pct", "55"]);
    assert!(stderr.contains("stricter than the plan's"), "{stderr}");
    assert!(
        stricter.iter().all(|a| a["cap_bpm"] == 102),
        "--cap-pct 55 is 102 bpm: {stricter:?}"
    );

    // live, today: refused before any Bluetooth work, without a terminal or --anyway.
    common::succeeds(
        &mut with_data(dir.path())
            .args(["check-in", "--soreness", "5", "--gait", "changed"])
            .args(["--sides", "equal", "--pain", "dull", "--moving", "easing"]),
    );
    with_data(dir.path())
        .env("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .args(["live", "--max-hr", "185", "--record"])
        .arg(dir.path().join("never.jsonl"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "Today's check-in: no run today: rest",
        ))
        .stderr(predicate::str::contains(
            "To run anyway, under the tightest cap: --anyway",
        ))
        .stderr(predicate::str::contains("D-Bus").not());
    // Nor with --sore or --cap-pct: no flag turns a no-run day into a run.
    with_data(dir.path())
        .env("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .args([
            "live",
            "--max-hr",
            "185",
            "--sore",
            "--cap-pct",
            "60",
            "--record",
        ])
        .arg(dir.path().join("never.jsonl"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--anyway"))
        .stderr(predicate::str::contains("D-Bus").not());
    // With --anyway it goes on to the Bluetooth work (here: no bus).
    with_data(dir.path())
        .env("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .args(["live", "--max-hr", "185", "--anyway", "--record"])
        .arg(dir.path().join("anyway.jsonl"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Running anyway"))
        .stderr(predicate::str::contains("D-Bus"));
}

#[test]
fn check_in_json_and_today() {
    let dir = tempfile::tempdir().expect("tempdir");
    with_data(dir.path())
        .args(["today"])
        .assert()
        .success()
        .stdout(predicate::str::contains("No check-in for"));
    let out = common::succeeds(
        &mut with_data(dir.path())
            .args([
                "check-in",
                "--soreness",
                "5",
                "--json",
                "--where",
                "calves,quads",
            ])
            .args(NO_SIGNALS),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(v["verdict"], "easy");
    assert_eq!(v["cap_pct"], 65.0);
    assert_eq!(v["zone_model"], "max");
    assert_eq!(v["duration_min"], 35);
    assert!(v["cap_bpm"].is_null(), "no max HR known: {v}");
    assert!(v["reasons"].as_array().is_some_and(|r| !r.is_empty()));
    assert_eq!(
        v["answers"]["where"],
        serde_json::json!(["calves", "quads"])
    );
    let today = with_data(dir.path())
        .args(["today", "--json"])
        .output()
        .expect("run");
    let t: serde_json::Value = serde_json::from_slice(&today.stdout).expect("json");
    assert_eq!(t["verdict"], "easy");
}

#[test]
fn bad_answers_and_a_corrupt_check_in_each_say_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Without a terminal, missing answers are named.
    with_data(dir.path())
        .args(["check-in", "--soreness", "5", "--pain", "dull"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "missing answers, and no terminal to ask them on: --sides equal|one-worse, --moving easing|same|worse, --gait normal|changed",
        ));
    for (args, message) in [
        (&["--soreness", "11"][..], "11 is not in 0..=10"),
        (
            &["--soreness", "2", "--where", "elbow"],
            "unknown variant `elbow`",
        ),
        (
            &["--soreness", "2", "--gait", "limp"],
            "unknown variant `limp`",
        ),
        (
            &["--soreness", "0", "--date", "2026-13-01"],
            "is not a date",
        ),
    ] {
        with_data(dir.path())
            .arg("check-in")
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
    }
    // Not sore: nothing more to answer.
    with_data(dir.path())
        .args(["check-in", "--soreness", "0", "--date", FIXTURE_DAY])
        .assert()
        .success()
        .stdout(predicate::str::contains("train as planned"));
    // A check-in that cannot be saved (the data directory is a file) says so.
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"").expect("write");
    with_data(&file)
        .args(["check-in", "--soreness", "0"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot write check-in"))
        .stderr(predicate::str::contains("Not a directory"));
    // A corrupt saved check-in: replay says so and goes on without it (a run is not stopped
    // for a file it can do without); `today` cannot go on.
    let saved = dir
        .path()
        .join("hrcoach/check-ins")
        .join(format!("{FIXTURE_DAY}.json"));
    std::fs::write(&saved, "{ not json").expect("write");
    with_data(dir.path())
        .arg("replay")
        .arg(fixture("sore-day-drift.jsonl"))
        .args(["--fast", "--max-hr", "185", "--quiet"])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "warning: check-in {} is corrupt",
            saved.display()
        )))
        .stderr(predicate::str::contains("coaching without it"));
    let today = dir
        .path()
        .join("hrcoach/check-ins")
        .join(format!("{}.json", utc_today()));
    std::fs::write(&today, "{ not json").expect("write");
    with_data(dir.path())
        .arg("today")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is corrupt"));
}

/// What the check-in tells the runner, as snapshots (tests/snapshots/): one day of each
/// verdict, for a runner with max HR 185.
#[test]
fn what_the_check_in_says() {
    let dir = tempfile::tempdir().expect("tempdir");
    let profile = dir.path().join("profile.toml");
    std::fs::write(&profile, "[max_hr]\nbpm = 185\nsource = \"entered\"\n").expect("profile");
    let days: [(&str, &[&str]); 4] = [
        ("train", &["--soreness", "1"]),
        (
            "easy",
            &[
                "--soreness",
                "5",
                "--sides",
                "equal",
                "--pain",
                "dull",
                "--moving",
                "same",
                "--gait",
                "normal",
                "--where",
                "quads",
            ],
        ),
        (
            "cross_train",
            &[
                "--soreness",
                "3",
                "--sides",
                "equal",
                "--pain",
                "dull",
                "--moving",
                "worse",
                "--gait",
                "normal",
            ],
        ),
        (
            "rest",
            &[
                "--soreness",
                "6",
                "--sides",
                "one-worse",
                "--pain",
                "sharp",
                "--moving",
                "easing",
                "--gait",
                "normal",
            ],
        ),
    ];
    for (name, answers) in days {
        let out = common::succeeds(
            &mut with_data(dir.path())
                .arg("--profile")
                .arg(&profile)
                .args(["check-in", "--date", FIXTURE_DAY])
                .args(answers),
        );
        let text = String::from_utf8_lossy(&out.stdout);
        // The last line names the temporary directory it was saved in.
        let said: String = text
            .lines()
            .filter(|l| !l.starts_with("Saved to"))
            .map(|l| format!("{l}\n"))
            .collect();
        insta::assert_snapshot!(format!("check_in_{name}"), said);
    }
}

/// Morning HRV through the binary: the figures in the JSON, too few mornings said, and after
/// ten mornings a baseline; a recording without beats is refused with the reason.
#[test]
fn morning_hrv_builds_a_baseline_over_the_mornings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let morning = |day: u32| {
        let out = succeeds(
            with_data(dir.path())
                .args(["check-in", "--soreness", "0", "--json", "--hrv"])
                .arg(fixture("resting.jsonl"))
                .args(["--date", &format!("2026-11-{day:02}")]),
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("json")
    };
    let first = morning(1);
    let rmssd = first["rmssd_ms"].as_f64().unwrap_or(0.0);
    assert!(rmssd > 5.0, "{first}");
    let ln = first["ln_rmssd"].as_f64().unwrap_or(0.0);
    assert!((ln - rmssd.ln()).abs() < 0.01, "{first}");
    assert!(
        first["resting_hr"]
            .as_u64()
            .is_some_and(|b| (35..90).contains(&b))
    );
    assert_eq!(first["hrv_status"], "too-few-mornings");
    assert_eq!(first["hrv_baseline"]["mornings_7d"], 1);
    assert_eq!(first["hrv_baseline"]["mornings_baseline"], 0);
    for day in 2..=16 {
        morning(day);
    }
    // The usual range is made of the mornings before the last 7 days: days 1-10 here.
    let last = morning(17);
    assert_eq!(last["hrv_status"], "usual", "{last}");
    assert_eq!(last["hrv_baseline"]["mornings_baseline"], 10);
    assert_eq!(last["hrv_baseline"]["mornings_7d"], 7);
    assert_eq!(last["verdict"], "train", "a usual morning changes nothing");

    // Beats without RR intervals: no RMSSD, and why.
    let no_rr = dir.path().join("no-rr.jsonl");
    let lines: String = (0..300)
        .map(|i| format!("{{\"t_ms\":{},\"bpm\":55}}\n", i * 1000))
        .collect();
    std::fs::write(&no_rr, lines).expect("write");
    with_data(dir.path())
        .args(["check-in", "--soreness", "0", "--hrv"])
        .arg(&no_rr)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "no RMSSD: the strap sent no RR intervals",
        ));
}

/// Issue 11, weekly load: recordings in the data directory are the running time of each
/// week; a jump of more than 30 % over the two weeks before, on a sore day, tightens the plan
/// and the reason says so.
#[test]
fn a_jump_in_weekly_load_tightens_a_sore_day() {
    let dir = tempfile::tempdir().expect("tempdir");
    let recordings = dir.path().join("hrcoach/recordings");
    std::fs::create_dir_all(&recordings).expect("mkdir");
    // (day of November, minutes): two weeks of 120 min, then 180 in the seven days before the
    // 21st; the 21st's own run (after the morning check-in) does not count.
    let runs = [
        (1, 40),
        (3, 40),
        (5, 40), // 16-20 days before the 21st
        (8, 40),
        (10, 40),
        (12, 40), // 9-13 days before
        (14, 45),
        (16, 45),
        (18, 45),
        (20, 45), // the seven days before
        (21, 90), // that day
    ];
    for (day, minutes) in runs {
        let mut text = format!(
            "{{\"format\":\"hrcoach-recording\",\"version\":1,\"start\":\"2026-11-{day:02}T07:00:00Z\"}}\n"
        );
        for m in 0..=minutes {
            text.push_str(&format!("{{\"t_ms\":{},\"bpm\":140}}\n", m * 60_000));
        }
        std::fs::write(recordings.join(format!("run-{day}.jsonl")), text).expect("write");
    }
    std::fs::write(recordings.join("broken.jsonl"), "not a recording").expect("write");
    let out = common::succeeds(
        &mut with_data(dir.path())
            .args([
                "check-in",
                "--soreness",
                "3",
                "--date",
                "2026-11-21",
                "--json",
            ])
            .args(NO_SIGNALS),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["load"]["this_week_min"], 180.0, "{v}");
    assert_eq!(
        v["load"]["previous_weeks_min"],
        serde_json::json!([120.0, 120.0])
    );
    assert_eq!(v["load"]["rise_pct"], 50.0);
    assert_eq!(v["load"]["jump"], true);
    assert_eq!(v["cap_pct"], 65.0, "one step under 70 % for soreness 3");
    assert!(
        v["reasons"].as_array().is_some_and(|r| r
            .iter()
            .any(|r| r.as_str().is_some_and(|r| r.contains("50 % above")))),
        "{v}"
    );
}

/// Runs `check-in --date FIXTURE_DAY` on a terminal (under util-linux's `script`) with its
/// data in `dir`, typing `answers`; returns what the terminal showed.
fn check_in_on_a_terminal(dir: &std::path::Path, answers: &str) -> String {
    use std::io::Write;
    let bin = env!("CARGO_BIN_EXE_hrcoach");
    let mut child = std::process::Command::new("script")
        .args([
            "-qec",
            &format!("{bin} check-in --date {FIXTURE_DAY}"),
            "/dev/null",
        ])
        .envs(common::USER_DIRS.map(|v| (v, dir)))
        .env("TZ", "UTC")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("util-linux's script");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(answers.as_bytes())
        .expect("answers");
    let out = child.wait_with_output().expect("script ends");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// On a terminal the missing answers are asked, none with a default (Enter alone asks
/// again); a wrong answer is asked again. (Run under `script`, which gives the command a
/// terminal; util-linux's `script` is part of every Debian, where CI runs.)
#[test]
fn on_a_terminal_the_missing_answers_are_asked() {
    let dir = tempfile::tempdir().expect("tempdir");
    // soreness 5; sides: Enter (no default), then equal; pain: a wrong answer, then sharp;
    // moving: same; gait: normal.
    let text = check_in_on_a_terminal(dir.path(), "5\n\nequal\nblah\nsharp\nsame\nnormal\n");
    assert!(
        text.contains("How sore are your legs, 0 (none) to 10:"),
        "{text}"
    );
    assert!(
        !text.contains("[0]") && !text.contains("[equal]"),
        "a default shown: {text}"
    );
    assert!(text.contains("there is no default here"), "{text}");
    assert!(text.contains("please answer one of the choices"), "{text}");
    assert!(text.contains("no run today: cross-train"), "{text}");
    assert!(text.contains("the pain is sharp or localised"), "{text}");
    let saved = dir
        .path()
        .join("hrcoach/check-ins")
        .join(format!("{FIXTURE_DAY}.json"));
    let saved = std::fs::read_to_string(saved).expect("saved");
    assert!(saved.contains("\"pain\": \"sharp\""), "{saved}");
}

/// Soreness 1 still asks every warning-sign question: low-grade pain in one spot is how bone
/// stress often starts (issue 18, item 3).
#[test]
fn on_a_terminal_a_low_soreness_still_asks_the_warning_signs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = check_in_on_a_terminal(dir.path(), "1\nequal\nsharp\neasing\nnormal\n");
    for q in [
        "one clearly worse?",
        "sharp, or in one spot",
        "As you move around",
        "limp",
    ] {
        assert!(text.contains(q), "{q:?} not asked: {text}");
    }
    assert!(text.contains("no run today: cross-train"), "{text}");
    assert!(!text.contains("train as planned"), "{text}");
}

/// An arrow key is no answer (asked again, with why), a beginning that one choice has is that
/// choice ("one" is one-worse), and a second check-in the same day says it replaces the first.
#[test]
fn on_a_terminal_arrow_keys_and_short_answers_are_understood() {
    let dir = tempfile::tempdir().expect("tempdir");
    // soreness 5; sides: the left-arrow key, then "one"; pain: sharp; moving, gait.
    let text = check_in_on_a_terminal(dir.path(), "5\n\u{1b}[D\none\nsharp\neasing\nnormal\n");
    assert!(text.contains("arrow keys do not choose here"), "{text}");
    assert!(!text.contains("please answer one of the choices"), "{text}");
    let saved = dir
        .path()
        .join("hrcoach/check-ins")
        .join(format!("{FIXTURE_DAY}.json"));
    let first = std::fs::read_to_string(&saved).expect("saved");
    assert!(first.contains("\"sides\": \"one-worse\""), "{first}");

    let again = common::hrcoach_in(dir.path())
        .env("TZ", "UTC")
        .args(["check-in", "--date", FIXTURE_DAY, "--soreness", "0"])
        .output()
        .expect("run");
    // The first named a warning sign: `--soreness 0` alone does not say it is gone.
    assert!(!again.status.success());
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(said.contains("a warning sign is open"), "{said}");
    let again = common::succeeds(
        &mut common::hrcoach_in(dir.path())
            .env("TZ", "UTC")
            .args(["check-in", "--date", FIXTURE_DAY, "--soreness", "0"])
            .args([
                "--sides", "equal", "--pain", "dull", "--moving", "easing", "--gait", "normal",
            ]),
    );
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(
        said.contains(&format!(
            "This replaces the check-in already saved for {FIXTURE_DAY} (soreness 5/10)."
        )),
        "{said}"
    );
}
