//! Helpers shared by the integration tests.

#![allow(dead_code)] // each test binary uses a different part of this module

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The variables through which hrcoach (the `dirs` crate, on Linux) finds the user's own
/// directories: profile, check-ins, recordings. Every test that runs the binary points all of
/// them away from the user's, so that a runner's own check-in never changes a test's result.
pub const USER_DIRS: [&str; 5] = [
    "HOME",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_STATE_HOME",
    "XDG_CACHE_HOME",
];

/// A new empty folder under the target directory, for one command's home (not under the
/// user's temp dir, so nothing is left there).
pub fn empty_home() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("homes")
        .join(format!("{}-{n}", std::process::id()))
}

/// The `hrcoach` binary built for this test run, blind to the user's own profile, check-ins
/// and recordings: each of [`USER_DIRS`] points at a new empty folder (tests that need a
/// profile pass `--profile`; tests that need data set `XDG_DATA_HOME`).
pub fn hrcoach() -> Command {
    let mut cmd = match Command::cargo_bin("hrcoach") {
        Ok(cmd) => cmd,
        Err(e) => panic!("hrcoach binary not built: {e}"),
    };
    let home = empty_home();
    for var in USER_DIRS {
        cmd.env(var, &home);
    }
    cmd
}

/// The `hrcoach` binary as a std `Command` (for tests that spawn it and watch it run), with
/// each of [`USER_DIRS`] pointing at `home`.
pub fn hrcoach_in(home: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_hrcoach"));
    for var in USER_DIRS {
        cmd.env(var, home);
    }
    cmd
}

/// Path of a file under fixtures/.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// A command a test runs: assert_cmd's, or std's (for a spawned or long-lived hrcoach).
pub trait Run {
    /// Runs it to the end.
    fn run(&mut self) -> std::io::Result<std::process::Output>;
}

impl Run for Command {
    fn run(&mut self) -> std::io::Result<std::process::Output> {
        self.output()
    }
}

impl Run for std::process::Command {
    fn run(&mut self) -> std::io::Result<std::process::Output> {
        self.output()
    }
}

impl<T: Run + ?Sized> Run for &mut T {
    fn run(&mut self) -> std::io::Result<std::process::Output> {
        (**self).run()
    }
}

/// Runs `cmd` and checks that it ended with exit code `code` and without a panic; returns
/// its output.
#[track_caller]
pub fn exits(cmd: &mut impl Run, code: i32) -> std::process::Output {
    let out = match cmd.run() {
        Ok(out) => out,
        Err(e) => panic!("cannot run hrcoach: {e}"),
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    out
}

/// Runs `cmd`, checks that it succeeded (failing the test with its stderr if not), and returns
/// its output.
#[track_caller]
pub fn succeeds(cmd: &mut impl Run) -> std::process::Output {
    let out = match cmd.run() {
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
pub fn stdout_of(cmd: &mut impl Run) -> String {
    String::from_utf8_lossy(&succeeds(cmd).stdout).into_owned()
}

/// The alert lines of a run's JSON Lines: the one alerts helper of the tests.
pub fn alerts(lines: &[serde_json::Value]) -> Vec<&serde_json::Value> {
    lines.iter().filter(|l| l.get("alert").is_some()).collect()
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

/// A check-in's answers for ordinary soreness at `level`: both sides alike, dull, `moving`
/// (`easing`, `same`) as the runner moves, gait normal.
pub fn ordinary_soreness<'a>(level: &'a str, moving: &'a str) -> Vec<&'a str> {
    vec![
        "--soreness",
        level,
        "--sides",
        "equal",
        "--pain",
        "dull",
        "--moving",
        moving,
        "--gait",
        "normal",
    ]
}
