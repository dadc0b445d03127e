//! The sore-day run itself (issue 20), replayed through the binary with `--json` on generated
//! runs: run/walk under a low cap, the plan's time, the warm-up check and its answers, a hard
//! start, and graded cues. What the runner hears, with its times, is in the snapshots.

mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use common::{alerts, empty_home, hrcoach_in, json_lines, num, stdout_of, succeeds};

/// A recording of one reading a second at `bpm[i]` (RR intervals that agree), started on
/// `date` at 07:00 UTC.
fn recording(home: &Path, name: &str, date: &str, bpm: &[f64]) -> PathBuf {
    let mut text = format!(
        "{{\"format\":\"hrcoach-recording\",\"version\":1,\"start\":\"{date}T07:00:00Z\"}}\n"
    );
    for (i, b) in bpm.iter().enumerate() {
        let b = b.round() as u32;
        let rr = (60.0 * 1024.0 / f64::from(b)).round() as u32;
        let beats = b.div_ceil(60).max(1) as usize;
        let rr = vec![rr.to_string(); beats].join(",");
        let _ = writeln!(
            text,
            "{{\"t_ms\":{},\"bpm\":{b},\"rr\":[{rr}],\"contact\":true}}",
            (i + 1) * 1000
        );
    }
    let _ = fs::create_dir_all(home);
    let path = home.join(name);
    if let Err(e) = fs::write(&path, text) {
        panic!("cannot write {}: {e}", path.display());
    }
    path
}

/// A runner's home with a profile (max HR 185) and, when `soreness` is given, a check-in of
/// `date` at that soreness (ordinary: both sides, dull, easing, gait normal).
fn runner(date: &str, soreness: Option<u8>) -> PathBuf {
    let home = empty_home();
    succeeds(hrcoach_in(&home).args(["profile", "set", "max-hr", "185"]));
    if let Some(s) = soreness {
        let level = s.to_string();
        succeeds(
            hrcoach_in(&home)
                .arg("check-in")
                .args(common::ordinary_soreness(&level, "easing"))
                .args(["--date", date]),
        );
    }
    home
}

/// `replay FILE --fast --json ARGS` in `home`.
fn replay(home: &Path, file: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let out = succeeds(
        hrcoach_in(home)
            .arg("replay")
            .arg(file)
            .args(["--fast", "--json"])
            .args(args),
    );
    json_lines(&out.stdout)
}

/// What the runner hears, one line each: `m:ss kind: message` for cues, questions and answers.
fn heard(lines: &[serde_json::Value]) -> String {
    let mut t = String::new();
    for l in lines.iter().filter(|l| l.get("t_ms").is_some()) {
        let at = num(&l["t_ms"]) as u64 / 1000;
        let kind = ["alert", "question", "answer"].into_iter().find_map(|k| {
            l.get(k)
                .and_then(|v| v.as_str())
                .map(|v| format!("{k} {v}"))
        });
        let kind = match (kind, l.get("plan")) {
            (Some(k), _) => k,
            (None, Some(_)) => "plan".to_owned(),
            (None, None) => continue,
        };
        let _ = writeln!(
            t,
            "{}:{:02} {kind}: {}",
            at / 60,
            at % 60,
            l["message"].as_str().unwrap_or("")
        );
    }
    t
}

/// The plan said at the start.
fn plan(lines: &[serde_json::Value]) -> &serde_json::Value {
    match lines.iter().find_map(|l| l.get("plan")) {
        Some(p) => p,
        None => panic!("no plan line"),
    }
}

fn summary(lines: &[serde_json::Value]) -> &serde_json::Value {
    match lines.last().and_then(|l| l.get("summary")) {
        Some(s) => s,
        None => panic!("no summary line"),
    }
}

/// Walk two minutes, then five rounds: run with heart rate climbing 15 bpm a minute to 120
/// and holding it a minute, then walk with it falling 24 bpm a minute to 100.
fn run_walk_rounds() -> Vec<f64> {
    let mut b: Vec<f64> = (0..120)
        .map(|t| 90.0 + f64::from(t) * 5.0 / 120.0)
        .collect();
    let mut hr = 95.0;
    for _ in 0..5 {
        while hr < 120.0 {
            hr += 0.25;
            b.push(hr);
        }
        b.extend([120.0; 60]);
        while hr > 100.0 {
            hr -= 0.4;
            b.push(hr);
        }
    }
    b.extend([100.0; 60]);
    b
}

#[test]
fn a_low_cap_is_a_run_walk_that_alternates_and_never_nags() {
    let home = runner("2026-12-01", None);
    let file = recording(&home, "rounds.jsonl", "2026-12-01", &run_walk_rounds());
    // 60 % of 185: 111 bpm, under 65 %: run/walk by itself.
    let lines = replay(&home, &file, &["--sore", "--cap-pct", "60"]);
    let said = heard(&lines);
    insta::assert_snapshot!("run_walk_rounds", said);
    let cues: Vec<(u64, &str)> = alerts(&lines)
        .iter()
        .map(|a| (num(&a["t_ms"]) as u64, a["alert"].as_str().unwrap_or("")))
        .collect();
    // Walk and run alternate, walk first: never a walk cue while walking.
    assert!(cues.len() >= 8, "{said}");
    for (i, (_, kind)) in cues.iter().enumerate() {
        assert_eq!(*kind, if i % 2 == 0 { "walk" } else { "run" }, "{said}");
    }
    // Never "run" while over the cap: the reading at the run cue is under it.
    for (t, kind) in &cues {
        let reading = lines
            .iter()
            .find(|l| l["t_ms"] == *t && l.get("bpm").is_some() && l.get("alert").is_none());
        if *kind == "run" {
            assert_eq!(reading.map(|r| &r["over_cap"]), Some(&false.into()));
        }
    }
    let s = summary(&lines);
    assert_eq!(s["walk_breaks"], 5);
    assert!(num(&s["walk_s"]) > 300.0 && num(&s["walk_s"]) < num(&s["duration_s"]));
    assert!(num(&s["longest_run_s"]) <= num(&s["run_s"]));
}

#[test]
fn run_walk_is_asked_for_or_not_at_all_under_an_ordinary_cap() {
    let home = runner("2026-12-01", None);
    let file = recording(&home, "rounds.jsonl", "2026-12-01", &run_walk_rounds());
    // The easy-day cap (130): not a run/walk, and these rounds never reach it.
    let lines = replay(&home, &file, &["--sore"]);
    assert!(alerts(&lines).is_empty());
    assert_eq!(plan(&lines)["run_walk"], serde_json::Value::Null);
    let lines = replay(&home, &file, &["--sore", "--cap-pct", "62", "--run-walk"]);
    assert_eq!(plan(&lines)["run_walk"], "asked");
}

#[test]
fn the_plans_time_is_said_at_the_start_halfway_and_at_the_end() {
    // Soreness 5: 35 minutes at most, cap 65 % (120 bpm). A steady 45 minutes at 115.
    let home = runner("2026-12-01", Some(5));
    let bpm: Vec<f64> = (0..45 * 60)
        .map(|t| 90.0 + 25.0 * (f64::from(t) / 300.0).min(1.0))
        .collect();
    let file = recording(&home, "steady.jsonl", "2026-12-01", &bpm);
    let lines = replay(
        &home,
        &file,
        &["--out-and-back", "--answer", "eased@10m30s"],
    );
    let said = heard(&lines);
    insta::assert_snapshot!("plan_time_out_and_back", said);
    assert_eq!(num(&plan(&lines)["plan_s"]), 2100.0);
    let at = |kind: &str| {
        alerts(&lines)
            .iter()
            .find(|a| a["alert"] == kind)
            .map(|a| num(&a["t_ms"]) / 1000.0)
    };
    assert_eq!(at("halfway"), Some(1050.0));
    assert_eq!(at("time_up"), Some(2100.0));
    assert_eq!(summary(&lines)["warm_up_check"], "eased");
}

#[test]
fn same_makes_the_run_one_step_tighter_and_shorter() {
    let home = runner("2026-12-01", Some(5));
    let bpm = vec![115.0; 40 * 60];
    let file = recording(&home, "steady.jsonl", "2026-12-01", &bpm);
    let lines = replay(&home, &file, &["--answer", "same@10m"]);
    let answer = lines.iter().find(|l| l.get("answer").is_some());
    let answer = answer.map(|a| (a["cap_bpm"].clone(), a["plan_s"].clone()));
    // 120 less 5 % of 185 (9 bpm); 35 less 10 minutes.
    assert_eq!(answer, Some((111.into(), 1500.0.into())));
    let time_up = alerts(&lines).into_iter().find(|a| a["alert"] == "time_up");
    assert_eq!(time_up.map(|a| num(&a["t_ms"])), Some(1_500_000.0));
}

#[test]
fn no_answer_is_asked_once_more_then_noted() {
    let home = runner("2026-12-01", Some(3));
    let file = recording(&home, "steady.jsonl", "2026-12-01", &[115.0; 15 * 60]);
    let lines = replay(&home, &file, &["--check-at", "5m"]);
    let asked: Vec<f64> = (lines.iter())
        .filter(|l| l.get("question").is_some())
        .map(|l| num(&l["t_ms"]) / 1000.0)
        .collect();
    assert_eq!(asked, [300.0, 360.0]);
    assert_eq!(summary(&lines)["warm_up_check"], "not_answered");
}

#[test]
fn worse_stops_the_run_and_tomorrow_starts_from_the_warning_sign() {
    let home = runner("2026-12-01", Some(4));
    let file = recording(&home, "run.jsonl", "2026-12-01", &run_walk_rounds());
    let out = succeeds(hrcoach_in(&home).arg("replay").arg(&file).args([
        "--fast",
        "--json",
        "--answer",
        "worse@10m",
    ]));
    let lines = json_lines(&out.stdout);
    let said = heard(&lines);
    insta::assert_snapshot!("worse_at_ten_minutes", said);
    let after: Vec<_> = alerts(&lines)
        .into_iter()
        .filter(|a| num(&a["t_ms"]) >= 600_000.0)
        .map(|a| a["alert"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(after, ["stop"], "nothing after stop: {said}");
    assert_eq!(summary(&lines)["warm_up_check"], "worse");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("now says so (moving: worse"), "{stderr}");
    let next = stdout_of(hrcoach_in(&home).args(["today", "--date", "2026-12-02", "--json"]));
    let plan: serde_json::Value = match serde_json::from_str(&next) {
        Ok(v) => v,
        Err(e) => panic!("today --json is not JSON ({e}): {next}"),
    };
    assert_eq!(plan["verdict"], "cross-train", "{next}");
    assert_eq!(plan["open_sign"], "2026-12-01", "{next}");
}

#[test]
fn a_hard_start_is_a_heart_not_a_dry_strap() {
    let home = runner("2026-12-01", None);
    // 80 -> 150 in a minute, 158 by 110 s, then held: regular beats throughout.
    let bpm: Vec<f64> = (0..600)
        .map(|t| match t {
            0..60 => 80.0 + 70.0 * f64::from(t) / 60.0,
            60..110 => 150.0 + 8.0 * f64::from(t - 60) / 50.0,
            _ => 158.0,
        })
        .collect();
    let file = recording(&home, "hard.jsonl", "2026-12-01", &bpm);
    let lines = replay(&home, &file, &[]);
    let rejected: Vec<_> = lines
        .iter()
        .filter(|l| l.get("rejected").is_some())
        .map(|l| (num(&l["t_ms"]), l["rejected"].clone()))
        .collect();
    assert!(rejected.is_empty(), "{rejected:?}");
    // An interval from a standing start an hour in is no different.
    let mut later = vec![100.0; 60];
    later.extend(bpm.iter().skip(1).map(|b| b + 2.0));
    let file = recording(&home, "interval.jsonl", "2026-12-01", &later);
    let lines = replay(&home, &file, &[]);
    assert_eq!(summary(&lines)["rejected"]["dry_start"], 0);
}

#[test]
fn cues_are_graded_by_how_far_over() {
    let home = runner("2026-12-01", None);
    // The easy-day cap is 130 (under 130 allowed). Five minutes at 131, then at 160.
    let mut bpm: Vec<f64> = (0..120)
        .map(|t| 100.0 + f64::from(t) * 31.0 / 120.0)
        .collect();
    bpm.extend([131.0; 300]);
    bpm.extend((0..30).map(|t| 131.0 + f64::from(t)));
    bpm.extend([160.0; 120]);
    let file = recording(&home, "graded.jsonl", "2026-12-01", &bpm);
    let lines = replay(&home, &file, &["--sore"]);
    let said = heard(&lines);
    insta::assert_snapshot!("graded_cues", said);
    let cues = alerts(&lines);
    let message = |a: &serde_json::Value| a["message"].as_str().unwrap_or("").to_owned();
    assert!(message(cues[0]).starts_with("Just over"), "{said}");
    // A bpm or two over never asks for a walk, however long; far over does.
    for a in &cues {
        let over = num(&a["smoothed_bpm"]) - num(&a["cap_bpm"]) + 1.0;
        let walk = message(a).contains("walk");
        assert!(over > 3.0 || !walk, "a walk for {over} bpm over: {said}");
    }
    assert!(
        cues.iter().any(|a| message(a).contains("Slow to a walk")),
        "{said}"
    );
    assert!(cues.iter().all(|a| !message(a).contains("(cap ")), "{said}");
}

#[test]
fn a_run_remembers_how_it_was_coached() {
    // A sore-day run recorded under the plan of soreness 6 (cap 60 % of max HR 185, 111 bpm, a
    // run/walk; 25 minutes): `report` later, with no profile, no flags and no check-in, looks
    // back at it the same way.
    let home = runner("2026-11-20", Some(6));
    let rec = home.join("recorded.jsonl");
    let drift = common::fixture("sore-day-drift.jsonl");
    let out = succeeds(
        hrcoach_in(&home)
            .arg("replay")
            .arg(&drift)
            .args(["--fast", "--quiet", "--record"])
            .arg(&rec),
    );
    assert!(out.status.success());
    let elsewhere = empty_home();
    let out = succeeds(hrcoach_in(&elsewhere).arg("report").arg(&rec));
    let text = String::from_utf8_lossy(&out.stdout);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("coached as recorded: max HR 185"), "{said}");
    assert!(text.contains("under 111 bpm allowed"), "{text}");
    assert!(text.contains("25 minutes: that's today's run"), "{text}");
    assert!(text.contains("] Walk."), "{text}");
    assert!(text.contains("(over the cap for the dwell time)"), "{text}");
    assert!(!text.contains("_for_"), "internal codes: {text}");
    // A flag looks back otherwise: the easy-day cap of max HR 200 is 140.
    let text = stdout_of(
        hrcoach_in(&elsewhere)
            .arg("report")
            .arg(&rec)
            .args(["--max-hr", "200", "--sore"]),
    );
    assert!(text.contains("under 140 bpm allowed"), "{text}");
}

#[test]
fn a_plan_time_without_a_check_in_is_kept_too() {
    let home = runner("2026-12-01", None);
    let file = recording(&home, "steady.jsonl", "2026-12-01", &[118.0; 45 * 60]);
    let lines = replay(&home, &file, &["--plan-time", "35m"]);
    let time_up: Vec<f64> = alerts(&lines)
        .iter()
        .filter(|a| a["alert"] == "time_up")
        .map(|a| num(&a["t_ms"]))
        .collect();
    assert_eq!(time_up, [2_100_000.0]);
    // No cap that day: the cue carries none.
    assert!(alerts(&lines)[0].get("cap_bpm").is_none());
}

#[test]
fn bad_answers_and_a_damaged_coached_header_are_said_in_words() {
    let home = runner("2026-12-01", None);
    let file = recording(&home, "steady.jsonl", "2026-12-01", &[118.0; 60]);
    for (answer, says) in [
        (
            "maybe@10m",
            "\"maybe\" is not an answer: eased, same or worse",
        ),
        ("worse", "expected ANSWER@TIME, like worse@10m"),
        ("worse@soon", "worse@soon"),
    ] {
        let out = common::exits(
            hrcoach_in(&home)
                .arg("replay")
                .arg(&file)
                .args(["--fast", "--answer", answer]),
            2,
        );
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains(says), "{answer}: {said}");
    }
    // A recorded answer that is none of the three is a bad line, with its number.
    let text = fs::read_to_string(&file).unwrap_or_default();
    let bad = home.join("bad-answer.jsonl");
    let _ = fs::write(
        &bad,
        format!("{text}{{\"t_ms\":61000,\"answer\":\"maybe\"}}\n"),
    );
    let out = common::exits(hrcoach_in(&home).arg("replay").arg(&bad).arg("--fast"), 1);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("answer \"maybe\" is not one of eased, same, worse"),
        "{said}"
    );
    assert!(said.contains("bad-answer.jsonl:62"), "{said}");
    // A header whose coaching no run has: refused in words, and flags look back anyway.
    let damaged = home.join("damaged.jsonl");
    let header = "{\"format\":\"hrcoach-recording\",\"version\":1,\"coached\":{\"max_hr\":0,\"zone_model\":\"max\"}}";
    let body: String = text.lines().skip(1).map(|l| format!("{l}\n")).collect();
    let _ = fs::write(&damaged, format!("{header}\n{body}"));
    let out = common::exits(hrcoach_in(&empty_home()).arg("report").arg(&damaged), 1);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("cannot be used: max heart rate 0"), "{said}");
    assert!(said.contains("pass --max-hr"), "{said}");
    succeeds(
        hrcoach_in(&empty_home())
            .arg("report")
            .arg(&damaged)
            .args(["--max-hr", "185"]),
    );
}
