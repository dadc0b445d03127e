//! The live views against the fake BlueZ (issue 21's figures, docs/performance.md):
//!
//! 1. `live --serve` for 60 s at one notification a second with the page open in headless
//!    Chromium: the latency from each notification (the fake's send time) to the page's DOM
//!    (a MutationObserver on `#bpm`, `Date.now()`: the same wall clock), and hrcoach's peak
//!    RSS and CPU time.
//! 2. `live --tui` under tmux, 60 notifications at four a second: the latency from each
//!    notification to the screen (tmux's pane read every few milliseconds, the big digits
//!    recognised).
//!
//! Run with `cargo bench --bench views` (about 2 minutes; needs chromium, chromium-driver and
//! tmux). Targets: 95th percentile under 100 ms to both; peak RSS ≤ 12 MB; CPU ≤ 0.1 s a
//! minute with a page connected.

#![allow(missing_docs)]

#[path = "../tests/support/browser.rs"]
mod browser;
#[path = "../tests/fake_bluez/mod.rs"]
mod fake_bluez;
#[path = "../tests/support/peak_rss.rs"]
mod peak_rss;

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use fake_bluez::{FakeBluez, Options};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Notifications whose bpm changes at each one: 121, 122, 123, 122, 121...
fn wobble(n: usize) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| vec![0x06, 121 + [0u8, 1, 2, 1][i % 4]])
        .collect()
}

fn epoch_ms(t: SystemTime) -> f64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// hrcoach live against `fake`, with `args`; its data in `dir`.
fn live(fake: &FakeBluez, dir: &std::path::Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hrcoach"));
    cmd.env("DBUS_SYSTEM_BUS_ADDRESS", &fake.address)
        .env("XDG_DATA_HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .env("HOME", dir)
        // As benches/live.rs: no backtrace of bluez-async's exit panic on busd.
        .env("RUST_BACKTRACE", "0")
        .args(["live", "--scan-timeout", "1s", "--max-hr", "185", "--sore"])
        .arg("--record")
        .arg(dir.join("bench.jsonl"))
        .args(args);
    cmd
}

/// Latencies in ms: for each notification whose bpm differs from the one before, the first
/// time after it was sent that the view showed that bpm.
fn latencies(sent: &[(f64, String)], shown: &[(f64, String)]) -> Vec<f64> {
    let mut out = Vec::new();
    for (i, (at, bpm)) in sent.iter().enumerate() {
        if i > 0 && sent[i - 1].1 == *bpm {
            continue;
        }
        let next_sent = sent.get(i + 1).map_or(f64::MAX, |n| n.0);
        if let Some((t, _)) = shown
            .iter()
            .find(|(t, b)| *t >= *at && b == bpm && *t < next_sent + 1000.0)
        {
            out.push(t - at);
        }
    }
    out
}

/// Each notification the fake sent: when (ms since the epoch) and its bpm.
fn sent(fake: &FakeBluez, payloads: &[Vec<u8>]) -> Vec<(f64, String)> {
    fake.sent_at()
        .into_iter()
        .zip(payloads)
        .map(|(t, p)| (epoch_ms(t), p[1].to_string()))
        .collect()
}

fn percentiles(mut v: Vec<f64>) -> String {
    if v.is_empty() {
        return "no samples".to_owned();
    }
    v.sort_by(f64::total_cmp);
    let at = |p: f64| v[((v.len() as f64 - 1.0) * p).round() as usize];
    format!(
        "n {}, median {:.1} ms, 95th percentile {:.1} ms, max {:.1} ms",
        v.len(),
        at(0.5),
        at(0.95),
        at(1.0)
    )
}

fn page_url(child: &mut Child) -> Result<String> {
    let stderr = child.stderr.take().ok_or("stderr")?;
    let mut lines = BufReader::new(stderr).lines();
    for line in lines.by_ref() {
        let line = line?;
        if line.starts_with("http://") {
            std::thread::spawn(move || for _ in lines {});
            return Ok(line);
        }
    }
    Err("no page address".into())
}

fn page() -> Result<()> {
    let Some(browser) = browser::Browser::start() else {
        return Err("no chromium".into());
    };
    let payloads = wobble(70);
    let fake = FakeBluez::start(Options {
        notifications: payloads.clone(),
        interval: Duration::from_secs(1),
        ..Options::default()
    });
    let dir = tempfile::tempdir()?;
    let port = browser::free_port();
    let mut child = live(&fake, dir.path(), &["--quiet", "--duration", "62s"])
        .args(["--serve", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let url = page_url(&mut child)?;
    browser.open(&url);
    browser.eval(
        "window.__seen = []; const e = document.getElementById('bpm');
         new MutationObserver(() => window.__seen.push([Date.now(), e.textContent]))
           .observe(e, {childList: true, characterData: true, subtree: true}); return 0;",
    );
    let start = Instant::now();
    let mut last = None;
    let mut timeline: Vec<(
        Duration,
        serde_json::Value,
        serde_json::Value,
        serde_json::Value,
    )> = Vec::new();
    let mut dropped: Option<Instant> = None;
    while child.try_wait()?.is_none() {
        if let Some(s) = peak_rss::cpu_and_peak(child.id()) {
            last = Some(s);
        }
        // A 10 s drop of the strap at the 35th notification: what the page shows, every
        // half second, from the drop until 14 s after it.
        if dropped.is_none() && fake.sent() >= 35 {
            fake.drop_link();
            dropped = Some(Instant::now());
        }
        if let Some(at) = dropped {
            let since = at.elapsed();
            if since >= Duration::from_secs(10) {
                fake.restore();
            }
            if since <= Duration::from_secs(14)
                && timeline
                    .last()
                    .is_none_or(|(t, ..)| since - *t >= Duration::from_millis(500))
            {
                let shown = browser.eval(
                    "const b = document.getElementById('bpm'); \
                     return [b.textContent, b.classList.contains('stale'), \
                             document.getElementById('link').textContent];",
                );
                timeline.push((since, shown[0].clone(), shown[1].clone(), shown[2].clone()));
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let wall = start.elapsed();
    let (ticks, hwm) = last.ok_or("no /proc samples")?;
    let shown: Vec<(f64, String)> = browser
        .eval("return window.__seen;")
        .as_array()
        .ok_or("no DOM log")?
        .iter()
        .filter_map(|v| Some((v[0].as_f64()?, v[1].as_str()?.to_owned())))
        .collect();
    let sent = sent(&fake, &payloads);
    let cpu_s = ticks as f64 / 100.0;
    println!(
        "live --serve, page open in headless Chromium, {:.0} s wall, {} notifications:\n  \
         notification → page DOM: {}\n  CPU {cpu_s:.2} s ({:.3} s a minute of run), peak RSS {:.1} MB",
        wall.as_secs_f64(),
        sent.len(),
        percentiles(latencies(&sent, &shown)),
        cpu_s / wall.as_secs_f64() * 60.0,
        hwm as f64 / 1024.0
    );
    println!(
        "  a 10 s drop of the strap, as the page showed it (s after the drop: #bpm, greyed, #link):"
    );
    for (t, bpm, stale, link) in timeline {
        println!("    {:>5.1}  {bpm} {stale} {link}", t.as_secs_f64());
    }
    Ok(())
}

fn tui() -> Result<()> {
    let socket = format!("hrcoach-bench-{}", std::process::id());
    let tmux = |args: &[&str]| -> Result<String> {
        let out = Command::new("tmux")
            .args(["-L", &socket])
            .args(args)
            .output()?;
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let payloads = wobble(60);
    let fake = FakeBluez::start(Options {
        notifications: payloads.clone(),
        interval: Duration::from_millis(250),
        ..Options::default()
    });
    let dir = tempfile::tempdir()?;
    let cmd = live(&fake, dir.path(), &["--tui", "--duration", "25s"]);
    let line = std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| format!("'{}'", a.to_string_lossy()))
        .collect::<Vec<_>>()
        .join(" ");
    let envs = cmd
        .get_envs()
        .filter_map(|(k, v)| {
            Some(format!(
                "{}='{}'",
                k.to_string_lossy(),
                v?.to_string_lossy()
            ))
        })
        .collect::<Vec<_>>()
        .join(" ");
    tmux(&["new-session", "-d", "-s", "b", "-x", "90", "-y", "30"])?;
    tmux(&[
        "send-keys",
        "-t",
        "b",
        &format!("env {envs} {line}; exit"),
        "Enter",
    ])?;
    let candidates: Vec<(String, [String; 5])> = (121..=123u16)
        .map(|b| (b.to_string(), hrcoach::tui::big(&b.to_string())))
        .collect();
    let mut shown = Vec::new();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        let screen = tmux(&["capture-pane", "-p", "-t", "b"])?;
        let now = epoch_ms(SystemTime::now());
        let rows: Vec<&str> = screen.lines().collect();
        for (bpm, big) in &candidates {
            let here = rows
                .windows(5)
                .any(|w| w.iter().zip(big).all(|(r, g)| r.starts_with(g.trim_end())));
            if here && shown.last().is_none_or(|(_, b): &(f64, String)| b != bpm) {
                shown.push((now, bpm.clone()));
            }
        }
        if fake.sent() >= payloads.len() {
            break;
        }
    }
    let _ = tmux(&["kill-server"]);
    let sent = sent(&fake, &payloads);
    println!(
        "live --tui under tmux, {} notifications, 4 a second:\n  notification → screen: {} \
         (tmux's pane read in a loop: each read adds a few ms)",
        sent.len(),
        percentiles(latencies(&sent, &shown))
    );
    Ok(())
}

fn main() -> Result<()> {
    if !std::env::args().any(|a| a == "--bench") {
        return Ok(());
    }
    page()?;
    tui()
}
