//! Arbitrary events (any payload, any spacing, link drops and battery reads in any order)
//! straight into the coach: never a panic, alerts within the ceiling, time in zone adding up.
#![no_main]

use std::time::Duration;

use hrcoach::coach::alerts::CapSettings;
use hrcoach::coach::{Coach, CoachConfig};
use hrcoach::event::{Event, EventKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut coach = Coach::new(CoachConfig::new(185).with_cap(CapSettings {
        dwell: Duration::from_secs(u64::from(data.first().copied().unwrap_or(20) % 40)),
        ..CapSettings::default()
    }));
    let mut at = Duration::ZERO;
    let mut rest = data.get(1..).unwrap_or_default();
    let mut given = Vec::new();
    // Each event: a step in ms (2 bytes), a kind/length byte, then that many payload bytes.
    while rest.len() >= 3 {
        at += Duration::from_millis(u64::from(u16::from_le_bytes([rest[0], rest[1]])));
        let tag = rest[2];
        rest = &rest[3..];
        let kind = match tag {
            0xF0 => EventKind::LinkLost,
            0xF1 => EventKind::LinkRestored,
            0xF2 => EventKind::Battery(rest.first().copied().unwrap_or(0)),
            n => {
                let len = usize::from(n % 24).min(rest.len());
                let (payload, tail) = rest.split_at(len);
                rest = tail;
                EventKind::Notification(payload.to_vec())
            }
        };
        let update = coach.step(Event { at, kind });
        if let Some(a) = update.alert {
            given.push(a.at);
        }
    }
    // The ceiling: never more than two alerts in any 60 s.
    for (i, t) in given.iter().enumerate() {
        let in_minute = given[i..]
            .iter()
            .take_while(|u| **u < *t + Duration::from_secs(60))
            .count();
        assert!(
            in_minute <= 2,
            "{in_minute} alerts in the minute from {t:?}"
        );
    }
    let s = coach.summary();
    assert_eq!(s.time_in_zone.iter().sum::<Duration>(), s.counted);
    assert!(s.counted <= s.duration);
});
