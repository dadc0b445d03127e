//! A beat-level simulator: a heart-rate profile plus real beat-to-beat variation, turned into
//! the notifications a chest strap would send.
//!
//! Used to build the fixtures and the benchmark's 24-hour recording, so that they carry
//! realistic RR intervals instead of a metronome. The variation comes from a real recording:
//! each interval's ratio to the mean of its neighbours (see [`Variation::from_rr_millis`]).
//! A beat at time `t` then lasts `60 / profile(t) * ratio` seconds, and every whole second the
//! strap "notifies" with the beats of that second and their mean rate, as straps do.
//!
//! Deterministic: the same profile and variation always give the same bytes.
//!
//! Not part of the library: the tests that need it, the fixture maker
//! (`examples/make_fixtures.rs`), the creep simulation and the benchmark include this file
//! with `#[path]`.

#![allow(dead_code)] // each includer uses a different part

use std::time::Duration;

use hrcoach::coach::measurement::{Contact, HeartRateMeasurement, RrInterval};
use hrcoach::event::Event;

/// Relative beat-to-beat variation, cycled through as beats are generated.
#[derive(Debug, Clone)]
pub struct Variation {
    pub(crate) ratios: Vec<f64>,
}

impl Variation {
    /// Each interval divided by the median of the `2 * half_window + 1` intervals around it.
    ///
    /// Dividing out the local median removes the source's own heart-rate course (intervals,
    /// warm-up) and keeps only the beat-to-beat variation. Intervals more than 20 % away from
    /// the local median are dropped first: in a chest-strap recording they are missed beats
    /// (an interval twice as long) or extra ones, the usual 20 % artifact rule of HRV analysis,
    /// and a fixture wants its artifacts placed on purpose, not at random. Empty input gives no
    /// variation.
    pub fn from_rr_millis(rr: &[u32], half_window: usize) -> Self {
        let ratios = (0..rr.len())
            .filter_map(|i| {
                let lo = i.saturating_sub(half_window);
                let hi = (i + half_window + 1).min(rr.len());
                let mut window = rr[lo..hi].to_vec();
                window.sort_unstable();
                let median = f64::from(window[window.len() / 2]);
                let ratio = f64::from(rr[i]) / median;
                ((0.8..=1.2).contains(&ratio)).then_some(ratio)
            })
            .collect();
        Variation { ratios }
    }

    /// The same variation, `k` times as large: resting hearts vary far more from beat to beat
    /// than the exercising heart the source was recorded from.
    pub fn scaled(&self, k: f64) -> Self {
        Variation {
            ratios: self.ratios.iter().map(|r| 1.0 + (r - 1.0) * k).collect(),
        }
    }

    /// No variation: a metronome.
    pub fn none() -> Self {
        Variation { ratios: vec![1.0] }
    }

    pub(crate) fn ratio(&self, beat: usize) -> f64 {
        if self.ratios.is_empty() {
            1.0
        } else {
            self.ratios[beat % self.ratios.len()]
        }
    }
}

/// Generates one notification a second, from `1 s` to `duration`, following `profile` (bpm as
/// a function of seconds since the start). Notifications carry contact "detected" and the
/// RR intervals of the beats that ended in that second.
pub fn notifications(
    profile: impl Fn(f64) -> f64,
    duration: Duration,
    variation: &Variation,
) -> Vec<(Duration, HeartRateMeasurement)> {
    let mut out = Vec::with_capacity(duration.as_secs() as usize);
    let mut beats = Beats {
        t: 0.0,
        n: 0,
        profile,
        variation,
    };
    let mut pending = beats.next_beat();
    let mut last_bpm = 0u16;
    for second in 1..=duration.as_secs() {
        let end = second as f64;
        let mut rr = Vec::new();
        while pending.0 <= end {
            rr.push(pending.1);
            pending = beats.next_beat();
        }
        if !rr.is_empty() {
            let total: f64 = rr.iter().map(|r| f64::from(r.as_units())).sum();
            last_bpm = (60.0 * 1024.0 * rr.len() as f64 / total).round() as u16;
        }
        // A second without a completed beat (HR under 60) repeats the last rate, as straps do.
        out.push((
            Duration::from_secs(second),
            HeartRateMeasurement {
                bpm: last_bpm,
                contact: Contact::Detected,
                energy_kj: None,
                rr,
            },
        ));
    }
    out
}

/// As [`notifications`], encoded as events.
pub fn events(
    profile: impl Fn(f64) -> f64,
    duration: Duration,
    variation: &Variation,
) -> Vec<Event> {
    notifications(profile, duration, variation)
        .into_iter()
        .map(|(at, m)| Event::notification(at, m.encode()))
        .collect()
}

/// Heart rate's slow wander at a steady effort, plus reading noise, deterministic from a seed:
/// an Ornstein-Uhlenbeck process (standard deviation `sd` bpm, time constant `tau` seconds)
/// stepped once a second, plus `noise_sd` bpm of white noise per reading. For testing the
/// creep watch against heart rate that wanders but does not drift (tests/advice.rs,
/// examples/creep_sim.rs).
#[derive(Debug, Clone)]
pub struct Wander {
    state: u64,
    level: f64,
    sd: f64,
    tau: f64,
    noise_sd: f64,
}

impl Wander {
    /// A wander of `sd` bpm with time constant `tau_s` (0: none), and `noise_sd` bpm of
    /// reading noise, from `seed`.
    pub fn new(sd: f64, tau_s: f64, noise_sd: f64, seed: u64) -> Self {
        let mut w = Wander {
            state: seed.wrapping_mul(2_654_435_761).wrapping_add(1),
            level: 0.0,
            sd,
            tau: tau_s,
            noise_sd,
        };
        w.level = sd * w.normal();
        w
    }

    /// The offset (bpm) to add to the next second's reading.
    pub fn next_offset(&mut self) -> f64 {
        if self.tau > 0.0 {
            self.level +=
                -self.level / self.tau + self.sd * (2.0 / self.tau).sqrt() * self.normal();
        }
        self.level + self.noise_sd * self.normal()
    }

    /// xorshift64, mapped to [0, 1).
    fn uniform(&mut self) -> f64 {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        (self.state >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A standard normal draw (Box-Muller).
    fn normal(&mut self) -> f64 {
        let (a, b) = (self.uniform().max(1e-12), self.uniform());
        (-2.0 * a.ln()).sqrt() * (2.0 * std::f64::consts::PI * b).cos()
    }
}

struct Beats<'a, F> {
    t: f64,
    n: usize,
    profile: F,
    variation: &'a Variation,
}

impl<F: Fn(f64) -> f64> Beats<'_, F> {
    /// The end time of the next beat and its interval.
    fn next_beat(&mut self) -> (f64, RrInterval) {
        let bpm = (self.profile)(self.t).clamp(20.0, 250.0);
        let secs = 60.0 / bpm * self.variation.ratio(self.n);
        let units = (secs * 1024.0).round().clamp(1.0, f64::from(u16::MAX)) as u16;
        self.n += 1;
        // Advance by the rounded interval so that RR values add up to the beat times exactly.
        self.t += f64::from(units) / 1024.0;
        (self.t, RrInterval(units))
    }
}
