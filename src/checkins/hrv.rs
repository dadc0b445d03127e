//! Heart-rate variability at rest: RMSSD from the beat-to-beat (RR) intervals, with the
//! artifacts a chest strap produces corrected first.
//!
//! RMSSD is the root mean square of the differences between successive beats. One missed
//! beat (an interval twice as long), one extra beat (one split in two) or one ectopic beat (a
//! short one followed by a long one) makes differences of hundreds of milliseconds where real
//! ones are tens, so a single artifact can double the result. The rules here:
//!
//! 1. **Artifacts are beats, not differences.** Each interval is compared with the median of
//!    the 11 around it; it is an artifact when it is further from it than 5.2 quartile
//!    deviations of those distances over the 91 beats around it (the threshold of Lipponen &
//!    Tarvainen 2019), kept between 5 % and 20 % of the median so that a very regular heart
//!    does not flag its own breathing and a very irregular one cannot hide a missed beat.
//!    Artifact beats are removed; a difference is taken only between two successive beats
//!    that are both kept.
//! 2. **Never across a gap.** Beats come in [`RrSegment`]s that a rejected reading, a lost
//!    link or a pause ends; no difference spans two segments.
//! 3. **A stable window.** Only the last [`WINDOW`] of the recording counts: lying still on
//!    waking, the first minutes are the least settled.
//! 4. **Refuse rather than guess.** Fewer than [`MIN_CLEAN`] of clean beats in the window, or
//!    more than [`MAX_ARTIFACT_SHARE`] of its beats corrected, gives a reason, not a number.

use std::fmt;
use std::time::Duration;

use crate::coach::measurement::RrInterval;
use crate::coach::trend::median_of;

/// The part of a resting recording RMSSD is taken from: its last five minutes, the standard
/// short-term length (Task Force of the ESC and NASPE, 1996).
pub const WINDOW: Duration = Duration::from_secs(300);

/// The least clean beats the window must hold: one minute. Ultra-short RMSSD from one minute
/// agrees closely with five (Munoz et al. 2015; Esco & Flatt 2014).
pub const MIN_CLEAN: Duration = Duration::from_secs(60);

/// The largest share of the window's beats that may be corrected: beyond 5 % the result
/// depends more on the correction than on the heart.
pub const MAX_ARTIFACT_SHARE: f64 = 0.05;

/// The artifact threshold is never under this share of the local median: a very regular heart
/// must not flag its own breathing.
pub const MIN_THRESHOLD: f64 = 0.05;

/// Nor over this share: a missed beat (+100 %), an extra one (-40 % and -60 %) and a typical
/// ectopic beat (-30 % then +30 %) stay artifacts however irregular the heart. A
/// high-variability athlete's breathing swing (RMSSD 200 ms at 55 bpm) stays under it: see the
/// test `a_high_variability_heart_is_read_within_ten_percent`.
pub const MAX_THRESHOLD: f64 = 0.20;

/// Unbroken beats: the RR intervals of successive trusted readings, with no hole between.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RrSegment {
    /// Time of each reading and the intervals it carried.
    readings: Vec<(Duration, Vec<RrInterval>)>,
}

impl RrSegment {
    /// Adds the intervals of the reading at `at`.
    pub fn push(&mut self, at: Duration, rr: &[RrInterval]) {
        self.readings.push((at, rr.to_vec()));
    }

    /// A segment of these readings.
    pub fn from_readings(readings: Vec<(Duration, Vec<RrInterval>)>) -> Self {
        RrSegment { readings }
    }

    /// The intervals (ms) of the readings at or after `from`.
    fn millis_from(&self, from: Duration) -> Vec<f64> {
        self.readings
            .iter()
            .filter(|(t, _)| *t >= from)
            .flat_map(|(_, rr)| rr.iter().map(|r| r.as_millis_f64()))
            .collect()
    }

    fn last_at(&self) -> Option<Duration> {
        self.readings.last().map(|r| r.0)
    }
}

/// RMSSD with what it was computed from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rmssd {
    /// RMSSD in milliseconds.
    pub ms: f64,
    /// Beats in the window.
    pub beats: usize,
    /// Of those, beats removed as artifacts.
    pub corrected: usize,
    /// Successive differences it averages.
    pub pairs: usize,
}

/// Why no RMSSD was given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NoRmssd {
    /// The strap sent no RR intervals.
    NoBeats,
    /// Too few clean beats in the window: this much time of them.
    TooShort(Duration),
    /// Too many beats were artifacts: this share of the window's beats.
    TooNoisy(f64),
}

impl fmt::Display for NoRmssd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoRmssd::NoBeats => write!(f, "the strap sent no RR intervals"),
            NoRmssd::TooShort(d) => write!(
                f,
                "only {} s of clean, unbroken beats in the last {} min (at least {} s needed): lie still for longer",
                d.as_secs(),
                WINDOW.as_secs() / 60,
                MIN_CLEAN.as_secs()
            ),
            NoRmssd::TooNoisy(share) => write!(
                f,
                "{:.0} % of the beats were missed, extra or ectopic (at most {:.0} %): wet the strap and lie still",
                share * 100.0,
                MAX_ARTIFACT_SHARE * 100.0
            ),
        }
    }
}

/// RMSSD over the last [`WINDOW`] of these segments, artifacts corrected.
///
/// # Errors
/// [`NoRmssd`] with the reason when the beats cannot give a trustworthy value.
pub fn rmssd(segments: &[RrSegment]) -> Result<Rmssd, NoRmssd> {
    rmssd_with_dropped(segments, &[])
}

/// RMSSD as [`rmssd`], where `dropped` are beats the recording carried but that could not be
/// used at all (a reading without skin contact: its time and how many intervals it carried).
/// They count as corrected beats, so that a strap that keeps losing contact is refused as too
/// noisy instead of giving a number from what was left.
///
/// # Errors
/// See [`rmssd`].
pub fn rmssd_with_dropped(
    segments: &[RrSegment],
    dropped: &[(Duration, usize)],
) -> Result<Rmssd, NoRmssd> {
    let end = segments
        .iter()
        .filter_map(RrSegment::last_at)
        .max()
        .ok_or(NoRmssd::NoBeats)?;
    let from = end.saturating_sub(WINDOW);
    let lost: usize = (dropped.iter())
        .filter(|(t, _)| *t >= from && *t <= end)
        .map(|(_, n)| n)
        .sum();
    let (mut beats, mut corrected, mut sum_sq, mut pairs, mut clean_ms) = (lost, lost, 0.0, 0, 0.0);
    for segment in segments {
        let rr = segment.millis_from(from);
        let bad = artifacts(&rr);
        beats += rr.len();
        corrected += bad.iter().filter(|&&b| b).count();
        for i in 0..rr.len() {
            if bad[i] {
                continue;
            }
            clean_ms += rr[i];
            if i + 1 < rr.len() && !bad[i + 1] {
                let d = rr[i + 1] - rr[i];
                sum_sq += d * d;
                pairs += 1;
            }
        }
    }
    if beats == 0 {
        return Err(NoRmssd::NoBeats);
    }
    let share = corrected as f64 / beats as f64;
    if share > MAX_ARTIFACT_SHARE {
        return Err(NoRmssd::TooNoisy(share));
    }
    let clean = Duration::from_secs_f64(clean_ms / 1000.0);
    if clean < MIN_CLEAN || pairs == 0 {
        return Err(NoRmssd::TooShort(clean));
    }
    Ok(Rmssd {
        ms: (sum_sq / pairs as f64).sqrt(),
        beats,
        corrected,
        pairs,
    })
}

/// Which intervals are artifacts (see the module docs, rule 1).
pub fn artifacts(rr: &[f64]) -> Vec<bool> {
    let n = rr.len();
    // Distance of each beat from the median of the 11 around it.
    let dev: Vec<f64> = (0..n)
        .map(|i| {
            let mut w = rr[i.saturating_sub(5)..(i + 6).min(n)].to_vec();
            rr[i] - median_of(&mut w).unwrap_or(rr[i])
        })
        .collect();
    (0..n)
        .map(|i| {
            let mut w = rr[i.saturating_sub(5)..(i + 6).min(n)].to_vec();
            let local = median_of(&mut w).unwrap_or(rr[i]);
            let mut around = dev[i.saturating_sub(45)..(i + 46).min(n)].to_vec();
            let threshold = (5.2 * quartile_deviation(&mut around))
                .clamp(MIN_THRESHOLD * local, MAX_THRESHOLD * local);
            dev[i].abs() > threshold
        })
        .collect()
}

/// Half the distance between the first and third quartiles.
fn quartile_deviation(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let q = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    (q(0.75) - q(0.25)) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` beats around 1000 ms with a breathing swing of ±40 ms every 5 beats.
    fn resting(n: usize) -> Vec<u16> {
        (0..n)
            .map(|i| {
                let swing = 40.0 * (2.0 * std::f64::consts::PI * i as f64 / 5.0).sin();
                ((1000.0 + swing) * 1.024).round() as u16
            })
            .collect()
    }

    /// One reading a second with one beat each, the first at `start_s`.
    fn segment_at(start_s: u64, units: &[u16]) -> RrSegment {
        RrSegment::from_readings(
            units
                .iter()
                .enumerate()
                .map(|(i, &u)| (Duration::from_secs(start_s + i as u64), vec![RrInterval(u)]))
                .collect(),
        )
    }

    fn segment(units: &[u16]) -> RrSegment {
        segment_at(0, units)
    }

    #[test]
    fn a_clean_resting_series_gives_its_rmssd() -> Result<(), NoRmssd> {
        let r = rmssd(&[segment(&resting(400))])?;
        assert_eq!(r.corrected, 0);
        // An independent computation: the textbook formula over the same window (the beats of
        // the last 300 s), nothing corrected.
        let window: Vec<f64> = resting(400)[99..]
            .iter()
            .map(|&u| f64::from(u) * 1000.0 / 1024.0)
            .collect();
        let squares: Vec<f64> = window.windows(2).map(|w| (w[1] - w[0]).powi(2)).collect();
        let textbook = (squares.iter().sum::<f64>() / squares.len() as f64).sqrt();
        assert!(
            (r.ms - textbook).abs() / textbook < 0.005,
            "{r:?} vs the textbook {textbook}"
        );
        // The swing's successive differences are 2·40·sin 36° · cos(...): amplitude 47 ms,
        // root mean square 47 / √2 = 33 ms.
        assert!((32.0..34.5).contains(&r.ms), "{r:?}");
        Ok(())
    }

    #[test]
    fn missed_extra_and_ectopic_beats_are_corrected_not_counted() -> Result<(), NoRmssd> {
        let clean = rmssd(&[segment(&resting(400))])?;
        let mut rr = resting(400);
        rr[150] *= 2; // a missed beat
        let split = rr[200];
        rr[200] = split * 2 / 5; // an extra beat: one interval split in two
        rr[201] = split * 3 / 5;
        rr[300] = rr[300] * 7 / 10; // an ectopic beat and its compensatory pause
        rr[301] = rr[301] * 13 / 10;
        let fixed = rmssd(&[segment(&rr)])?;
        assert_eq!(fixed.corrected, 5, "{fixed:?}");
        let off = (fixed.ms - clean.ms).abs() / clean.ms;
        assert!(
            off < 0.03,
            "{:.1} % off: {fixed:?} vs {clean:?}",
            off * 100.0
        );
        Ok(())
    }

    #[test]
    fn no_difference_spans_a_gap() -> Result<(), NoRmssd> {
        // Two clean halves at different rates: joined, the step would be one huge difference.
        let a: Vec<u16> = resting(200);
        let b: Vec<u16> = resting(200).iter().map(|u| u * 3 / 4).collect();
        // Back to back in time but separate runs (a rejected reading between them, say).
        let apart = rmssd(&[segment_at(0, &a), segment_at(200, &b)])?;
        // The window is 99-399 s: 101 beats of the first run give 100 differences, 200 of the
        // second give 199; none joins the last beat of one to the first of the other.
        assert_eq!(apart.pairs, 100 + 199, "{apart:?}");
        let joined: Vec<u16> = a.iter().chain(&b).copied().collect();
        let together = rmssd(&[segment(&joined)])?;
        assert!(apart.ms <= together.ms, "{apart:?} {together:?}");
        Ok(())
    }

    #[test]
    fn too_short_or_too_noisy_is_refused_with_a_reason() {
        assert!(matches!(
            rmssd(&[segment(&resting(40))]),
            Err(NoRmssd::TooShort(_))
        ));
        let mut rr = resting(300);
        for i in (0..300).step_by(10) {
            rr[i] *= 2;
        }
        assert!(matches!(rmssd(&[segment(&rr)]), Err(NoRmssd::TooNoisy(_))));
        assert_eq!(rmssd(&[]), Err(NoRmssd::NoBeats));
    }

    /// A high-variability athlete at rest: about 55 bpm, a breathing swing of `amplitude` ms
    /// every 4.6 beats, and a beat-to-beat wobble; RR in 1/1024 s.
    fn athlete(n: usize, amplitude: f64) -> Vec<u16> {
        let mut seed = 12345u64;
        (0..n)
            .map(|i| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let noise = ((seed >> 33) as f64 / f64::from(u32::MAX >> 1) - 0.5) * 60.0;
                let swing = amplitude * (2.0 * std::f64::consts::PI * i as f64 / 4.6).sin();
                ((1090.0 + swing + noise) * 1.024).round() as u16
            })
            .collect()
    }

    fn textbook(units: &[u16]) -> f64 {
        let ms: Vec<f64> = units
            .iter()
            .map(|&u| f64::from(u) * 1000.0 / 1024.0)
            .collect();
        let sq: Vec<f64> = ms.windows(2).map(|w| (w[1] - w[0]).powi(2)).collect();
        (sq.iter().sum::<f64>() / sq.len() as f64).sqrt()
    }

    /// Issue 18, item 8e: true RMSSD 99 to 198 ms is read within 10 %, nothing corrected.
    #[test]
    fn a_high_variability_heart_is_read_within_ten_percent() -> Result<(), NoRmssd> {
        for amplitude in [108.0, 130.0, 165.0, 225.0] {
            // 300 s at ~55 bpm: 275 beats in the window.
            let rr = athlete(330, amplitude);
            let window = &rr[rr.len() - 276..];
            let truth = textbook(window);
            let read = rmssd(&[RrSegment::from_readings(
                window
                    .iter()
                    .scan(0.0, |t, &u| {
                        *t += f64::from(u) / 1024.0;
                        Some((Duration::from_secs_f64(*t), vec![RrInterval(u)]))
                    })
                    .collect(),
            )])?;
            let off = (read.ms - truth).abs() / truth;
            eprintln!(
                "true RMSSD {truth:.0} ms, read {:.0} ms ({} corrected)",
                read.ms, read.corrected
            );
            assert!(
                off < 0.10,
                "true {truth:.0} ms read {:.0} ({} corrected)",
                read.ms,
                read.corrected
            );
            assert!((90.0..230.0).contains(&truth), "{truth}");
        }
        Ok(())
    }

    /// Issue 18, item 8e: beats dropped with their readings (no skin contact) count as
    /// corrected, so that a strap that keeps losing contact is refused, not read.
    #[test]
    fn dropped_beats_count_as_corrected() -> Result<(), NoRmssd> {
        let clean = rmssd(&[segment(&resting(400))])?;
        let few: Vec<(Duration, usize)> = (100..105).map(|s| (Duration::from_secs(s), 1)).collect();
        let r = rmssd_with_dropped(&[segment(&resting(400))], &few)?;
        assert_eq!((r.corrected, r.beats), (5, clean.beats + 5));
        assert!((r.ms - clean.ms).abs() < 1e-9);
        let many: Vec<(Duration, usize)> = (100..400)
            .step_by(10)
            .map(|s| (Duration::from_secs(s), 1))
            .collect();
        assert!(matches!(
            rmssd_with_dropped(&[segment(&resting(400))], &many),
            Err(NoRmssd::TooNoisy(_))
        ));
        Ok(())
    }
}
