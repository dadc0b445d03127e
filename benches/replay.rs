//! Replay throughput and memory: a generated 24-hour, 1 Hz recording of raw notifications with
//! RR intervals, through the whole pipeline with output disabled.
//!
//! Run with `cargo bench --bench replay`. Prints:
//! - samples per second in-process (reader + parser + coach + session loop, `Discard` output),
//!   best and median of several runs;
//! - the same through the real binary (`hrcoach replay FILE --fast --quiet --sore`), with its
//!   peak RSS: the highest `VmHWM` in /proc/PID/status, polled every millisecond while it runs.
//!   (`getrusage(RUSAGE_CHILDREN)` would be simpler but is wrong here: a spawned child inherits
//!   the high-water mark of the bench process it was forked from.)
//!
//! Targets (docs/performance.md): at least 1,000,000 samples/s, peak RSS at most 10 MB.

#![allow(missing_docs)]

#[path = "../tests/support/synth.rs"]
mod synth;

#[path = "../tests/support/peak_rss.rs"]
mod peak_rss;
use peak_rss::run_with_peak_rss;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use hrcoach::coach::alerts::CapSettings;
use hrcoach::coach::{Coach, CoachConfig};
use hrcoach::output::Discard;
use hrcoach::recording::{Header, RecordingReader, RecordingWriter};
use hrcoach::session;
use hrcoach::source::replay::{Pace, Replay};
use synth::Variation;

const SECONDS: u64 = 24 * 3600;
const RUNS: usize = 7;

fn generate(path: &Path) -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rr: Vec<u32> =
        std::fs::read_to_string(root.join("fixtures/source/hrv-activity-rr-ms.txt"))?
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .collect();
    let v = Variation::from_rr_millis(&rr, 7);
    // A day: sleep, a slow rise, a run well over the cap each "hour", recovery.
    let profile = |t: f64| {
        let hour = (t % 3600.0) / 3600.0;
        let base = 60.0 + 30.0 * (std::f64::consts::PI * t / 86_400.0).sin();
        if hour > 0.6 && hour < 0.8 {
            base + 80.0
        } else {
            base
        }
    };
    let file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut w = RecordingWriter::new(file, &Header::default())?;
    for e in synth::events(profile, Duration::from_secs(SECONDS), &v) {
        w.write(&e)?;
    }
    w.finish()?;
    Ok(())
}

fn config() -> CoachConfig {
    CoachConfig::new(185).with_cap(CapSettings::default())
}

fn replay_in_process(path: &Path) -> Result<(Duration, u64), Box<dyn std::error::Error>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let start = Instant::now();
        let reader = RecordingReader::open(path)?;
        let mut coach = Coach::new(config());
        let s = session::run(
            &mut Replay::new(reader, Pace::Fast),
            &mut coach,
            &mut Discard,
            std::future::pending(),
        )
        .await?;
        Ok((start.elapsed(), s.notifications))
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing we use. Only run
    // the full measurement when asked to bench, so `cargo test --all-targets` stays quick.
    if !std::env::args().any(|a| a == "--bench") {
        return Ok(());
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join("replay-24h.jsonl");
    generate(&path)?;
    let size = std::fs::metadata(&path)?.len();
    println!(
        "recording: {} ({} samples, {:.1} MB)",
        path.display(),
        SECONDS,
        size as f64 / 1e6
    );

    let mut rates = Vec::new();
    for _ in 0..RUNS {
        let (elapsed, n) = replay_in_process(&path)?;
        assert_eq!(n, SECONDS);
        rates.push(n as f64 / elapsed.as_secs_f64());
    }
    rates.sort_by(f64::total_cmp);
    println!(
        "in-process pipeline: median {:.0} samples/s, best {:.0} samples/s ({RUNS} runs)",
        rates[RUNS / 2],
        rates[RUNS - 1]
    );

    let bin = env!("CARGO_BIN_EXE_hrcoach");
    let (status, elapsed, peak) = run_with_peak_rss(
        Command::new(bin)
            .args(["replay", "--fast", "--quiet", "--sore", "--max-hr", "185"])
            .arg(&path),
    )?;
    if !status.success() {
        return Err(format!("hrcoach replay failed: {status}").into());
    }
    let rss = peak.map_or("n/a (no /proc)".to_owned(), |k| {
        format!("{:.1} MB ({k} KiB)", k as f64 / 1024.0)
    });
    println!(
        "hrcoach replay --fast --quiet: {:.3} s wall (process start included), {:.0} samples/s, peak RSS {rss}",
        elapsed.as_secs_f64(),
        SECONDS as f64 / elapsed.as_secs_f64(),
    );
    Ok(())
}
