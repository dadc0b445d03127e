//! A new user's first hour (issue 17): the rough edges a new user hit, each tried as they
//! tried it. Every test here failed before its fix.

mod common;

use std::process::Stdio;

use common::{fixture, hrcoach, stdout_of};
use predicates::prelude::*;

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

// ---- export ---------------------------------------------------------------------------

/// `a.fit` and `a.gpx` side by side (a run downloaded twice): exporting the GPX to FIT must
/// not replace the watch's own FIT. `--force` does, when asked.
#[test]
fn export_never_replaces_an_existing_file_unless_forced() {
    let dir = tempfile::tempdir().expect("tempdir");
    let gpx = dir.path().join("a.gpx");
    let fit = dir.path().join("a.fit");
    std::fs::copy(fixture("real/runpandas__nike_run.gpx"), &gpx).expect("copy gpx");
    std::fs::copy(fixture("real/runpandas__run.fit"), &fit).expect("copy fit");
    let original = std::fs::read(&fit).expect("read");

    let out = common::exits(
        &mut hrcoach()
            .arg("export")
            .arg(&gpx)
            .args(["--to", "fit", "--max-hr", "185"]),
        1,
    );
    assert!(
        stderr_of(&out).contains("a.fit exists: pass -o OUT to write elsewhere, or --force"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(
        std::fs::read(&fit).expect("read"),
        original,
        "the FIT is untouched"
    );

    common::succeeds(
        hrcoach()
            .arg("export")
            .arg(&gpx)
            .args(["--to", "fit", "--max-hr", "185", "--force"]),
    );
    assert_ne!(
        std::fs::read(&fit).expect("read"),
        original,
        "--force replaces it"
    );
}

/// `-o -` writes to stdout (and makes no file called `-`).
#[test]
fn export_to_dash_writes_to_stdout() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = common::succeeds(
        hrcoach()
            .current_dir(dir.path())
            .arg("export")
            .arg(fixture("steady-easy.jsonl"))
            .args(["--to", "csv", "-o", "-", "--max-hr", "185"]),
    );
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(
        csv.starts_with("t_s,time,bpm,zone,trusted,alert\n"),
        "{csv}"
    );
    assert!(
        csv.lines().count() > 1000,
        "every reading: {}",
        csv.lines().count()
    );
    assert!(!dir.path().join("-").exists(), "no file named -");
    assert!(stderr_of(&out).contains("-> stdout"), "{}", stderr_of(&out));
}

/// A ride stays a ride: the sport of the watch's file is kept in TCX, FIT and an import.
#[test]
fn export_keeps_the_sport_of_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ride = fixture("source/fitparser__hrv-activity.fit"); // an Edge 530 ride
    let tcx = dir.path().join("ride.tcx");
    let fit = dir.path().join("ride.fit");
    for (to, out) in [("tcx", &tcx), ("fit", &fit)] {
        common::succeeds(
            hrcoach()
                .arg("export")
                .arg(&ride)
                .args(["--to", to, "--max-hr", "185", "-o"])
                .arg(out),
        );
    }
    let text = std::fs::read_to_string(&tcx).expect("read tcx");
    assert!(text.contains("<Activity Sport=\"Biking\">"), "TCX sport");
    let mut file = std::fs::File::open(&fit).expect("open fit");
    let sports: Vec<String> = fitparser::from_reader(&mut file)
        .expect("fitparser reads it")
        .into_iter()
        .filter(|r| r.kind() == fitparser::profile::MesgNum::Session)
        .flat_map(|r| r.into_vec())
        .filter(|f| f.name() == "sport")
        .map(|f| f.value().to_string())
        .collect();
    assert_eq!(sports, ["cycling"]);

    // Through an import and back out: still a ride.
    common::succeeds(
        hrcoach()
            .arg("import")
            .arg(&tcx)
            .arg("--dir")
            .arg(dir.path()),
    );
    let imported = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .expect("the imported recording");
    let again = dir.path().join("again.tcx");
    common::succeeds(
        hrcoach()
            .arg("export")
            .arg(&imported)
            .args(["--to", "tcx", "--max-hr", "185", "-o"])
            .arg(&again),
    );
    let text = std::fs::read_to_string(&again).expect("read");
    assert!(text.contains("<Activity Sport=\"Biking\">"), "after import");

    // A strap's recording is a run.
    let run = dir.path().join("run.tcx");
    common::succeeds(
        hrcoach()
            .arg("export")
            .arg(fixture("steady-easy.jsonl"))
            .args(["--to", "tcx", "--max-hr", "185", "-o"])
            .arg(&run),
    );
    let text = std::fs::read_to_string(&run).expect("read");
    assert!(text.contains("<Activity Sport=\"Running\">"));
}

/// Converting a file for Strava needs no max HR: it is written without zones or alerts, and
/// one line says so.
#[test]
fn export_without_a_max_hr_writes_the_run_without_alerts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out_file = dir.path().join("run.csv");
    let out = common::succeeds(
        hrcoach()
            .arg("export")
            .arg(fixture("sore-day-drift.jsonl"))
            .args(["--to", "csv", "-o"])
            .arg(&out_file),
    );
    let said = stderr_of(&out);
    assert_eq!(
        said.lines()
            .filter(|l| l.contains("no max HR known"))
            .count(),
        1,
        "{said}"
    );
    assert!(said.contains("0 alerts"), "{said}");
    let csv = std::fs::read_to_string(&out_file).expect("read");
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 2100, "every reading");
    // Columns: t_s,time,bpm,zone,trusted,alert: no zone and no alert anywhere.
    assert!(
        rows.iter()
            .all(|r| r.split(',').nth(3) == Some("") && r.ends_with(',')),
        "{}",
        rows[0]
    );
}

// ---- conventions ----------------------------------------------------------------------

/// `completions SHELL | head -c 1`: a closed pipe is no error, for every shell.
#[test]
fn completions_into_a_closed_pipe_exit_0() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        // The reading end is closed before hrcoach writes a byte: every write fails with
        // EPIPE, every time (no race with a reader that might read first).
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let out = common::succeeds(
            &mut common::hrcoach_in(&common::empty_home())
                .args(["completions", shell])
                .stdout(writer)
                .stderr(Stdio::piped()),
        );
        assert!(!stderr_of(&out).contains("panicked"), "{shell}");
    }
}

/// Every hrcoach-X(1) the man pages point to is written by `man --dir`, and the replay page
/// lists its options.
#[test]
fn the_man_pages_point_only_to_pages_that_exist() {
    let dir = tempfile::tempdir().expect("tempdir");
    common::succeeds(hrcoach().args(["man", "--dir"]).arg(dir.path()));
    let page = |name: &str| std::fs::read_to_string(dir.path().join(name)).ok();
    let top = page("hrcoach.1").expect("hrcoach.1");
    let mut pointed = 0;
    for name in std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.path())
    {
        let text = std::fs::read_to_string(&name).expect("read");
        for reference in text.split("hrcoach\\-").skip(1) {
            let Some((sub, _)) = reference.split_once("(1)") else {
                continue;
            };
            let file = format!("hrcoach-{}.1", sub.replace("\\-", "-"));
            assert!(
                dir.path().join(&file).exists(),
                "{} points to {file}",
                name.display()
            );
            pointed += 1;
        }
    }
    assert!(
        pointed >= 10,
        "the pages point to the subcommands' pages ({pointed})"
    );
    assert!(top.contains("replay"), "{top}");
    let replay = page("hrcoach-replay.1").expect("hrcoach-replay.1");
    for option in ["speed", "fast", "max\\-hr", "sore", "say"] {
        assert!(replay.contains(&format!("\\-\\-{option}")), "--{option}");
    }
}

/// One name for one thing: `scan --scan-timeout`, like `live --scan-timeout` (the old
/// `--timeout` still works, unlisted).
#[test]
fn scan_and_live_name_the_scan_time_alike() {
    for cmd in ["scan", "live"] {
        let help = stdout_of(hrcoach().args([cmd, "--help"]));
        assert!(help.contains("--scan-timeout <DURATION>"), "{cmd}: {help}");
        assert!(!help.contains("--timeout"), "{cmd}: {help}");
    }
    hrcoach()
        .args(["scan", "--timeout", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--scan-timeout"));
}

/// The top-level help says where to start.
#[test]
fn the_top_level_help_says_where_to_start() {
    let help = stdout_of(hrcoach().arg("--help"));
    assert!(help.contains("Start here:"), "{help}");
    assert!(help.contains("hrcoach calibrate formula --age"), "{help}");
    assert!(help.contains("hrcoach replay"), "{help}");
}

// ---- errors that explain --------------------------------------------------------------

#[test]
fn a_zero_speed_says_what_a_speed_is() {
    let out = common::exits(
        &mut hrcoach()
            .args(["replay"])
            .arg(fixture("steady-easy.jsonl"))
            .args(["--speed", "0", "--max-hr", "185"]),
        2,
    );
    let said = stderr_of(&out);
    assert!(said.contains("must be more than 0"), "{said}");
    assert!(said.contains("1 is real time"), "{said}");
    assert!(!said.contains("between 0 and"), "{said}");
}

#[test]
fn a_max_hr_that_is_not_a_number_is_said_plainly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let profile = dir.path().join("p.toml");
    let out = common::exits(
        &mut hrcoach()
            .arg("--profile")
            .arg(&profile)
            .args(["profile", "set", "max-hr", "abc"]),
        1,
    );
    let said = stderr_of(&out);
    assert!(
        said.contains("\"abc\" is not a whole number of bpm"),
        "{said}"
    );
    assert!(!said.contains("invalid digit"), "{said}");
}

/// An unknown formula to save is said before, and instead of, the table.
#[test]
fn calibrate_formula_refuses_an_unknown_formula_before_printing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = common::exits(
        &mut hrcoach()
            .arg("--profile")
            .arg(dir.path().join("p.toml"))
            .args(["calibrate", "formula", "--age", "40", "--save", "foo"]),
        1,
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "", "no table");
    assert!(stderr_of(&out).contains("unknown formula \"foo\""));
}

/// A profile with `bpm = 999`: every coaching command names the line and the fix; `profile
/// show` shows it; `profile set max-hr` mends it.
#[test]
fn a_broken_profile_names_its_line_and_can_be_mended() {
    let dir = tempfile::tempdir().expect("tempdir");
    let profile = dir.path().join("profile.toml");
    std::fs::write(
        &profile,
        "age = 40\n\n[max_hr]\nbpm = 999\nsource = \"entered\"\n",
    )
    .expect("write");
    let with = |args: &[&str]| {
        hrcoach()
            .arg("--profile")
            .arg(&profile)
            .args(args)
            .output()
            .expect("run")
    };
    let zones = with(&["zones"]);
    assert_eq!(zones.status.code(), Some(1));
    let said = stderr_of(&zones);
    assert!(
        said.contains(&format!(
            "{}:4: max_hr.bpm = 999: max heart rate must be 100-230 bpm. To fix it: hrcoach profile set max-hr VALUE, or edit line 4",
            profile.display()
        )),
        "{said}"
    );

    let show = with(&["profile", "show"]);
    assert!(show.status.success(), "{}", stderr_of(&show));
    assert!(String::from_utf8_lossy(&show.stdout).contains("bpm = 999"));
    assert!(
        stderr_of(&show).contains("To fix it"),
        "{}",
        stderr_of(&show)
    );

    // Setting another key does not hide the problem, nor save over it.
    let other = with(&["profile", "set", "resting-hr", "50"]);
    assert_eq!(other.status.code(), Some(1));
    assert!(stderr_of(&other).contains(":4: max_hr.bpm = 999"));

    let mend = with(&["profile", "set", "max-hr", "180"]);
    assert!(mend.status.success(), "{}", stderr_of(&mend));
    assert!(with(&["zones"]).status.success());
}

// ---- a run stops at its first bad line --------------------------------------------------

/// A paced replay reads the whole file first: a bad line ten seconds in is said at once, not
/// after ten seconds of replay.
#[test]
fn a_paced_replay_finds_a_bad_line_before_it_starts() {
    let started = std::time::Instant::now();
    let out = common::exits(
        &mut hrcoach()
            .arg("replay")
            .arg(fixture("bad/not-json.jsonl"))
            .args(["--max-hr", "185", "--speed", "1"])
            .timeout(std::time::Duration::from_secs(8)),
        1,
    );
    assert!(
        stderr_of(&out).contains("not-json.jsonl:"),
        "{}",
        stderr_of(&out)
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "",
        "nothing was replayed"
    );
}

/// A `--say` program that cannot run is said before the run, not at its first alert.
#[test]
fn a_say_command_that_cannot_run_is_found_at_start() {
    let out = common::exits(
        &mut hrcoach()
            .arg("replay")
            .arg(fixture("sore-day-drift.jsonl"))
            .args([
                "--max-hr",
                "185",
                "--sore",
                "--fast",
                "--say",
                "espeak-nowhere -s 150",
            ]),
        1,
    );
    assert!(
        stderr_of(&out).contains("espeak-nowhere is not on PATH"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "",
        "no run without its voice"
    );
}

/// What `--say` speaks is written for the ear: no brackets read out, no "five dash six", no
/// "b p m".
#[test]
fn the_spoken_cues_are_written_for_the_ear() {
    let dir = tempfile::tempdir().expect("tempdir");
    let said = dir.path().join("said.txt");
    // The alert text comes last: $1 of this little shell script, one line per cue.
    let say = format!("sh -c 'printf \"%s\\n\" \"$1\" >> {}' say", said.display());
    let out = common::succeeds(
        hrcoach()
            .arg("replay")
            .arg(fixture("sore-day-drift.jsonl"))
            .args(["--max-hr", "185", "--sore", "--fast", "--say", &say]),
    );
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(
        screen.contains("(under 130 today)"),
        "the screen keeps the detail"
    );
    let spoken = std::fs::read_to_string(&said).expect("something was spoken");
    // The plan at the start, the warm-up check asked twice, and ten cues.
    assert_eq!(spoken.lines().count(), 13, "{spoken}");
    for line in spoken.lines() {
        assert!(!line.contains('('), "{line}");
        assert!(!line.contains("bpm"), "{line}");
    }
    assert!(spoken.contains("131 beats, 1 minute 20 over"), "{spoken}");
}

/// `live --help` does not offer `--zones-from-file`, which a live run cannot use.
#[test]
fn live_does_not_offer_zones_from_a_file() {
    let live = stdout_of(hrcoach().args(["live", "--help"]));
    assert!(!live.contains("--zones-from-file"), "{live}");
    let replay = stdout_of(hrcoach().args(["replay", "--help"]));
    assert!(replay.contains("--zones-from-file"), "{replay}");
}
