//! The peak RSS of a child process, for the benches (included with `#[path]`).

#![allow(dead_code)] // each bench uses a different part

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

/// CPU time (utime + stime, in 10 ms ticks: USER_HZ on Linux) and peak RSS (VmHWM, KiB) of a
/// running process, from /proc; `None` once it has gone.
pub fn cpu_and_peak(pid: u32) -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let hwm = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())?;
    Some((ticks, hwm))
}
