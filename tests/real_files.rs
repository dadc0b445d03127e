//! Real watch files (fixtures/real, origin and licence in its README) through `import` and
//! `report`: does hrcoach count time in zone the way the watch did, and read every heart rate?

mod common;

use std::path::{Path, PathBuf};

use common::{fixture, hrcoach, json_lines};

/// What a FIT file's watch counted: seconds below zone 1, then zones 1-5, as stored in its
/// session `time_in_zone` message (fixtures/real/README.md).
struct Watch {
    file: &'static str,
    bounds: [u64; 5],
    seconds: [f64; 6],
}

const WATCHES: [Watch; 3] = [
    Watch {
        file: "real/runpandas__run.fit",
        bounds: [96, 115, 134, 153, 172],
        seconds: [4.984, 694.629, 1218.774, 918.109, 331.242, 0.0],
    },
    Watch {
        file: "real/sweat__4801048867.fit",
        bounds: [100, 120, 140, 160, 180],
        seconds: [40.001, 690.194, 3752.413, 678.994, 1.0, 0.0],
    },
    Watch {
        file: "source/fitparser__hrv-activity.fit",
        bounds: [99, 118, 138, 158, 177],
        seconds: [0.0, 0.0, 26.667, 649.287, 287.074, 102.577],
    },
];

fn import(file: &Path, dir: &Path) -> PathBuf {
    let out = common::succeeds(&mut hrcoach().arg("import").arg(file).arg("--dir").arg(dir));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let target = stderr
        .rsplit(" -> ")
        .next()
        .map(|s| PathBuf::from(s.trim()))
        .expect("import names the recording");
    assert!(target.is_file(), "{stderr}");
    target
}

fn report_json(file: &Path, args: &[&str]) -> serde_json::Value {
    let mut runs = common::report_json(&[file], args);
    assert_eq!(runs.len(), 1);
    runs.remove(0)
}

fn seconds_in_zones(report: &serde_json::Value) -> Vec<f64> {
    report["summary"]["time_in_zone_s"]
        .as_array()
        .expect("time_in_zone_s")
        .iter()
        .map(|v| v.as_f64().expect("a number"))
        .collect()
}

/// Within 1.5 % of the watch's figure, or 5 s for the smallest zones.
fn agrees(ours: f64, watch: f64) -> bool {
    (ours - watch).abs() <= (0.015 * watch).max(5.0)
}

#[test]
fn imported_fit_files_count_time_in_zone_as_the_watch_did() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut table = String::new();
    for w in &WATCHES {
        let recording = import(&fixture(w.file), dir.path());
        let report = report_json(&recording, &["--zones-from-file"]);
        let bounds: Vec<u64> = report["summary"]["zone_lower_bounds"]
            .as_array()
            .expect("bounds")
            .iter()
            .filter_map(serde_json::Value::as_u64)
            .collect();
        assert_eq!(bounds, w.bounds, "{}: the watch's own boundaries", w.file);
        let ours = seconds_in_zones(&report);
        table.push_str(&format!("{}:\n", w.file));
        for (z, (ours, watch)) in ours.iter().zip(w.seconds).enumerate() {
            table.push_str(&format!(
                "  Z{z} watch {watch:8.1} s, hrcoach {ours:8.1} s, {:+6.1} s\n",
                ours - watch
            ));
        }
        for (z, (ours, watch)) in ours.iter().zip(w.seconds).enumerate() {
            assert!(
                agrees(*ours, watch),
                "{}: zone {z}: hrcoach {ours} s, the watch {watch} s\n{table}",
                w.file
            );
        }
        // The FIT file itself reports the same, and carries the watch's own figures.
        let direct = report_json(&fixture(w.file), &["--zones-from-file"]);
        assert_eq!(seconds_in_zones(&direct), ours, "{}", w.file);
        let stored: Vec<f64> = direct["watch_time_in_zone"]["seconds"]
            .as_array()
            .expect("the watch's time in zone")
            .iter()
            .filter_map(serde_json::Value::as_f64)
            .take(6)
            .collect();
        for (a, b) in stored.iter().zip(w.seconds) {
            assert!((a - b).abs() < 0.001, "{}: stored {stored:?}", w.file);
        }
    }
    eprintln!("{table}");
}

#[test]
fn every_second_of_the_smart_recorded_run_is_counted() {
    // With a strap's 5 s limit the sparse file lost 627 s; the 30 s limit keeps all of it.
    let report = report_json(&fixture("real/runpandas__run.fit"), &["--zones-from-file"]);
    let counted = report["summary"]["counted_s"].as_f64().expect("counted");
    assert!(
        (counted - 3167.0).abs() < 5.0,
        "every second of the 3167 s run is counted: {counted}"
    );
    assert_eq!(report["summary"]["stale_gaps"], 0);
}

#[test]
fn zones_from_a_file_that_stores_none_is_refused_with_the_reason() {
    let out = hrcoach()
        .args(["report", "--zones-from-file"])
        .arg(fixture("real/fitparse__activity-small-fenix2-run.fit"))
        .output()
        .expect("run hrcoach");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "stores no zone boundaries (FIT files can, in time_in_zone or hr_zone messages): \
             drop the flag, or pass --zones LIST"
        ),
        "{stderr}"
    );
}

/// HR values and times read from the file's text with nothing but string search: an
/// independent reading to check hrcoach's readers against.
fn scan(text: &str, hr_open: &str, hr_close: &str, point: &str, time: &str) -> (Vec<f64>, f64) {
    let mut rates = Vec::new();
    let mut times = Vec::new();
    for chunk in text.split(point).skip(1) {
        let chunk = chunk
            .split(&format!("</{}", &point[1..]))
            .next()
            .unwrap_or("");
        let Some(hr) = chunk
            .split(hr_open)
            .nth(1)
            .and_then(|rest| rest.split(hr_close).next())
        else {
            continue;
        };
        let hr = hr.replace("<Value>", "").replace("</Value>", "");
        let hr = hr.trim_start_matches('>').trim();
        rates.push(hr.parse::<f64>().expect("a heart rate"));
        let t = chunk
            .split(&format!("<{time}>"))
            .nth(1)
            .and_then(|rest| rest.split(&format!("</{time}>")).next())
            .expect("a time");
        times.push(
            t.parse::<jiff::Timestamp>()
                .expect("RFC 3339")
                .as_millisecond(),
        );
    }
    let span = (times.iter().max().expect("times") - times.iter().min().expect("times")) as f64;
    (rates, span / 1000.0)
}

/// (min, mean, max, duration s) of the `bpm` lines of an imported recording.
fn imported_stats(recording: &Path) -> (f64, f64, f64, f64) {
    let text = std::fs::read_to_string(recording).expect("read the recording");
    let lines = json_lines(text.as_bytes());
    let samples: Vec<(f64, f64)> = lines
        .iter()
        .filter_map(|l| Some((l["t_ms"].as_f64()?, l["bpm"].as_f64()?)))
        .collect();
    let rates: Vec<f64> = samples.iter().map(|s| s.1).collect();
    let min = rates.iter().copied().fold(f64::INFINITY, f64::min);
    let max = rates.iter().copied().fold(0.0, f64::max);
    let mean = rates.iter().sum::<f64>() / rates.len() as f64;
    let span = samples.last().expect("samples").0 - samples[0].0;
    (min, mean, max, span / 1000.0)
}

#[test]
fn tcx_and_gpx_heart_rates_are_read_in_full() {
    let dir = tempfile::tempdir().expect("temp dir");
    // (file, independent min/mean/max/duration from fixtures/real/README.md, scan markers)
    let cases = [
        (
            "real/runpandas__2020-12-26T06_03_49-300_Running.tcx",
            (119.0, 155.5, 179.0, 2071.0),
            ("<HeartRateBpm", "</HeartRateBpm>", "<Trackpoint>", "Time"),
        ),
        (
            "real/sweat__3173437224.tcx",
            (45.0, 130.8, 168.0, 3904.0),
            ("<HeartRateBpm", "</HeartRateBpm>", "<Trackpoint>", "Time"),
        ),
        (
            "real/runpandas__nike_run.gpx",
            (132.0, 177.8, 192.0, 3159.0),
            ("<gpxtpx:hr>", "</gpxtpx:hr>", "<trkpt", "time"),
        ),
    ];
    for (file, (min, mean, max, duration), (open, close, point, time)) in cases {
        let text = std::fs::read_to_string(fixture(file)).expect("read");
        let (rates, span) = scan(&text, open, close, point, time);
        let scanned_mean = rates.iter().sum::<f64>() / rates.len() as f64;
        let recording = import(&fixture(file), dir.path());
        let (our_min, our_mean, our_max, our_span) = imported_stats(&recording);
        assert_eq!((our_min, our_max), (min, max), "{file}");
        assert!((our_mean - mean).abs() < 0.05, "{file}: mean {our_mean}");
        assert!((our_mean - scanned_mean).abs() < 1e-9, "{file}");
        // The README's durations are in whole seconds; the GPX has sub-second times.
        assert!((our_span - duration).abs() < 1.0, "{file}: {our_span} s");
        assert!((our_span - span).abs() < 1e-9, "{file}");
    }
}

#[test]
fn fit_heart_rates_and_rr_match_an_independent_decoder() {
    use fitparser::profile::MesgNum;
    let dir = tempfile::tempdir().expect("temp dir");
    let file = fixture("source/fitparser__hrv-activity.fit");
    let mut bytes = std::fs::File::open(&file).expect("open");
    let records = fitparser::from_reader(&mut bytes).expect("fitparser reads it");
    let mut rates = Vec::new();
    let mut beats = 0;
    for r in &records {
        match r.kind() {
            MesgNum::Record => {
                if let Some(f) = r.fields().iter().find(|f| f.name() == "heart_rate") {
                    let hr: Result<f64, _> = f.value().clone().try_into();
                    rates.push(hr.expect("a number"));
                }
            }
            MesgNum::Hrv => {
                for f in r.fields().iter().filter(|f| f.name() == "time") {
                    if let fitparser::Value::Array(values) = f.value() {
                        beats += values
                            .iter()
                            .filter(|v| {
                                let s: Result<f64, _> = (*v).clone().try_into();
                                s.is_ok_and(|s| s < 65.0)
                            })
                            .count();
                    }
                }
            }
            _ => {}
        }
    }
    let recording = import(&file, dir.path());
    let text = std::fs::read_to_string(&recording).expect("read");
    let lines = json_lines(text.as_bytes());
    let ours: Vec<f64> = lines.iter().filter_map(|l| l["bpm"].as_f64()).collect();
    let our_beats: usize = lines
        .iter()
        .filter_map(|l| l["rr"].as_array().map(Vec::len))
        .sum();
    // The two seconds paused (timer stop and start) hold no record.
    assert_eq!(ours, rates, "the same heart rates, in order");
    assert_eq!(our_beats, beats, "every beat-to-beat interval");
    assert_eq!(beats, 2705);
    assert!(
        lines[0]["start"]
            .as_str()
            .is_some_and(|s| s.starts_with("2022-02-07"))
    );
}
