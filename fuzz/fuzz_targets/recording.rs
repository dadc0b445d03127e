//! A whole arbitrary recording, replayed through the reader and the coach: every item or one
//! error, never a panic, and a summary whose time in zone adds up.
#![no_main]

use hrcoach::coach::alerts::CapSettings;
use hrcoach::coach::{Coach, CoachConfig};
use hrcoach::recording::{Item, RecordingReader};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(mut reader) = RecordingReader::new(data, "fuzz.jsonl") else {
        return;
    };
    let mut coach = Coach::new(CoachConfig::new(185).with_cap(CapSettings::default()));
    while let Ok(Some(item)) = reader.next_item() {
        if let Item::Event(e) = item {
            coach.step(e);
        }
    }
    let s = coach.summary();
    assert_eq!(
        s.time_in_zone.iter().sum::<std::time::Duration>(),
        s.counted
    );
    assert!(s.counted <= s.duration);
});
