//! Arbitrary bytes as a watch file (FIT, TCX or GPX, as their content says, or each in turn):
//! an activity or an error naming the file, never a panic; an activity that reads becomes a
//! recording that reads back, and is coached with time in zone that adds up.
#![no_main]

use std::path::Path;

use hrcoach::activity::{Format, detect, read_from, to_recording};
use hrcoach::coach::{Coach, CoachConfig};
use hrcoach::recording::{Item, RecordingReader};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let formats = match detect(data) {
        Some(Format::Recording) | None => vec![Format::Fit, Format::Tcx, Format::Gpx],
        Some(f) => vec![f],
    };
    for format in formats {
        let Ok(activity) = read_from(format, data, Path::new("fuzz")) else {
            continue;
        };
        let mut text = Vec::new();
        to_recording(&activity, "fuzz", &mut text).expect("writing to memory");
        let mut reader = RecordingReader::new(text.as_slice(), "fuzz.jsonl")
            .expect("an imported recording reads back");
        let mut config = CoachConfig::new(185);
        config.max_gap = hrcoach::activity::IMPORTED_MAX_GAP;
        let mut coach = Coach::new(config);
        while let Some(item) = reader.next_item().expect("every line of it reads back") {
            if let Item::Event(e) = item {
                coach.step(e);
            }
        }
        let s = coach.summary();
        assert_eq!(
            s.time_in_zone.iter().sum::<std::time::Duration>(),
            s.counted
        );
    }
});
