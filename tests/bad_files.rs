//! Watch files that are not what they claim, through `report`, `replay`, `import` and
//! `export`: each says which file and what is wrong, exits non-zero, never panics, and keeps
//! memory bounded.

mod common;

use std::path::{Path, PathBuf};

use common::{fixture, hrcoach};
use predicates::prelude::*;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write");
    p
}

/// Every command that reads a file refuses `file` with `message`, naming it, without a panic.
#[track_caller]
fn refused(file: &Path, message: &str) {
    let name = file
        .file_name()
        .expect("a name")
        .to_string_lossy()
        .into_owned();
    for args in [
        vec!["report"],
        vec!["replay", "--fast"],
        vec!["export", "--to", "csv", "-o", "/dev/null"],
    ] {
        hrcoach()
            .args(&args)
            .arg(file)
            .args(["--max-hr", "185"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(&name))
            .stderr(predicate::str::contains(message))
            .stderr(predicate::str::contains("panicked").not());
    }
}

fn real_fit() -> Vec<u8> {
    std::fs::read(fixture("real/runpandas__run.fit")).expect("read")
}

#[test]
fn a_fit_file_with_a_changed_byte_fails_its_checksum() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut bytes = real_fit();
    bytes[5000] ^= 0xFF;
    refused(
        &write(dir.path(), "changed.fit", &bytes),
        "FIT checksum mismatch",
    );
}

#[test]
fn a_fit_file_cut_mid_record_is_truncated() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bytes = real_fit();
    for cut in [20, 1000, 30_001, bytes.len() - 1] {
        let file = write(dir.path(), &format!("cut-{cut}.fit"), &bytes[..cut]);
        refused(&file, "cut short");
    }
}

#[test]
fn a_file_named_fit_without_the_fit_header_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(
        dir.path(),
        "photo.fit",
        b"\x89PNG\r\n\x1a\n not a fit file at all",
    );
    refused(&file, "no .FIT signature");
}

#[test]
fn tcx_that_is_not_xml_or_not_tcx_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    refused(
        &write(dir.path(), "notes.tcx", b"Ran 5k today, felt fine"),
        "not XML",
    );
    refused(
        &write(
            dir.path(),
            "page.tcx",
            b"<?xml version=\"1.0\"?><html><body/></html>",
        ),
        "neither TCX",
    );
    refused(
        &write(
            dir.path(),
            "cut.tcx",
            b"<?xml version=\"1.0\"?><TrainingCenterDatabase><Activities><Activity><Lap><Track><Trackpoint><Time>2020",
        ),
        "cut short",
    );
    refused(
        &write(
            dir.path(),
            "broken.tcx",
            b"<?xml version=\"1.0\"?><TrainingCenterDatabase><Activities></Lap></TrainingCenterDatabase>",
        ),
        "not well-formed XML",
    );
}

#[test]
fn gpx_without_heart_rate_or_points_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let no_hr = br#"<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
<trkpt lat="48.1" lon="11.5"><time>2024-05-01T07:00:00Z</time></trkpt>
<trkpt lat="48.1" lon="11.5"><time>2024-05-01T07:00:05Z</time></trkpt>
</trkseg></trk></gpx>"#;
    refused(
        &write(dir.path(), "walk.gpx", no_hr),
        "no heart rate: 2 track points, none with a gpxtpx:hr",
    );
    refused(
        &write(
            dir.path(),
            "empty.gpx",
            b"<?xml version=\"1.0\"?><gpx version=\"1.1\"><trk><trkseg></trkseg></trk></gpx>",
        ),
        "no samples",
    );
}

#[test]
fn an_empty_file_a_directory_and_a_huge_file_are_refused_before_reading() {
    let dir = tempfile::tempdir().expect("temp dir");
    refused(&write(dir.path(), "empty.fit", b""), "empty file (0 bytes)");
    let sub = dir.path().join("runs.fit");
    std::fs::create_dir(&sub).expect("mkdir");
    refused(&sub, "a directory");
    // 1 GB without writing 1 GB: a sparse file.
    let big = dir.path().join("huge.fit");
    let f = std::fs::File::create(&big).expect("create");
    f.set_len(1024 * 1024 * 1024).expect("set_len");
    refused(&big, "1.0 GB is too large for an activity file");
}

#[test]
fn a_missing_file_is_named_with_the_reason_said_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("missing.fit");
    refused(&missing, "cannot read");
    for args in [vec!["report"], vec!["replay", "--fast"], vec!["import"]] {
        let o = hrcoach()
            .args(&args)
            .arg(&missing)
            .output()
            .expect("run hrcoach");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(
            stderr.matches("No such file or directory").count(),
            1,
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.contains("missing.fit: No such file"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn import_goes_on_past_a_bad_file_and_reports_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = write(dir.path(), "bad.tcx", b"not xml");
    let out = dir.path().join("out");
    let o = common::exits(
        &mut hrcoach()
            .arg("import")
            .arg(&bad)
            .arg(fixture("real/runpandas__nike_run.gpx"))
            .arg("--dir")
            .arg(&out),
        1,
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("bad.tcx: named .tcx, but not XML"),
        "{stderr}"
    );
    assert!(stderr.contains("1 of 2 files not imported"), "{stderr}");
    // The good one was imported all the same.
    let made: Vec<_> = std::fs::read_dir(&out).expect("dir").flatten().collect();
    assert_eq!(made.len(), 1, "{stderr}");
    assert!(
        made[0]
            .file_name()
            .to_string_lossy()
            .ends_with("-runpandas__nike_run.jsonl")
    );
}

#[test]
fn a_timestamp_centuries_off_is_refused_not_imported_as_a_run_nothing_reads() {
    // Found by fuzzing: such an activity became a recording the reader then refused.
    let dir = tempfile::tempdir().expect("temp dir");
    let text = br#"<?xml version="1.0"?><TrainingCenterDatabase><Activities><Activity Sport="Running"><Id>2020-01-01T00:00:00Z</Id><Lap StartTime="2020-01-01T00:00:00Z"><Track>
<Trackpoint><Time>2020-01-01T00:00:00Z</Time><HeartRateBpm><Value>120</Value></HeartRateBpm></Trackpoint>
<Trackpoint><Time>2220-01-01T00:01:00Z</Time><HeartRateBpm><Value>125</Value></HeartRateBpm></Trackpoint>
</Track></Lap></Activity></Activities></TrainingCenterDatabase>"#;
    refused(
        &write(dir.path(), "glitch.tcx", text),
        "its times run from 2020-01-01 to 2220-01-01: more than 30 days",
    );
}

#[test]
fn report_goes_on_past_a_bad_file_among_several() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = write(
        dir.path(),
        "bad.gpx",
        b"<gpx version=\"1.1\"><trk><trkseg></trkseg></trk></gpx>",
    );
    let o = common::exits(
        &mut hrcoach()
            .args(["report", "--json", "--max-hr", "185"])
            .arg(fixture("steady-easy.jsonl"))
            .arg(&bad)
            .arg(fixture("sore-day-drift.jsonl")),
        1,
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("bad.gpx: no samples"), "{stderr}");
    assert!(
        stderr.contains("1 of 3 files could not be reported on"),
        "{stderr}"
    );
    assert_eq!(
        common::json_lines(&o.stdout).len(),
        2,
        "the other two are reported"
    );
}
