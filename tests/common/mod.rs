//! Helpers shared by the integration tests.

#![allow(dead_code)] // each test binary uses a different part of this module

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `hrcoach` binary built for this test run, blind to the user's own profile: its config
/// directory points at an empty folder (tests that need a profile pass `--profile`).
pub fn hrcoach() -> Command {
    let mut cmd = match Command::cargo_bin("hrcoach") {
        Ok(cmd) => cmd,
        Err(e) => panic!("hrcoach binary not built: {e}"),
    };
    let empty = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("no-config-home");
    cmd.env("XDG_CONFIG_HOME", &empty).env("HOME", &empty);
    cmd
}

/// Path of a file under fixtures/.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// Runs `cmd`, checks that it succeeded (failing the test with its stderr if not), and returns
/// its output.
#[track_caller]
pub fn succeeds(cmd: &mut Command) -> std::process::Output {
    let out = match cmd.output() {
        Ok(out) => out,
        Err(e) => panic!("cannot run hrcoach: {e}"),
    };
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// [`succeeds`], with its stdout as text.
#[track_caller]
pub fn stdout_of(cmd: &mut Command) -> String {
    String::from_utf8_lossy(&succeeds(cmd).stdout).into_owned()
}

/// Runs `hrcoach replay FILE --fast --json ARGS...`, checks that it succeeded, and returns
/// its output lines.
pub fn replay_json(file: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let out = succeeds(
        hrcoach()
            .arg("replay")
            .arg(file)
            .args(["--fast", "--json"])
            .args(args),
    );
    json_lines(&out.stdout)
}

/// Runs `hrcoach report FILES... --json ARGS...`, checks that it succeeded, and returns one
/// object per run.
pub fn report_json(files: &[&Path], args: &[&str]) -> Vec<serde_json::Value> {
    let out = succeeds(hrcoach().arg("report").args(files).arg("--json").args(args));
    json_lines(&out.stdout)
}

/// Parses JSON Lines output into values, failing the test on a line that is not JSON.
pub fn json_lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| match serde_json::from_str(l) {
            Ok(v) => v,
            Err(e) => panic!("not JSON: {l:?}: {e}"),
        })
        .collect()
}

/// The number at `v`, failing the test loudly when it is missing or not a number: a check
/// against a missing value must not pass because NaN compares false, or because a default
/// stood in for it.
#[track_caller]
pub fn num(v: &serde_json::Value) -> f64 {
    match v.as_f64() {
        Some(x) => x,
        None => panic!("expected a number, found {v}"),
    }
}
