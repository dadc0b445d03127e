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
