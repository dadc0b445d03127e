//! The beat-level simulator (tests/support/synth.rs) that builds the fixtures and the
//! benchmark's recording.

#[path = "support/synth.rs"]
mod synth;

use std::time::Duration;

use synth::{Variation, Wander, notifications};

#[test]
fn a_steady_profile_gives_its_rate_and_one_notification_a_second() {
    let n = notifications(|_| 120.0, Duration::from_secs(60), &Variation::none());
    assert_eq!(n.len(), 60);
    assert!(n.iter().skip(1).all(|(_, m)| (119..=121).contains(&m.bpm)));
    let beats: usize = n.iter().map(|(_, m)| m.rr.len()).sum();
    assert!(
        (119..=121).contains(&beats),
        "{beats} beats in a minute at 120"
    );
}

#[test]
fn rr_intervals_add_up_to_the_elapsed_time() {
    let v = Variation::from_rr_millis(&[400, 420, 380, 410, 390], 2);
    let n = notifications(|t| 100.0 + t, Duration::from_secs(120), &v);
    let total: f64 = n
        .iter()
        .flat_map(|(_, m)| m.rr.iter())
        .map(|r| f64::from(r.as_units()) / 1024.0)
        .sum();
    assert!(total <= 120.0 && total > 119.0, "{total}");
}

#[test]
fn a_wander_has_its_standard_deviation_and_repeats_from_its_seed() {
    let offsets = |seed| {
        let mut w = Wander::new(2.0, 120.0, 0.0, seed);
        (0..20_000).map(|_| w.next_offset()).collect::<Vec<_>>()
    };
    let a = offsets(7);
    assert_eq!(a, offsets(7));
    let mean = a.iter().sum::<f64>() / a.len() as f64;
    let sd = (a.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / a.len() as f64).sqrt();
    assert!((1.4..2.6).contains(&sd), "{sd}");
}

#[test]
fn variation_is_relative_to_the_local_median() {
    let v = Variation::from_rr_millis(&[500, 500, 550, 500, 500], 2);
    assert!((v.ratio(2) - 550.0 / 500.0).abs() < 1e-9);
    assert!(Variation::from_rr_millis(&[], 3).ratio(7) == 1.0);
}

#[test]
fn missed_and_extra_beats_are_dropped_from_the_variation() {
    // 1000 is a missed beat (two intervals in one), 300 an extra one.
    let v = Variation::from_rr_millis(&[500, 510, 1000, 490, 300, 505, 495], 3);
    assert_eq!(v.ratios.len(), 5);
    assert!(v.ratios.iter().all(|r| (0.95..=1.05).contains(r)));
}
