//! btleplug for real, against a fake BlueZ on a private D-Bus bus (tests/fake_bluez).

mod common;
mod fake_bluez;

use common::hrcoach;
use fake_bluez::{Device, FakeBluez, Options};
use predicates::prelude::*;

fn with_bus(fake: &FakeBluez) -> assert_cmd::Command {
    let mut cmd = hrcoach();
    cmd.env("DBUS_SYSTEM_BUS_ADDRESS", &fake.address);
    cmd.timeout(std::time::Duration::from_secs(60));
    cmd
}

#[test]
fn scan_finds_the_strap_and_not_the_headphones() {
    let fake = FakeBluez::start(Options {
        devices: vec![
            Device::strap("Polar H10 FAKE01", "A0:9E:1A:00:00:01"),
            Device::other("Headphones", "11:22:33:44:55:66"),
        ],
        ..Options::default()
    });
    let out = with_bus(&fake)
        .args(["scan", "--timeout", "1s", "--json"])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stdout: {stdout}\nstderr: {stderr}");
    let lines = common::json_lines(&out.stdout);
    assert_eq!(lines.len(), 1, "{stdout}");
    assert_eq!(lines[0]["name"], "Polar H10 FAKE01");
    assert_eq!(lines[0]["address"], "A0:9E:1A:00:00:01");
    assert_eq!(lines[0]["rssi"], -58);
}

#[test]
fn no_bluez_no_adapter_and_adapter_off_each_say_so() {
    let fake = FakeBluez::without_bluez();
    with_bus(&fake)
        .args(["scan", "--timeout", "1s"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("BlueZ is not running"));

    let fake = FakeBluez::start(Options {
        adapter: false,
        ..Options::default()
    });
    with_bus(&fake)
        .args(["scan", "--timeout", "1s"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no Bluetooth adapter found"));

    let fake = FakeBluez::start(Options {
        powered: false,
        ..Options::default()
    });
    with_bus(&fake)
        .args(["scan", "--timeout", "1s"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("powered off"));
}

/// The first `n` notifications of a fixture, as raw payloads.
fn payloads(fixture: &str, n: usize) -> Vec<Vec<u8>> {
    let text = std::fs::read_to_string(common::fixture(fixture)).expect("fixture");
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["hrm"].as_str().map(str::to_owned))
        .take(n)
        .map(|h| hrcoach::recording::from_hex(&h).expect("hex"))
        .collect()
}

fn hrm_lines(path: &std::path::Path) -> usize {
    std::fs::read_to_string(path)
        .expect("recording")
        .lines()
        .filter(|l| l.contains("\"hrm\""))
        .count()
}

#[test]
fn live_records_every_notification_and_the_recording_replays_to_the_same_summary() {
    let fake = FakeBluez::start(Options {
        notifications: payloads("steady-easy.jsonl", 20),
        interval: std::time::Duration::from_millis(100),
        ..Options::default()
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = dir.path().join("live.jsonl");
    let out = with_bus(&fake)
        .env("XDG_DATA_HOME", dir.path())
        .args([
            "live",
            "--scan-timeout",
            "1s",
            "--duration",
            "4s",
            "--json",
            "--max-hr",
            "185",
        ])
        .arg("--record")
        .arg(&rec)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(fake.sent(), 20, "the fake sent its whole script");
    assert_eq!(hrm_lines(&rec), 20, "every notification recorded");
    let live = common::json_lines(&out.stdout);
    let replayed = common::replay_json(&rec, &["--max-hr", "185"]);
    let summary = |l: &[serde_json::Value]| l.last().expect("summary")["summary"].clone();
    assert_eq!(summary(&replayed), summary(&live));
    assert_eq!(summary(&live)["notifications"], 20);
    assert_eq!(summary(&live)["battery"], 87, "battery read at connect");
    // The strap is remembered for next time.
    let remembered =
        std::fs::read_to_string(dir.path().join("hrcoach").join("last-strap")).expect("last-strap");
    assert_eq!(remembered.trim(), "A0:9E:1A:00:00:01");
}
