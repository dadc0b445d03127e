//! `hrcoach report`: the same numbers as replay, a chart to look at, the last run, the week;
//! and the runner's own zones (`profile set zones`, `--zones`).

mod common;

use common::{fixture, hrcoach, json_lines, replay_json, report_json as report, succeeds};
use predicates::prelude::*;
use serde_json::Value;

const SORE: [&str; 3] = ["--max-hr", "185", "--sore"];

#[test]
fn report_json_carries_the_same_summary_object_as_replay() {
    let file = fixture("sore-day-drift.jsonl");
    let replayed = replay_json(&file, &SORE);
    let summary = replayed
        .last()
        .and_then(|l| l.get("summary"))
        .expect("replay ends with a summary");
    let reported = report(&[&file], &SORE);
    assert_eq!(reported.len(), 1);
    // A replay asks the warm-up check (the runner did not answer it: the recording holds no
    // answer); a report looks back and asks nothing. The rest is the same object.
    let mut summary = summary.clone();
    assert_eq!(summary["warm_up_check"], "not_answered");
    summary["warm_up_check"] = Value::Null;
    assert_eq!(reported[0]["summary"]["warm_up_check"], Value::Null);
    assert_eq!(reported[0]["summary"], summary);
    let drift = &reported[0]["drift"];
    assert!(drift["bpm"].as_f64().is_some_and(|b| b > 4.0), "{drift}");
    assert_eq!(reported[0]["format"], "recording");
}

#[test]
fn report_text_has_zones_cap_alerts_with_reasons_drift_and_gaps() {
    hrcoach()
        .arg("report")
        .arg(fixture("link-drop.jsonl"))
        .args(SORE)
        .assert()
        .success()
        .stdout(predicate::str::contains("Z2   111-129 bpm"))
        .stdout(predicate::str::contains("drift         first half"))
        .stdout(predicate::str::contains("gaps          link lost 1x"));
    hrcoach()
        .arg("report")
        .arg(fixture("sore-day-drift.jsonl"))
        .args(SORE)
        .assert()
        .success()
        .stdout(predicate::str::contains("over the cap  8:39 in all (under 130 bpm allowed)"))
        .stdout(predicate::str::contains(
            "[17:09] Just over your sore-day cap: 130 bpm for 0:20 (under 130 today). Ease off a touch. (over the cap for the dwell time)",
        ));
}

/// The attribute `name` of every element whose `class` starts with `class`.
fn elements<'a>(svg: &'a str, class: &str) -> Vec<&'a str> {
    svg.split('<')
        .filter(|e| e.contains(&format!("class=\"{class}")))
        .collect()
}

#[test]
fn the_plot_has_zone_bands_the_cap_alert_markers_gaps_and_axes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("run.svg");
    // Two files: one chart each, named after them.
    hrcoach()
        .arg("report")
        .arg(fixture("sore-day-drift.jsonl"))
        .arg(fixture("link-drop.jsonl"))
        .args(SORE)
        .arg("--plot")
        .arg(&out)
        .assert()
        .success();
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).expect("the chart");
    let svg = read("run-sore-day-drift.svg");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox="));
    assert!(svg.trim_end().ends_with("</svg>"));
    // Bands for the zones in view, each its own colour.
    let bands = elements(&svg, "band zone-");
    assert!(bands.len() >= 3, "{bands:?}");
    // The cap, at 130 bpm, labelled.
    assert_eq!(elements(&svg, "cap\"").len(), 1);
    assert!(svg.contains(">cap 130 bpm</text>"));
    // A marker per alert, with what was said.
    let reported = report(&[&fixture("sore-day-drift.jsonl")], &SORE);
    let alerts = reported[0]["summary"]["alerts"].as_u64().expect("alerts");
    assert_eq!(alerts, 10);
    assert_eq!(elements(&svg, "alert alert-").len() as u64, alerts);
    assert!(svg.contains("<title>[17:09] Just over your sore-day cap"));
    // Axes: mm:ss and bpm.
    assert!(svg.contains(">0:00</text>") && svg.contains(">5:00</text>"));
    assert!(svg.contains(">120</text>"));
    // The lost link as a gap, and the heart-rate line broken there.
    let svg = read("run-link-drop.svg");
    assert_eq!(elements(&svg, "gap gap-link").len(), 1);
    let path = elements(&svg, "hr\"")[0];
    assert_eq!(
        path.matches('M').count(),
        2,
        "one move to start, one after the gap"
    );
    // Well-formed XML.
    let mut reader = quick_xml::Reader::from_str(&svg);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed: {e}"),
        }
    }
}

#[test]
fn last_and_week_read_the_recordings_directory() {
    let data = tempfile::tempdir().expect("temp dir");
    let with_data = || {
        let mut c = hrcoach();
        c.env("XDG_DATA_HOME", data.path()).env("TZ", "UTC");
        c
    };
    with_data()
        .args(["report", "--last", "--max-hr", "185"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no recordings in"));
    // Two runs today (fixtures dated today by rewriting their headers) and one long ago.
    let dir = data.path().join("hrcoach/recordings");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let early = jiff::Timestamp::now()
        .strftime("%Y-%m-%dT00:00:10Z")
        .to_string();
    let late = jiff::Timestamp::now()
        .strftime("%Y-%m-%dT00:00:20Z")
        .to_string();
    for (name, fixture_name, start) in [
        (
            "2020-01-01T07-00-00.jsonl",
            "steady-easy.jsonl",
            "2020-01-01T07:00:00Z",
        ),
        // Named so that name order and start order disagree: --last goes by the start.
        ("zz-easy.jsonl", "steady-easy.jsonl", early.as_str()),
        ("aa-drift.jsonl", "sore-day-drift.jsonl", late.as_str()),
    ] {
        let text = std::fs::read_to_string(fixture(fixture_name)).expect("read");
        let body = text.split_once('\n').expect("a header").1;
        let header =
            format!("{{\"format\":\"hrcoach-recording\",\"version\":1,\"start\":\"{start}\"}}\n");
        std::fs::write(dir.join(name), header + body).expect("write");
    }
    let last =
        common::succeeds(&mut with_data().args(["report", "--last", "--json", "--max-hr", "185"]));
    let last = json_lines(&last.stdout);
    assert!(
        last[0]["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("aa-drift.jsonl"))
    );

    let week = succeeds(with_data().args(["report", "--week", "--json", "--max-hr", "185"]));
    let week = json_lines(&week.stdout);
    let days = week[0]["week"].as_array().expect("days");
    assert_eq!(days.len(), 7);
    let today = &days[6];
    assert_eq!(today["sessions"], 2);
    let sum: f64 = days
        .iter()
        .map(|d| d["sessions"].as_f64().unwrap_or(0.0))
        .sum();
    assert_eq!(sum, 2.0, "the run of 2020 is not this week");
    // Running time is the two runs' counted time, and the zones add up to it.
    let a = report(&[&fixture("steady-easy.jsonl")], &["--max-hr", "185"]);
    let b = report(&[&fixture("sore-day-drift.jsonl")], &["--max-hr", "185"]);
    let counted = a[0]["summary"]["counted_s"].as_f64().expect("counted")
        + b[0]["summary"]["counted_s"].as_f64().expect("counted");
    let running = today["running_s"].as_f64().expect("running");
    assert!((running - counted).abs() < 0.01, "{running} vs {counted}");
    let zones: f64 = today["time_in_zone_s"]
        .as_array()
        .expect("zones")
        .iter()
        .filter_map(serde_json::Value::as_f64)
        .sum();
    assert!((zones - running).abs() < 0.01);
}

#[test]
fn own_zones_from_the_profile_and_for_one_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let profile = dir.path().join("profile.toml");
    hrcoach()
        .args(["--profile"])
        .arg(&profile)
        .args(["profile", "set", "zones", "100,115,130,145,160"])
        .assert()
        .success();
    hrcoach()
        .args(["--profile"])
        .arg(&profile)
        .args(["profile", "set", "zones", "100,115,110,145,160"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("must go up"));
    let with_profile = |args: &[&str]| {
        let out = succeeds(
            hrcoach()
                .args(["--profile"])
                .arg(&profile)
                .arg("report")
                .arg(fixture("steady-easy.jsonl"))
                .args(["--json", "--max-hr", "185"])
                .args(args),
        );
        json_lines(&out.stdout)[0]["summary"]["zone_lower_bounds"].clone()
    };
    assert_eq!(
        with_profile(&[]),
        serde_json::json!([100, 115, 130, 145, 160])
    );
    assert_eq!(
        with_profile(&["--zones", "90,110,120,140,150"]),
        serde_json::json!([90, 110, 120, 140, 150])
    );
    hrcoach()
        .args(["report", "--zones", "90,110,120"])
        .arg(fixture("steady-easy.jsonl"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("zones need five"));
    // There is no file in a live run to take zones from: refused before any Bluetooth work.
    hrcoach()
        .args(["live", "--zones-from-file", "--max-hr", "185"])
        .timeout(std::time::Duration::from_secs(10))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--zones-from-file takes the zones a watch file stores",
        ));
    // --zones-from-file says which zones it found, and where.
    hrcoach()
        .args(["replay", "--fast", "--quiet", "--zones-from-file"])
        .arg(fixture("real/runpandas__run.fit"))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "Zones from the file (time_in_zone (session), percent_max_hr): zones 1-5 from 96/115/134/153/172 bpm, top 191",
        ))
        .stdout(predicate::str::contains("zones (own bounds)"));
}

/// The sparkline is coloured by zone on a terminal, and plain with NO_COLOR. (Under util-linux
/// `script`, which gives the command a terminal.)
#[test]
fn the_sparkline_honours_no_color() {
    let bin = env!("CARGO_BIN_EXE_hrcoach");
    let file = fixture("steady-easy.jsonl");
    let run = |no_color: bool| {
        let mut cmd = std::process::Command::new("script");
        cmd.args([
            "-qec",
            &format!("{bin} report --max-hr 185 {}", file.display()),
            "/dev/null",
        ]);
        cmd.envs(common::USER_DIRS.map(|v| (v, common::empty_home())))
            .env_remove("NO_COLOR");
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        let out = cmd.output().expect("util-linux's script");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let coloured = run(false);
    assert!(
        coloured.contains('▁') || coloured.contains('█'),
        "{coloured}"
    );
    assert!(
        coloured.contains("\x1b[32m"),
        "zone 2 is green: {coloured:?}"
    );
    let plain = run(true);
    assert!(plain.contains('█'), "{plain}");
    assert!(!plain.contains("\x1b["), "{plain:?}");
}
