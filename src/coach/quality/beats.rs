//! Rule 3, beats: each RR interval against the median of the last good beats; more than the
//! tolerance (20 %) away is a missed or extra beat.

use std::collections::VecDeque;

use crate::coach::measurement::RrInterval;

/// The beat check's state: the last good beats, and a run of odd ones that may be a new rhythm.
#[derive(Debug, Clone)]
pub struct BeatCheck {
    max_beat_change: f64,
    /// The last few good beats (1/1024 s), the reference for the next.
    good_rr: VecDeque<u16>,
    /// Beats that failed the check in a row, in case they are a real change of rhythm.
    odd_run: Vec<u16>,
}

impl BeatCheck {
    /// A check that allows beats within `max_beat_change` (a fraction) of the reference.
    pub fn new(max_beat_change: f64) -> Self {
        BeatCheck {
            max_beat_change,
            good_rr: VecDeque::new(),
            odd_run: Vec::new(),
        }
    }

    /// Forgets the reference (a lost link, a long gap).
    pub fn reset(&mut self) {
        self.good_rr.clear();
        self.odd_run.clear();
    }

    /// The RR intervals that are neither missed nor extra beats, updating the reference.
    ///
    /// The reference is the median of the last five good beats, so one odd beat that slips
    /// within 20 % cannot drag it. Three beats in a row that are "bad" but agree with each
    /// other mean the rhythm really changed (after a gap, say): they become the reference,
    /// so the check can never lock itself out.
    ///
    /// Returns how many beats were good and their sum (1/1024 s). No allocation: this runs for
    /// every beat of every notification.
    pub fn good_beats(&mut self, rr: &[RrInterval]) -> (usize, u32) {
        let (mut count, mut sum) = (0usize, 0u32);
        let mut good = |units: u16| {
            count += 1;
            sum += u32::from(units);
        };
        for r in rr {
            let units = r.as_units();
            // 25-240 bpm is 256-2458 units of 1/1024 s.
            if !(256..=2458).contains(&units) {
                continue;
            }
            let close = |a: u16, b: u16| {
                (f64::from(a) - f64::from(b)).abs() <= self.max_beat_change * f64::from(b)
            };
            let ok = match median(&self.good_rr) {
                None => true,
                Some(reference) => close(units, reference),
            };
            if ok {
                good(units);
                self.push_good(units);
                self.odd_run.clear();
                continue;
            }
            if self.odd_run.last().is_some_and(|&prev| !close(units, prev)) {
                self.odd_run.clear();
            }
            self.odd_run.push(units);
            if self.odd_run.len() >= 3 {
                self.good_rr = self.odd_run.drain(..).collect();
                good(units);
            }
        }
        (count, sum)
    }

    /// Whether `bpm` is the rhythm of the last good beats (within the beat tolerance): a strap
    /// that reports it alongside a missed beat has already left the artifact out of its
    /// average (seen in a real chest strap's file: a lone 858 units among 430s, bpm 142).
    pub fn matches_rhythm(&self, bpm: u16) -> bool {
        median(&self.good_rr).is_some_and(|reference| {
            let rhythm = 60.0 * 1024.0 / f64::from(reference);
            (f64::from(bpm) - rhythm).abs() <= self.max_beat_change * rhythm
        })
    }

    fn push_good(&mut self, units: u16) {
        if self.good_rr.len() == 5 {
            self.good_rr.pop_front();
        }
        self.good_rr.push_back(units);
    }
}

/// The median of at most five values (the upper one of the middle two), without allocating.
fn median(values: &VecDeque<u16>) -> Option<u16> {
    let mut v = [0u16; 5];
    let n = values.len().min(5);
    for (slot, x) in v.iter_mut().zip(values) {
        *slot = *x;
    }
    let v = &mut v[..n];
    v.sort_unstable();
    v.get(n / 2).copied()
}
