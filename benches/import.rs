//! A year of watch files: 365 one-hour FIT activities at 1 Hz (1,314,000 samples), imported and
//! reported.
//!
//! Run with `cargo bench --bench import`. Prints:
//! - in-process: every file read (FIT decode), turned into a recording and coached, as
//!   `report` does, with the process's peak RSS after the 1st, 10th, 100th and 365th file;
//! - through the real binary: `hrcoach report --json FILE...` over all 365 files and
//!   `hrcoach import --dir DIR FILE...`, wall time and peak RSS (VmHWM polled every ms).
//!
//! Target (docs/performance.md): under one second for the year on a 2-core machine, and
//! memory that does not grow with the number of files.

#![allow(missing_docs)]

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "../tests/support/peak_rss.rs"]
mod peak_rss;
use peak_rss::run_with_peak_rss;
use std::time::{Duration, Instant};

use hrcoach::activity::open_session;
use hrcoach::coach::{Coach, CoachConfig};
use hrcoach::export::{Run, Sample};
use hrcoach::recording::Item;

const FILES: usize = 365;
const SECONDS: u64 = 3600;

/// One hour of easy running with a hill in the middle, different every day.
fn run_for(day: usize) -> Run {
    let samples = (0..SECONDS)
        .map(|s| {
            let t = s as f64;
            let wobble = ((t * 0.37 + day as f64).sin() * 3.0).round();
            let hill = if (1500..1900).contains(&s) { 20.0 } else { 0.0 };
            let bpm = (95.0 + 30.0 * (1.0 - (-t / 300.0).exp()) + hill + wobble) as u16;
            Sample {
                at: Duration::from_secs(s),
                bpm,
                zone: None,
                rejected: None,
                rr: Vec::new(),
                position: None,
                distance_m: Some(t * 2.8),
            }
        })
        .collect();
    Run {
        sport: hrcoach::activity::Sport::Running,
        start_ms: Some(1_735_718_400_000 + day as i64 * 86_400_000),
        samples,
        pauses: Vec::new(),
        alerts: Vec::new(),
        duration: Duration::from_secs(SECONDS - 1),
    }
}

fn generate(dir: &Path) -> Result<Vec<PathBuf>, Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    let mut files = Vec::new();
    for day in 0..FILES {
        let path = dir.join(format!("day-{day:03}.fit"));
        if !path.exists() {
            std::fs::write(&path, hrcoach::export::fit::write(&run_for(day))?)?;
        }
        files.push(path);
    }
    Ok(files)
}

fn peak_rss_kib() -> Option<u64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn report_in_process(
    files: &[PathBuf],
) -> Result<(Duration, u64, Vec<String>), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let mut samples = 0;
    let mut rss = Vec::new();
    for (i, path) in files.iter().enumerate() {
        let opened = open_session(path)?;
        let mut reader = opened.reader;
        let mut config = CoachConfig::new(185);
        config.max_gap = hrcoach::activity::IMPORTED_MAX_GAP;
        let mut coach = Coach::new(config);
        while let Some(item) = reader.next_item()? {
            if let Item::Event(e) = item {
                coach.step(e);
            }
        }
        samples += coach.summary().notifications;
        if [0, 9, 99, FILES - 1].contains(&i) {
            rss.push(format!(
                "after {} files {}",
                i + 1,
                peak_rss_kib().map_or("n/a".to_owned(), |k| format!("{k} KiB"))
            ));
        }
    }
    Ok((start.elapsed(), samples, rss))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    if !std::env::args().any(|a| a == "--bench") {
        return Ok(());
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("year-of-fit");
    let files = generate(&dir)?;
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "{} FIT files of one hour at 1 Hz, {:.1} MB in all",
        files.len(),
        bytes as f64 / 1e6
    );
    let mut times = Vec::new();
    let mut last_rss = Vec::new();
    for _ in 0..5 {
        let (elapsed, samples, rss) = report_in_process(&files)?;
        assert_eq!(samples, FILES as u64 * SECONDS);
        times.push(elapsed);
        last_rss = rss;
    }
    times.sort();
    println!(
        "in-process import + report of the year: median {:.3} s, best {:.3} s (5 runs), {:.1} M samples/s",
        times[2].as_secs_f64(),
        times[0].as_secs_f64(),
        (FILES as f64 * SECONDS as f64) / times[2].as_secs_f64() / 1e6
    );
    println!("in-process peak RSS: {}", last_rss.join(", "));

    let bin = env!("CARGO_BIN_EXE_hrcoach");
    for count in [1, FILES] {
        let (status, elapsed, peak) = run_with_peak_rss(
            Command::new(bin)
                .args(["report", "--json", "--max-hr", "185"])
                .args(&files[..count])
                .env("XDG_CONFIG_HOME", &dir),
        )?;
        if !status.success() {
            return Err(format!("hrcoach report failed: {status}").into());
        }
        println!(
            "hrcoach report --json, {count} files: {:.3} s wall, peak RSS {}",
            elapsed.as_secs_f64(),
            peak.map_or("n/a".to_owned(), |k| format!("{:.1} MB", k as f64 / 1024.0))
        );
    }
    let out = dir.join("imported");
    let _ = std::fs::remove_dir_all(&out);
    let (status, elapsed, peak) = run_with_peak_rss(
        Command::new(bin)
            .arg("import")
            .arg("--dir")
            .arg(&out)
            .args(&files),
    )?;
    if !status.success() {
        return Err(format!("hrcoach import failed: {status}").into());
    }
    println!(
        "hrcoach import, {FILES} files: {:.3} s wall, peak RSS {}",
        elapsed.as_secs_f64(),
        peak.map_or("n/a".to_owned(), |k| format!("{:.1} MB", k as f64 / 1024.0))
    );
    Ok(())
}
