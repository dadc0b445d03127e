//! What each fixture makes the runner hear, as snapshots: the alert timeline and the summary
//! of a sore-day replay (max HR 185, cap 130), and the message each bad recording gives. Any
//! change to what the runner hears shows up as a reviewed diff in tests/snapshots/.
//!
//! To review a change: `cargo insta test --review`, or run the tests with
//! `INSTA_UPDATE=always` and read the diff of tests/snapshots/ before committing it.
//!
//! Also: the README's example output is checked against the real output here.

mod common;

use std::path::Path;

use common::hrcoach;

/// Runs hrcoach from the project root with these arguments; returns stdout, and stderr when
/// there is any, as one text.
fn run(args: &[&str]) -> String {
    let out = hrcoach()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("run hrcoach");
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !stderr.is_empty() {
        text.push_str("--- stderr\n");
        text.push_str(&stderr);
    }
    text.push_str(&format!("--- exit {}\n", out.status.code().unwrap_or(-1)));
    text
}

/// The recorded sessions under fixtures/, by name.
fn sessions() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures/")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".jsonl"))
        .collect();
    names.sort();
    names
}

#[test]
fn what_each_fixture_makes_the_runner_hear() {
    let names = sessions();
    assert!(names.len() >= 8, "{names:?}");
    for name in names {
        let path = format!("fixtures/{name}");
        let text = run(&[
            "replay", &path, "--fast", "--quiet", "--sore", "--max-hr", "185",
        ]);
        insta::assert_snapshot!(format!("hear__{}", name.trim_end_matches(".jsonl")), text);
    }
}

/// Real watch files (fixtures/real, fixtures/source): what a sore day at max HR 185 makes the
/// runner hear, and the report, replayed straight from the watch's file.
#[test]
fn what_each_real_watch_file_makes_the_runner_hear() {
    for name in [
        "real/runpandas__run.fit",
        "real/runpandas__2020-12-26T06_03_49-300_Running.tcx",
        "real/runpandas__nike_run.gpx",
        "source/fitparser__hrv-activity.fit",
    ] {
        let path = format!("fixtures/{name}");
        let mut text = run(&[
            "replay", &path, "--fast", "--quiet", "--sore", "--max-hr", "185",
        ]);
        text.push_str("--- report\n");
        text.push_str(&run(&["report", &path, "--sore", "--max-hr", "185"]));
        let stem = Path::new(name)
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        insta::assert_snapshot!(format!("real__{stem}"), text);
    }
}

#[test]
fn what_each_bad_recording_says() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/bad");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures/bad")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 8, "{names:?}");
    for name in names {
        let path = format!("fixtures/bad/{name}");
        let text = run(&["replay", &path, "--fast", "--quiet", "--max-hr", "185"]);
        insta::assert_snapshot!(format!("bad__{}", name.trim_end_matches(".jsonl")), text);
    }
}

/// The README's example: every line it shows (the `...` lines stand for the ones it leaves
/// out) appears in the real output, in the same order.
#[test]
fn the_readme_example_is_what_hrcoach_prints() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let block = readme
        .split("```text\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a text block in the README");
    let mut lines = block.lines();
    let command = lines
        .next()
        .and_then(|l| l.strip_prefix("$ hrcoach "))
        .expect("the block starts with the command");
    // The same run without waiting: --speed only changes the pace.
    let mut args: Vec<&str> = command.split_whitespace().collect();
    if let Some(i) = args.iter().position(|a| *a == "--speed") {
        args.drain(i..i + 2);
    }
    args.push("--fast");
    let actual = run(&args);
    let mut rest = actual.lines();
    for want in lines.filter(|l| *l != "...") {
        assert!(
            rest.any(|got| got == want),
            "README line not in the output (or out of order):\n{want}\n\noutput:\n{actual}"
        );
    }
}
