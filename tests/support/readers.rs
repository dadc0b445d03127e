//! Other people's readers for hrcoach's exports, provisioned by the tests themselves: a Python
//! venv under `target/` with pinned PyPI packages (lxml for Garmin's TCX schema, Garmin's own
//! FIT SDK). Made once, reused by every later run, and built under a file lock so that test
//! binaries running side by side don't race.
//!
//! Where the venv cannot be made (no python3, no venv module, no package registry) a test that
//! needs it prints one line, what was not checked and the command that enables it, and passes.
//! Under CI (`CI=true`) it fails instead: `.ci/run` installs everything, so there nothing is
//! ever skipped.
//!
//! `HRCOACH_TEST_PYTHON` names the interpreter to build the venv from (default `python3`);
//! pointing it at a missing file is how the tests check the skip path.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The pinned packages. Changing this list makes a new venv (its directory name hashes it).
pub const REQUIREMENTS: [&str; 2] = ["lxml==6.0.2", "garmin-fit-sdk==21.218.0"];

/// The venv's python, or why there is none.
fn provisioned() -> &'static Result<PathBuf, String> {
    static VENV: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    VENV.get_or_init(|| {
        let base = std::env::var_os("HRCOACH_TEST_PYTHON").unwrap_or_else(|| "python3".into());
        provision(Path::new(&base))
    })
}

/// The python of a venv that has [`REQUIREMENTS`], for a check named `what`; `None` after
/// printing the skip line, when the venv cannot be had outside CI.
///
/// # Panics
/// Under `CI=true` when the venv cannot be had: CI checks everything.
#[track_caller]
pub fn python(what: &str) -> Option<PathBuf> {
    match provisioned() {
        Ok(python) => {
            say(&format!(
                "reader check ran: {what} ({}, {})",
                REQUIREMENTS.join(" "),
                python.display()
            ));
            Some(python.clone())
        }
        Err(why) => {
            let line = format!(
                "reader check skipped: {what}: {why}. To run it: apt-get install python3 python3-venv \
                 (and reach PyPI), then cargo test again"
            );
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{line} (CI=true: nothing may be skipped)");
            }
            say(&line);
            None
        }
    }
}

/// Writes a line where `cargo test` shows it even for a passing test: straight to stderr, not
/// through `eprintln!`, which the test harness captures.
fn say(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Makes (or finds) the venv for `base`'s interpreter under `target/tmp/`.
fn provision(base: &Path) -> Result<PathBuf, String> {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    std::fs::create_dir_all(&root).map_err(|e| format!("cannot create {}: {e}", root.display()))?;
    let key = format!("{}\n{}", base.display(), REQUIREMENTS.join("\n"));
    let dir = root.join(format!("readers-venv-{:016x}", fnv1a(key.as_bytes())));
    let python = dir.join("bin").join("python");
    let stamp = dir.join("hrcoach-requirements.txt");

    let lock_path = root.join("readers-venv.lock");
    let lock = std::fs::File::create(&lock_path)
        .map_err(|e| format!("cannot create {}: {e}", lock_path.display()))?;
    lock.lock()
        .map_err(|e| format!("cannot lock {}: {e}", lock_path.display()))?;
    // Held until this function returns: another test binary waits here, then finds the stamp.
    if std::fs::read_to_string(&stamp).is_ok_and(|s| s == key) && python.exists() {
        return Ok(python);
    }
    run(
        Command::new(base).args(["-m", "venv", "--clear"]).arg(&dir),
        &format!("{} -m venv", base.display()),
    )?;
    run(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .args(["--retries", "1", "--timeout", "30"])
            .args(REQUIREMENTS),
        &format!("pip install {}", REQUIREMENTS.join(" ")),
    )?;
    std::fs::write(&stamp, &key).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    Ok(python)
}

/// Runs `cmd`, turning a failure into one line: what failed and the last thing it said.
fn run(cmd: &mut Command, what: &str) -> Result<(), String> {
    let out = cmd
        .output()
        .map_err(|e| format!("{what} cannot start: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("no message");
    Err(format!("{what} failed ({}): {}", out.status, last.trim()))
}

/// A stable hash for the venv's directory name (std's hasher may change between releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
