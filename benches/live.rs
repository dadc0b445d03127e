//! `hrcoach live` for 60 s against the fake BlueZ at one notification a second: peak RSS and
//! CPU time of the hrcoach process (the fake and the bus run in this bench process, not in it).
//!
//! Run with `cargo bench --bench live` (about 70 s). Targets (docs/performance.md): peak RSS
//! ≤ 8 MB and ≤ 0.06 s of CPU per minute.

#![allow(missing_docs)]

#[path = "../tests/fake_bluez/mod.rs"]
mod fake_bluez;
#[path = "../tests/support/peak_rss.rs"]
mod peak_rss;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fake_bluez::{FakeBluez, Options};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    if !std::env::args().any(|a| a == "--bench") {
        return Ok(());
    }
    // A steady 140 bpm with one RR interval, once a second, for longer than the run.
    let payload = vec![0x16, 140, 0xb7, 0x01];
    let fake = FakeBluez::start(Options {
        notifications: vec![payload; 90],
        interval: Duration::from_secs(1),
        ..Options::default()
    });
    let dir = tempfile::tempdir()?;
    let rec = dir.path().join("bench.jsonl");
    let mut child = Command::new(env!("CARGO_BIN_EXE_hrcoach"))
        .env("DBUS_SYSTEM_BUS_ADDRESS", &fake.address)
        .env("XDG_DATA_HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path())
        // bluez-async 0.9 unwraps RemoveMatch when a stream is dropped; busd (unlike
        // dbus-daemon) refuses the second removal of a rule added twice, so on this fake bus
        // the exit prints a panic from a detached task. A backtrace would then cost 40 MB of
        // symbols at exit: not what a real run does, so not measured.
        .env("RUST_BACKTRACE", "0")
        .args([
            "live",
            "--scan-timeout",
            "1s",
            "--duration",
            "60s",
            "--max-hr",
            "185",
            "--sore",
            "--quiet",
        ])
        .arg("--record")
        .arg(&rec)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let start = Instant::now();
    let mut last = None;
    while child.try_wait()?.is_none() {
        if let Some(s) = peak_rss::cpu_and_peak(child.id()) {
            last = Some(s);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let wall = start.elapsed();
    let ticks_per_s = 100.0; // USER_HZ on Linux
    let (ticks, hwm) = last.ok_or("no /proc samples")?;
    let notifications = std::fs::read_to_string(&rec)?
        .lines()
        .filter(|l| l.contains("\"hrm\""))
        .count();
    println!(
        "hrcoach live, {:.0} s wall (1 s scan + 60 s run), {notifications} notifications recorded: \
         CPU {:.2} s (user+system, 10 ms ticks, last sample), peak RSS {:.1} MB ({hwm} KiB)",
        wall.as_secs_f64(),
        ticks as f64 / ticks_per_s,
        hwm as f64 / 1024.0
    );
    Ok(())
}
