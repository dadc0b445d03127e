//! Hostile and broken inputs through the binary: each one a clear error naming the file and
//! the line (or correct handling), never a hang, a panic or memory that grows with the input.
//! (Issue 9; the reader's own unit tests cover the same limits with plain values.)

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{fixture, hrcoach};
use predicates::prelude::*;

/// Writes `bytes` to `dir/name`.
fn file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

/// `hrcoach replay FILE --fast --quiet --max-hr 185`, bounded in time: a hang fails the test.
fn replay(path: &Path) -> assert_cmd::assert::Assert {
    hrcoach()
        .arg("replay")
        .arg(path)
        .args(["--fast", "--quiet", "--max-hr", "185"])
        .timeout(Duration::from_secs(20))
        .assert()
}

const GOOD: &str = "{\"t_ms\":0,\"bpm\":100}\n{\"t_ms\":1000,\"bpm\":101}\n";

#[test]
fn a_line_of_megabytes_is_refused_at_the_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bytes = GOOD.as_bytes().to_vec();
    // 20 MB with no newline: a reader without a bound would hold all of it.
    bytes.extend(std::iter::repeat_n(b'x', 20 << 20));
    let path = file(dir.path(), "long.jsonl", &bytes);
    replay(&path).code(1).stderr(predicate::str::contains(
        "long.jsonl:3: line longer than 64 KiB: not a recording line",
    ));
}

#[test]
fn bytes_that_are_not_text_name_their_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bytes = GOOD.as_bytes().to_vec();
    bytes.extend_from_slice(b"{\"t_ms\":2000,\"bpm\":\xff\xfe}\n");
    let path = file(dir.path(), "binary.jsonl", &bytes);
    replay(&path).code(1).stderr(predicate::str::contains(
        "binary.jsonl:3: not text: invalid UTF-8 at byte 20 of the line",
    ));
}

#[test]
fn nul_bytes_deep_json_and_huge_numbers_each_name_their_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: [(&str, Vec<u8>, &str); 4] = [
        (
            "nul.jsonl",
            b"{\"t_ms\":2000,\"bpm\":1\x0000}\n".to_vec(),
            "nul.jsonl:3: not JSON",
        ),
        (
            "deep.jsonl",
            format!("{}{}\n", "[".repeat(20_000), "]".repeat(20_000)).into_bytes(),
            "deep.jsonl:3: unknown event",
        ),
        (
            "bpm.jsonl",
            b"{\"t_ms\":2000,\"bpm\":99999999999999999999}\n".to_vec(),
            "bpm.jsonl:3: unknown event",
        ),
        (
            "time.jsonl",
            b"{\"t_ms\":18446744073709551615,\"bpm\":100}\n".to_vec(),
            "time.jsonl:3: t_ms 18446744073709551615 is 213503982334 days into the session: not a session",
        ),
    ];
    for (name, line, message) in cases {
        let mut bytes = GOOD.as_bytes().to_vec();
        bytes.extend_from_slice(&line);
        let path = file(dir.path(), name, &bytes);
        replay(&path)
            .code(1)
            .stderr(predicate::str::contains(message))
            .stderr(predicate::str::contains("panicked").not());
    }
}

#[test]
fn a_directory_or_a_fifo_is_not_a_recording_and_nothing_waits() {
    let dir = tempfile::tempdir().expect("tempdir");
    replay(dir.path()).code(1).stderr(predicate::str::contains(
        "a directory: pass a recording file",
    ));
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    // Opening a FIFO waits for a writer: the reader must refuse it without opening it.
    replay(&fifo)
        .code(1)
        .stderr(predicate::str::contains("not a regular file"));
}

#[test]
fn a_recording_that_cannot_be_written_is_said_and_the_replay_goes_on() {
    hrcoach()
        .arg("replay")
        .arg(fixture("steady-easy.jsonl"))
        .args([
            "--fast",
            "--quiet",
            "--max-hr",
            "185",
            "--record",
            "/dev/full",
        ])
        .timeout(Duration::from_secs(20))
        .assert()
        .success()
        .stdout(predicate::str::contains("Summary"))
        .stderr(predicate::str::contains(
            "cannot write the recording /dev/full (No space left on device",
        ));
}

/// Replays the sore-day fixture (its alerts) with `--say COMMAND`, and gives the spoken
/// commands, which run detached, a moment to finish.
fn replay_saying(command: &str) {
    hrcoach()
        .arg("replay")
        .arg(fixture("sore-day-drift.jsonl"))
        .args(["--fast", "--quiet", "--sore", "--max-hr", "185", "--say"])
        .arg(command)
        .timeout(Duration::from_secs(20))
        .assert()
        .success();
    std::thread::sleep(Duration::from_millis(300));
}

/// Issue 9, security: `--say` runs its command without a shell, so shell syntax in it is
/// just words handed to the program, never run.
#[test]
fn say_runs_no_shell() {
    let dir = tempfile::tempdir().expect("tempdir");
    let marker = dir.path().join("ran");
    let command = format!("echo ; touch {}", marker.display());
    replay_saying(&command);
    assert!(!marker.exists(), "a shell ran: {command}");
}

/// `replay --record FILE` never replaces a file that holds something without `--force`,
/// and never the file it replays, even with it; an empty file holds nothing to lose.
#[test]
fn replay_never_replaces_a_recording_without_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = dir.path().join("kept.jsonl");
    std::fs::write(&rec, b"an earlier run\n").expect("write");
    let replay = |extra: &[&str]| {
        let mut cmd = hrcoach();
        cmd.arg("replay")
            .arg(fixture("steady-easy.jsonl"))
            .args(["--fast", "--quiet", "--max-hr", "185", "--record"])
            .arg(&rec)
            .args(extra);
        cmd
    };
    replay(&[])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "kept.jsonl exists: pass --record with a new name, or --force to replace it",
        ));
    assert_eq!(std::fs::read(&rec).expect("read"), b"an earlier run\n");
    replay(&["--force"]).assert().success();
    let replaced = std::fs::read_to_string(&rec).expect("read");
    assert!(replaced.contains("re-recorded from"), "{replaced}");

    std::fs::write(&rec, b"").expect("empty");
    replay(&[]).assert().success();
    assert!(std::fs::metadata(&rec).expect("written").len() > 0);

    // The file being replayed, by another name.
    let copy = dir.path().join("run.jsonl");
    std::fs::copy(fixture("steady-easy.jsonl"), &copy).expect("copy");
    let before = std::fs::read(&copy).expect("read");
    hrcoach()
        .current_dir(dir.path())
        .arg("replay")
        .arg(&copy)
        .args([
            "--fast",
            "--quiet",
            "--max-hr",
            "185",
            "--force",
            "--record",
            "./run.jsonl",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is the file being replayed"));
    assert_eq!(
        std::fs::read(&copy).expect("read"),
        before,
        "the input is intact"
    );
}

/// Issue 9, security: what hrcoach writes (a recording, the profile) is not writable by
/// other users.
#[test]
fn files_written_are_not_world_writable() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = dir.path().join("again.jsonl");
    let profile = dir.path().join("profile.toml");
    hrcoach()
        .arg("replay")
        .arg(fixture("steady-easy.jsonl"))
        .args(["--fast", "--quiet", "--max-hr", "185", "--record"])
        .arg(&rec)
        .assert()
        .success();
    hrcoach()
        .arg("--profile")
        .arg(&profile)
        .args(["calibrate", "formula", "--age", "40", "--save"])
        .assert()
        .success();
    for path in [&rec, &profile] {
        let mode = std::fs::metadata(path)
            .expect("written")
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o002,
            0,
            "{} is world-writable: {mode:o}",
            path.display()
        );
    }
}

/// `hrcoach --profile PROFILE ARGS...` fails with exit 1 and `message`, and no panic.
fn refused_naming(profile: &Path, args: &[&str], message: &str) {
    hrcoach()
        .arg("--profile")
        .arg(profile)
        .args(args)
        .timeout(Duration::from_secs(20))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(message))
        .stderr(predicate::str::contains("panicked").not());
}

/// Issue 9: a profile that is a directory, or not text, is one clear line naming it, for a
/// command that reads it and one that would write it.
#[test]
fn a_profile_that_is_not_a_file_or_not_text_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let binary = file(dir.path(), "profile.toml", b"\xff\xfe max = 1");
    for (profile, message) in [
        (dir.path().to_path_buf(), "cannot read profile"),
        (binary, "cannot read profile"),
    ] {
        for args in [
            &["zones"][..],
            &["calibrate", "formula", "--age", "40", "--save"],
        ] {
            refused_naming(&profile, args, message);
        }
    }
}

/// Issue 9: a profile that is not valid TOML, or one that cannot be written (its directory is
/// a file), is one clear line naming the file (and the line, for TOML), never a panic.
#[test]
fn a_corrupt_or_unwritable_profile_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let unclosed = file(dir.path(), "unclosed.toml", b"max_hr = \"abc\n");
    let twice = file(dir.path(), "twice.toml", b"max_hr = 185\nmax_hr = 190\n");
    let not_a_dir = file(dir.path(), "a-file", b"");
    let cases = [
        (
            unclosed,
            &["zones"][..],
            "unclosed.toml: TOML parse error at line 1",
        ),
        (
            twice,
            &["zones"][..],
            "twice.toml: TOML parse error at line 2",
        ),
        (
            not_a_dir.join("profile.toml"),
            &["calibrate", "formula", "--age", "40", "--save"][..],
            "profile.toml: Not a directory",
        ),
    ];
    for (profile, args, message) in cases {
        refused_naming(&profile, args, message);
    }
}

/// Issue 9: a recording that is still being written (a live run recording it, a copy in
/// progress) replays what is there when the reader reaches its end, and stops: no hang
/// waiting for more, no error for a line cut short mid-write beyond a warning.
#[test]
fn a_recording_that_grows_while_replayed_replays_what_is_there() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("growing.jsonl");
    let mut f = std::fs::File::create(&path).expect("create");
    writeln!(f, "{{\"format\":\"hrcoach-recording\",\"version\":1}}").expect("header");
    for i in 0..20_000u64 {
        writeln!(f, "{{\"t_ms\":{},\"bpm\":120}}", i * 1000).expect("line");
    }
    f.flush().expect("flush");
    let writer = std::thread::spawn(move || {
        // Keeps appending, sometimes half a line at a time, while the replay reads.
        for i in 20_000..60_000u64 {
            let line = format!("{{\"t_ms\":{},\"bpm\":121}}\n", i * 1000);
            let (a, b) = line.split_at(line.len() / 2);
            let _ = f.write_all(a.as_bytes());
            let _ = f.flush();
            let _ = f.write_all(b.as_bytes());
        }
    });
    let out = hrcoach()
        .arg("replay")
        .arg(&path)
        .args(["--fast", "--json", "--max-hr", "185"])
        .timeout(Duration::from_secs(30))
        .output()
        .expect("run");
    let _ = writer.join();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let lines = common::json_lines(&out.stdout);
    let summary = &lines.last().expect("summary")["summary"];
    let samples = summary["notifications"].as_u64().unwrap_or(0);
    assert!(
        (20_000..=60_000).contains(&samples),
        "replayed what was there: {summary}"
    );
}

/// Issue 10: `--say` splits its command as a shell would, so a quoted argument with spaces
/// reaches the program as one argument (it used to be split at every space), and an unmatched
/// quote is a clear usage error.
#[test]
fn say_keeps_quoted_arguments_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("spoken");
    // sh is the program here on purpose: its script is one argument with spaces in it, and
    // the alert text arrives as $1.
    let command = format!("sh -c 'printf \"%s\\n\" \"$1\" >> {}' say", out.display());
    replay_saying(&command);
    let spoken = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(
        spoken.lines().any(|l| l.contains("cap")),
        "what was spoken: {spoken:?}"
    );

    hrcoach()
        .arg("replay")
        .arg(fixture("steady-easy.jsonl"))
        .args(["--fast", "--max-hr", "185", "--say", "espeak-ng -v 'en"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot split"));
}
