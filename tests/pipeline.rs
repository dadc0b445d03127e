//! The library end to end: fixtures through the session loop, recordings written and read
//! back, and the fixtures themselves checked against their generator.

mod common;

#[allow(dead_code)] // its `main` is for `cargo run --example make_fixtures`
#[path = "../examples/make_fixtures.rs"]
mod make_fixtures;

use make_fixtures::synth; // the fixtures' own simulator

use std::io::BufReader;
use std::path::Path;
use std::time::Duration;

use hrcoach::coach::alerts::{AlertKind, CapSettings};
use hrcoach::coach::summary::Summary;
use hrcoach::coach::{Coach, CoachConfig};
use hrcoach::event::Event;
use hrcoach::output::Discard;
use hrcoach::recording::{Header, Item, RecordingReader, RecordingWriter};
use hrcoach::session;
use hrcoach::source::EventList;
use hrcoach::source::replay::{Pace, Replay};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn sore_config() -> CoachConfig {
    CoachConfig::new(185).with_cap(CapSettings::default())
}

fn read_events(path: &Path) -> Result<Vec<Event>, Box<dyn std::error::Error>> {
    let mut r = RecordingReader::open(path)?;
    let mut events = Vec::new();
    while let Some(item) = r.next_item()? {
        if let Item::Event(e) = item {
            events.push(e);
        }
    }
    Ok(events)
}

async fn replay_file(
    path: &Path,
    config: CoachConfig,
) -> Result<Summary, Box<dyn std::error::Error>> {
    let reader = RecordingReader::open(path)?;
    let mut source = Replay::new(reader, Pace::Fast);
    let mut coach = Coach::new(config);
    Ok(session::run(
        &mut source,
        &mut coach,
        &mut Discard,
        std::future::pending(),
    )
    .await?)
}

#[test]
fn committed_fixtures_are_what_the_generator_writes() -> TestResult {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, text) in make_fixtures::build_all(root)? {
        let committed = std::fs::read_to_string(root.join("fixtures").join(&name))?;
        assert!(
            committed == text,
            "fixtures/{name} differs from its generator: run `cargo run --example make_fixtures`"
        );
    }
    Ok(())
}

#[tokio::test]
async fn a_recording_written_by_the_recorder_replays_to_the_same_summary() -> TestResult {
    // What `live --record` will do: every event through the writer, then replay the file.
    let original = common::fixture("sore-day-drift.jsonl");
    let events = read_events(&original)?;
    let dir = tempfile::tempdir()?;
    let copy = dir.path().join("copy.jsonl");
    let mut w = RecordingWriter::new(std::fs::File::create(&copy)?, &Header::default())?;
    for e in &events {
        w.write(e)?;
    }
    w.finish()?;

    let a = replay_file(&original, sore_config()).await?;
    let b = replay_file(&copy, sore_config()).await?;
    assert_eq!(a, b);
    assert!(!a.alerts.is_empty());
    Ok(())
}

#[tokio::test]
async fn every_source_gives_the_same_result() -> TestResult {
    // The same events from a recording and from a plain list: one pipeline, one answer.
    let path = common::fixture("link-drop.jsonl");
    let from_file = replay_file(&path, sore_config()).await?;
    let mut coach = Coach::new(sore_config());
    let from_list = session::run(
        &mut EventList::new(read_events(&path)?),
        &mut coach,
        &mut Discard,
        std::future::pending(),
    )
    .await?;
    assert_eq!(from_file, from_list);
    Ok(())
}

#[tokio::test]
async fn drift_is_alerted_soon_after_the_dwell_and_cleared_once() -> TestResult {
    let s = replay_file(&common::fixture("sore-day-drift.jsonl"), sore_config()).await?;
    let over: Vec<_> = s
        .alerts
        .iter()
        .filter(|a| a.kind == AlertKind::OverCap)
        .collect();
    let back: Vec<_> = s
        .alerts
        .iter()
        .filter(|a| a.kind == AlertKind::BackUnder)
        .collect();
    assert_eq!((over.len(), back.len()), (1, 1));
    // Dwell is 20 s; readings come about once a second.
    assert!(over[0].over_for >= Duration::from_secs(20));
    assert!(over[0].over_for <= Duration::from_secs(22));
    assert!(back[0].at > over[0].at);
    assert_eq!(s.time_in_zone.iter().sum::<Duration>(), s.counted);
    Ok(())
}

#[tokio::test]
async fn a_large_recording_streams_through_a_buffered_reader() -> TestResult {
    // 3 hours at 1 Hz, read from an in-memory buffer: checks the reader handles length.
    let v = synth::Variation::none();
    let events = synth::events(|_| 125.0, Duration::from_secs(3 * 3600), &v);
    let mut w = RecordingWriter::new(Vec::new(), &Header::default())?;
    for e in &events {
        w.write(e)?;
    }
    let bytes = w.finish()?;
    let reader = RecordingReader::new(BufReader::new(bytes.as_slice()), "mem")?;
    let mut coach = Coach::new(sore_config());
    let s = session::run(
        &mut Replay::new(reader, Pace::Fast),
        &mut coach,
        &mut Discard,
        std::future::pending(),
    )
    .await?;
    assert_eq!(s.notifications, 3 * 3600);
    assert_eq!(s.counted, Duration::from_secs(3 * 3600 - 1));
    Ok(())
}

/// Issue 19: the Snapshot a live view reads follows the run: over the cap and since when, the
/// last cue, and at the end the whole session's time over the cap, through the same session
/// loop a run uses. A reader sees it through the watch channel while the run goes on.
#[tokio::test]
async fn the_snapshot_follows_the_run() -> TestResult {
    use hrcoach::output::Output;
    use hrcoach::output::snapshot::{Publish, Snapshot};

    /// Publishes, and after each update notes what a reader of the channel sees.
    struct Watch {
        publish: Publish,
        reader: tokio::sync::watch::Receiver<Snapshot>,
        seen: Vec<Snapshot>,
    }
    impl Output for Watch {
        fn update(&mut self, u: &hrcoach::coach::Update) -> std::io::Result<()> {
            self.publish.update(u)?;
            self.seen.push(self.reader.borrow_and_update().clone());
            Ok(())
        }
        fn warning(&mut self, w: &str) -> std::io::Result<()> {
            self.publish.warning(w)
        }
        fn finish(&mut self, s: &Summary) -> std::io::Result<()> {
            self.publish.finish(s)
        }
    }

    let mut coach = Coach::new(sore_config());
    let (publish, reader) = Publish::new(coach.cap_bpm(), Some("easy run".to_owned()));
    let late = publish.subscribe();
    let mut watch = Watch {
        publish,
        reader,
        seen: Vec::new(),
    };
    let reader = RecordingReader::open(&common::fixture("sore-day-drift.jsonl"))?;
    let summary = session::run(
        &mut Replay::new(reader, Pace::Fast),
        &mut coach,
        &mut watch,
        std::future::pending(),
    )
    .await?;
    // At the first over-cap cue (17:09), over the cap since 20 s before it.
    let cue = (watch.seen.iter())
        .find(|s| s.cue.as_ref().is_some_and(|c| c.kind == "over_cap"))
        .ok_or("no over-cap cue seen")?;
    let since = cue.over_cap_since_s.ok_or("not over the cap at the cue")?;
    assert!((cue.elapsed_s - since - 20.0).abs() < 1.5, "{cue:?}");
    assert_eq!(cue.cap_bpm, Some(130));
    assert!(
        cue.bpm.is_some_and(|b| b >= 130) && cue.zone == Some(3),
        "{cue:?}"
    );
    // Back under: no longer over, the cue says so.
    let back = (watch.seen.iter())
        .find(|s| s.cue.as_ref().is_some_and(|c| c.kind == "back_under"))
        .ok_or("no back-under cue seen")?;
    assert_eq!(back.over_cap_since_s, None);
    // A reader that looks only at the end catches up at once.
    let last = late.borrow().clone();
    assert!(last.finished);
    assert_eq!(last.plan.as_deref(), Some("easy run"));
    assert!((last.over_cap_s - summary.over_cap.as_secs_f64()).abs() < 1e-6);
    let stale = last
        .since_last_reading(Duration::from_secs_f64(last.elapsed_s) + Duration::from_secs(3))
        .ok_or("no reading")?;
    assert!(stale >= Duration::from_secs(3), "{stale:?}");
    Ok(())
}
