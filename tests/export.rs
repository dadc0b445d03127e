//! `hrcoach export`: what other tools will read. TCX against Garmin's schema (lxml), FIT
//! through two decoders that are not ours (fitparser; Garmin's own Python SDK), GPX and CSV.
//!
//! lxml and Garmin's garmin-fit-sdk come from a venv the tests make themselves under
//! `target/` (tests/support/readers.rs); where it cannot be made, those checks say so in one
//! line and are skipped, except under CI.

mod common;
#[path = "support/readers.rs"]
mod readers;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{fixture, hrcoach, json_lines};

fn export(file: &Path, to: &str, out: &Path, args: &[&str]) -> String {
    let o = common::succeeds(
        &mut hrcoach()
            .arg("export")
            .arg(file)
            .args(["--to", to, "-o"])
            .arg(out)
            .args(args),
    );
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const SORE: [&str; 4] = ["--max-hr", "185", "--sore", "--fast"];

/// The alerts and trusted readings replay gives for the fixture, to compare exports with.
fn replayed(file: &Path) -> (Vec<(f64, String)>, Vec<u64>) {
    let lines = common::replay_json(file, &["--max-hr", "185", "--sore"]);
    let alerts = lines
        .iter()
        .filter(|l| l.get("alert").is_some())
        .map(|l| {
            (
                l["t_ms"].as_f64().expect("t_ms") / 1000.0,
                l["alert"].as_str().expect("kind").to_owned(),
            )
        })
        .collect();
    let bpm = lines
        .iter()
        .filter(|l| l.get("alert").is_none())
        .filter_map(|l| l.get("bpm").and_then(serde_json::Value::as_u64))
        .collect();
    (alerts, bpm)
}

/// Fails with the length and the first difference, not two thousand numbers.
#[track_caller]
fn same(ours: &[u64], expected: &[u64], what: &str) {
    if let Some(i) = ours.iter().zip(expected).position(|(a, b)| a != b) {
        panic!(
            "{what}: first difference at {i}: {:?} vs {:?}",
            &ours[i.saturating_sub(2)..(i + 3).min(ours.len())],
            &expected[i.saturating_sub(2)..(i + 3).min(expected.len())]
        );
    }
    assert_eq!(ours.len(), expected.len(), "{what}: lengths");
}

fn schema() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/schemas/TrainingCenterDatabasev2.xsd")
}

/// Validates each file against Garmin's TCX schema with lxml (libxml2's validator), through
/// `python`; returns lxml's complaints, empty when every file is valid.
fn schema_errors(python: &Path, files: &[PathBuf]) -> String {
    let script = r#"
import sys
from lxml import etree
schema = etree.XMLSchema(etree.parse(sys.argv[1]))
for f in sys.argv[2:]:
    if not schema.validate(etree.parse(f)):
        print(f, schema.error_log)
"#;
    let out = common::succeeds(
        &mut Command::new(python)
            .args(["-c", script])
            .arg(schema())
            .args(files),
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn tcx_validates_against_garmins_schema_for_strap_and_watch_runs() {
    let Some(python) = readers::python("TCX against Garmin's TrainingCenterDatabase v2 schema")
    else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let mut written = Vec::new();
    for (name, file) in [
        ("strap", fixture("sore-day-drift.jsonl")),
        ("link-drop", fixture("link-drop.jsonl")),
        ("fit", fixture("real/runpandas__run.fit")),
        ("gpx", fixture("real/runpandas__nike_run.gpx")),
        ("paused", fixture("source/fitparser__hrv-activity.fit")),
    ] {
        let out = dir.path().join(format!("{name}.tcx"));
        export(&file, "tcx", &out, &SORE[..3]);
        written.push(out);
    }
    assert_eq!(schema_errors(&python, &written), "");
    // The alerts are in the lap's notes, as the runner heard them.
    let text = std::fs::read_to_string(dir.path().join("strap.tcx")).expect("read");
    let (alerts, _) = replayed(&fixture("sore-day-drift.jsonl"));
    let notes = text
        .split("<Notes>")
        .nth(1)
        .and_then(|n| n.split("</Notes>").next())
        .expect("lap notes");
    assert_eq!(notes.lines().count(), alerts.len());
    assert!(
        notes.contains("[17:09] Just over your sore-day cap"),
        "{notes}"
    );
    // A watch file's pause splits the track, as watches write it.
    let paused = std::fs::read_to_string(dir.path().join("paused.tcx")).expect("read");
    assert_eq!(paused.matches("<Track>").count(), 2);
}

#[test]
fn a_schema_check_that_cannot_fail_is_no_check() {
    let Some(python) =
        readers::python("a TCX with its Lap fields swapped is refused by the schema")
    else {
        return;
    };
    // lxml must refuse a TCX with the Lap's required fields out of order.
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("run.tcx");
    export(
        &fixture("steady-easy.jsonl"),
        "tcx",
        &out,
        &["--max-hr", "185"],
    );
    let text = std::fs::read_to_string(&out).expect("read");
    let broken = text.replace(
        "<Intensity>Active</Intensity>\n        <TriggerMethod>Manual</TriggerMethod>",
        "<TriggerMethod>Manual</TriggerMethod>\n        <Intensity>Active</Intensity>",
    );
    assert_ne!(broken, text);
    std::fs::write(&out, broken).expect("write");
    let errors = schema_errors(&python, &[out]);
    assert!(errors.contains("TriggerMethod"), "{errors}");
}

struct FitContent {
    heart_rates: Vec<u64>,
    alerts: Vec<(u32, String, i64)>,
    file_type: String,
    beats: usize,
    has_session_lap_activity_device: bool,
}

/// Reads a FIT file with fitparser (not the crate hrcoach writes it with).
fn read_with_fitparser(file: &Path) -> FitContent {
    use fitparser::profile::MesgNum;
    let mut input = std::fs::File::open(file).expect("open");
    let records = fitparser::from_reader(&mut input).expect("fitparser reads the export");
    let field = |r: &fitparser::FitDataRecord, name: &str| {
        r.fields()
            .iter()
            .find(|f| f.name() == name)
            .map(|f| f.value().clone())
    };
    let mut c = FitContent {
        heart_rates: Vec::new(),
        alerts: Vec::new(),
        file_type: String::new(),
        beats: 0,
        has_session_lap_activity_device: false,
    };
    let mut kinds = std::collections::BTreeSet::new();
    let mut start = None;
    for r in &records {
        kinds.insert(format!("{:?}", r.kind()));
        match r.kind() {
            MesgNum::FileId => {
                c.file_type = field(r, "type").map(|v| v.to_string()).unwrap_or_default();
            }
            MesgNum::Record => {
                let t: i64 = field(r, "timestamp")
                    .and_then(|v| v.try_into().ok())
                    .expect("record timestamp");
                start.get_or_insert(t);
                if let Some(hr) = field(r, "heart_rate") {
                    let hr: i64 = hr.try_into().expect("a number");
                    c.heart_rates.push(u64::try_from(hr).expect("positive"));
                }
            }
            MesgNum::Event
                if field(r, "event").is_some_and(|v| v.to_string() == "hr_high_alert") =>
            {
                let t: i64 = field(r, "timestamp")
                    .and_then(|v| v.try_into().ok())
                    .expect("event timestamp");
                let data: i64 = field(r, "data")
                    .or_else(|| field(r, "hr_high_alert"))
                    .and_then(|v| v.try_into().ok())
                    .expect("the cap");
                let kind = field(r, "event_type")
                    .map(|v| v.to_string())
                    .unwrap_or_default();
                c.alerts.push((u32::try_from(data).expect("cap"), kind, t));
            }
            MesgNum::Hrv => {
                if let Some(fitparser::Value::Array(v)) = field(r, "time") {
                    c.beats += v.len();
                }
            }
            _ => {}
        }
    }
    c.has_session_lap_activity_device = ["Session", "Lap", "Activity", "DeviceInfo"]
        .iter()
        .all(|k| kinds.contains(*k));
    // Alert times relative to the first record.
    let start = start.unwrap_or(0);
    for a in &mut c.alerts {
        a.2 -= start;
    }
    c
}

#[test]
fn fit_reads_back_with_the_same_heart_rates_and_alert_events() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = fixture("sore-day-drift.jsonl");
    let out = dir.path().join("run.fit");
    export(&file, "fit", &out, &SORE[..3]);
    let c = read_with_fitparser(&out);
    let (alerts, bpm) = replayed(&file);
    assert_eq!(c.file_type, "activity");
    assert!(c.has_session_lap_activity_device);
    same(&c.heart_rates, &bpm, "every reading's heart rate, in order");
    assert_eq!(c.alerts.len(), alerts.len());
    let kinds: Vec<&str> = c.alerts.iter().map(|a| a.1.as_str()).collect();
    let expected: Vec<&str> = alerts
        .iter()
        .map(|(_, k)| match k.as_str() {
            "over_cap" => "start",
            "back_under" => "stop",
            _ => "marker",
        })
        .collect();
    assert_eq!(kinds, expected);
    for ((cap, _, t), (at, _)) in c.alerts.iter().zip(&alerts) {
        assert_eq!(*cap, 130, "the cap is the event's data");
        // Whole seconds in FIT, from the first record (at 1 s).
        assert!((*t as f64 - (at - 1.0)).abs() <= 1.0, "{t} vs {at}");
    }
    // RR intervals go out as hrv messages.
    assert!(c.beats > 2000, "{} beats", c.beats);
}

#[test]
fn a_missing_heart_rate_is_left_out_not_written_as_255() {
    // The fixture's strap sends 0 while it finds contact: no record may say 255 (or 0).
    let dir = tempfile::tempdir().expect("temp dir");
    let file = fixture("artifacts.jsonl");
    let out = dir.path().join("run.fit");
    export(&file, "fit", &out, &["--max-hr", "185"]);
    let c = read_with_fitparser(&out);
    let lines = common::replay_json(&file, &["--max-hr", "185"]);
    let sent: Vec<u64> = lines
        .iter()
        .filter(|l| l.get("alert").is_none())
        .filter_map(|l| l.get("bpm").and_then(serde_json::Value::as_u64))
        .collect();
    assert!(
        sent.iter().any(|&b| b == 0 || b > 240),
        "the fixture has some"
    );
    let plausible: Vec<u64> = sent
        .into_iter()
        .filter(|b| (25..=240).contains(b))
        .collect();
    same(&c.heart_rates, &plausible, "the plausible heart rates");
    assert!(!c.heart_rates.contains(&255));
}

#[test]
fn garmins_own_decoder_accepts_the_fit_file() {
    let Some(python) = readers::python("FIT through Garmin's own FIT SDK for Python") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let file = fixture("sore-day-drift.jsonl");
    let out = dir.path().join("run.fit");
    export(&file, "fit", &out, &SORE[..3]);
    let (alerts, bpm) = replayed(&file);
    let script = r#"
import json, sys
from garmin_fit_sdk import Decoder, Stream
d = Decoder(Stream.from_file(sys.argv[1]))
ok = d.is_fit() and d.check_integrity()
d = Decoder(Stream.from_file(sys.argv[1]))
messages, errors = d.read()
print(json.dumps({
    "ok": ok,
    "errors": [str(e) for e in errors],
    "hr": [r.get("heart_rate") for r in messages.get("record_mesgs", [])],
    "alerts": [e.get("data") for e in messages.get("event_mesgs", []) if e.get("event") == "hr_high_alert"],
    "sessions": len(messages.get("session_mesgs", [])),
    "file_type": messages["file_id_mesgs"][0].get("type"),
}))
"#;
    let o = common::succeeds(&mut Command::new(python).args(["-c", script]).arg(&out));
    let v = &json_lines(&o.stdout)[0];
    assert_eq!(v["ok"], true, "header and CRC as Garmin checks them");
    assert_eq!(v["errors"], serde_json::json!([]));
    assert_eq!(v["file_type"], "activity");
    assert_eq!(v["sessions"], 1);
    let hr: Vec<u64> = v["hr"]
        .as_array()
        .expect("hr")
        .iter()
        .map(|h| h.as_u64().expect("every record has a heart rate here"))
        .collect();
    same(&hr, &bpm, "Garmin's decoder: heart rates");
    assert_eq!(v["alerts"].as_array().map(Vec::len), Some(alerts.len()));
}

#[test]
fn gpx_needs_positions_and_carries_heart_rate_when_it_has_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("strap.gpx");
    let o = hrcoach()
        .arg("export")
        .arg(fixture("steady-easy.jsonl"))
        .args(["--to", "gpx", "-o"])
        .arg(&out)
        .args(["--max-hr", "185"])
        .output()
        .expect("run hrcoach");
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("GPX needs positions"));
    assert!(!out.exists());

    let out = dir.path().join("watch.gpx");
    export(&fixture("real/runpandas__run.fit"), "gpx", &out, &SORE[..3]);
    let text = std::fs::read_to_string(&out).expect("read");
    assert!(text.contains("<gpx version=\"1.1\""));
    let points = text.matches("<trkpt ").count();
    let rates = text.matches("<gpxtpx:hr>").count();
    // The watch had no GPS fix for its first 43 samples: from the first fix on, every one.
    assert_eq!(points, 1159);
    assert_eq!(rates, points);
    // The export reads back as the same heart rates.
    let back = dir.path().join("back.csv");
    export(&out, "csv", &back, &["--max-hr", "185"]);
    let original = dir.path().join("orig.csv");
    export(
        &fixture("real/runpandas__run.fit"),
        "csv",
        &original,
        &["--max-hr", "185"],
    );
    let column = |p: &Path| -> Vec<String> {
        std::fs::read_to_string(p)
            .expect("read")
            .lines()
            .map(|l| l.split(',').nth(2).unwrap_or("").to_owned())
            .collect()
    };
    let (back, original) = (column(&back), column(&original));
    assert_eq!(back.len(), points + 1);
    assert_eq!(back[1..], original[original.len() - points..]);
}

#[test]
fn csv_has_a_row_per_reading_with_why_it_was_not_trusted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("run.csv");
    export(
        &fixture("artifacts.jsonl"),
        "csv",
        &out,
        &["--max-hr", "185"],
    );
    let text = std::fs::read_to_string(&out).expect("read");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("t_s,time,bpm,zone,trusted,alert"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let replay = common::replay_json(&fixture("artifacts.jsonl"), &["--max-hr", "185"]);
    let samples: Vec<&serde_json::Value> =
        replay.iter().filter(|l| l.get("bpm").is_some()).collect();
    assert_eq!(rows.len(), samples.len());
    for (row, s) in rows.iter().zip(&samples) {
        assert_eq!(row.len(), 6);
        assert_eq!(row[2], s["bpm"].to_string());
        match s.get("rejected").and_then(serde_json::Value::as_str) {
            Some(why) => {
                assert_eq!(row[4], format!("no: {why}"));
                assert_eq!(row[3], "");
            }
            None => {
                assert_eq!(row[4], "yes");
                assert_eq!(row[3], s["zone"].to_string());
            }
        }
    }
    let alerts = rows.iter().filter(|r| !r[5].is_empty()).count();
    assert!(alerts == 0, "no cap, no alert");
}

#[test]
fn an_exported_run_reports_as_the_run_did() {
    // Out and back in through hrcoach's own reader: the same alerts, the same time in zone
    // (to the millisecond for TCX; FIT keeps whole seconds).
    let dir = tempfile::tempdir().expect("temp dir");
    let file = fixture("sore-day-drift.jsonl");
    let original = &common::report_json(&[&file], &SORE[..3])[0]["summary"];
    for (to, tolerance) in [("tcx", 0.001), ("fit", 1.0)] {
        let out = dir.path().join(format!("run.{to}"));
        export(&file, to, &out, &SORE[..3]);
        let back = &common::report_json(&[&out], &SORE[..3])[0]["summary"];
        assert_eq!(back["alerts"], original["alerts"], "{to}");
        assert_eq!(back["max_bpm"], original["max_bpm"], "{to}");
        let zones = |s: &serde_json::Value| -> Vec<f64> {
            s["time_in_zone_s"]
                .as_array()
                .expect("zones")
                .iter()
                .filter_map(serde_json::Value::as_f64)
                .collect()
        };
        for (b, o) in zones(back).iter().zip(zones(original)) {
            assert!((b - o).abs() <= tolerance, "{to}: {b} vs {o}");
        }
    }
}

/// The skip path of the reader checks, both ways, on this very test binary: with the readers
/// hidden (`HRCOACH_TEST_PYTHON` names no interpreter) a check prints its skip line and
/// passes; under `CI=true` it fails.
#[test]
fn a_reader_that_cannot_be_had_is_skipped_with_a_line_except_under_ci() {
    let me = std::env::current_exe().expect("this test binary");
    let run = |ci: bool| {
        let mut cmd = Command::new(&me);
        cmd.args(["--exact", "garmins_own_decoder_accepts_the_fit_file"])
            .env("HRCOACH_TEST_PYTHON", "/nonexistent/python3")
            .env_remove("CI");
        if ci {
            cmd.env("CI", "true");
        }
        let out = cmd.output().expect("run this test binary");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    };
    let (passed, text) = run(false);
    assert!(passed, "{text}");
    assert!(text.contains("1 passed"), "{text}");
    let skip = text
        .lines()
        .find(|l| l.starts_with("reader check skipped: FIT through Garmin's own FIT SDK"))
        .unwrap_or_else(|| panic!("no skip line in:\n{text}"));
    assert!(skip.contains("/nonexistent/python3"), "{skip}");
    assert!(
        skip.contains("apt-get install python3 python3-venv"),
        "{skip}"
    );

    let (passed, text) = run(true);
    assert!(
        !passed,
        "under CI=true a skipped reader check fails:\n{text}"
    );
    assert!(text.contains("CI=true: nothing may be skipped"), "{text}");
}
