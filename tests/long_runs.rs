//! Long recordings (issue 9): a week replayed fast keeps memory flat and adds up right.

mod common;

use std::io::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

/// Writes `hours` of one reading a second: each hour 40 minutes at 125 bpm (zone 2 for max HR
/// 185) and 20 at 132 (zone 3), steps of 7 bpm that the rate rule accepts.
fn hours_of_readings(path: &Path, hours: u64) {
    let file = std::fs::File::create(path).expect("create");
    let mut out = std::io::BufWriter::new(file);
    for s in 0..hours * 3600 {
        let bpm = if s % 3600 < 2400 { 125 } else { 132 };
        writeln!(out, "{{\"t_ms\":{},\"bpm\":{bpm}}}", s * 1000).expect("write");
    }
    out.flush().expect("flush");
}

/// Runs `hrcoach replay FILE --fast --quiet --max-hr 185`; returns stdout and the peak
/// resident memory (kB), the highest `VmHWM` seen in /proc while it ran.
fn replay_with_peak(path: &Path) -> (String, u64) {
    let child = common::hrcoach_in(&common::empty_home())
        .arg("replay")
        .arg(path)
        .args(["--fast", "--quiet", "--max-hr", "185"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let status_file = format!("/proc/{}/status", child.id());
    let peak = std::thread::spawn(move || {
        let mut peak = 0;
        let started = Instant::now();
        while let Ok(status) = std::fs::read_to_string(&status_file) {
            if let Some(kb) = status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
            {
                peak = peak.max(kb);
            }
            if started.elapsed() > Duration::from_secs(120) {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        peak
    });
    let out = child.wait_with_output().expect("replay ends");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        peak.join().unwrap_or(0),
    )
}

#[test]
fn a_week_replays_with_flat_memory_and_a_right_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let day = dir.path().join("day.jsonl");
    let week = dir.path().join("week.jsonl");
    hours_of_readings(&day, 24);
    hours_of_readings(&week, 7 * 24);
    let (_, day_peak) = replay_with_peak(&day);
    let (summary, week_peak) = replay_with_peak(&week);
    // 604,800 readings a second apart: each counts until the next, the last for nothing.
    for want in [
        "duration      167:59:59   (counted in zones: 167:59:59)",
        "heart rate    mean 127 bpm, max 132 bpm",
        "Z2   111-129 bpm  112:00:00   67%",
        "Z3   130-147 bpm   55:59:59   33%",
    ] {
        assert!(summary.contains(want), "{want:?} not in:\n{summary}");
    }
    eprintln!("peak RSS of the replay (debug build): a day {day_peak} kB, a week {week_peak} kB");
    // Memory does not grow with the recording: a week within 1 MB of a day.
    assert!(
        day_peak > 0 && week_peak <= day_peak + 1024,
        "peak RSS: a day {day_peak} kB, a week {week_peak} kB"
    );
}
