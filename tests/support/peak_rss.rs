//! The peak RSS of a child process, for the benches (included with `#[path]`).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `cmd` to completion (stdout discarded), polling its peak RSS in KiB: the highest
/// `VmHWM` in /proc/PID/status, every millisecond. `None` without /proc. (`getrusage` of the
/// children would be simpler but is wrong here: a forked child inherits the high-water mark of
/// the bench process.)
pub fn run_with_peak_rss(
    cmd: &mut Command,
) -> std::io::Result<(std::process::ExitStatus, Duration, Option<u64>)> {
    let start = Instant::now();
    let mut child = cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn()?;
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak = None;
    loop {
        if let Ok(status) = std::fs::read_to_string(&status_path) {
            let hwm = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
            peak = peak.max(hwm);
        }
        if let Some(status) = child.try_wait()? {
            return Ok((status, start.elapsed(), peak));
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}
