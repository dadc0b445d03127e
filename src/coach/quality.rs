//! Which parsed measurements are trustworthy enough to coach from.
//!
//! A reading that fails here is still shown and counted, but it never places the runner in a
//! zone, never counts toward time in zone and never triggers or feeds an alert: a loose or dry
//! strap must not make the coach cry wolf. The rules, in the order they are applied
//! (defaults and reasons in docs/zones-and-alerts.md):
//!
//! 1. contact: the strap reports no skin contact → [`Rejection::NoContact`];
//! 2. range: bpm outside [`PLAUSIBLE_BPM`] → [`Rejection::Implausible`];
//! 3. beats: where RR intervals come with the reading, each is checked against the last good
//!    one (more than 20 % away is a missed or extra beat); if none is good the reading is
//!    [`Rejection::BeatArtifact`] unless its bpm is still the good beats' rhythm (the strap
//!    left the artifact out itself), and if some are, bpm is derived from the good beats;
//! 4. dry strap: in the first two minutes, a reading at or above 85 % of max HR is suspect and
//!    held back → [`Rejection::DryStart`], with the readings after it, until they show a heart:
//!    eight readings that are steady (not falling, spread ≤ 12 bpm), at or under max HR and
//!    backed by their beats. A dry strap reads high and falling or erratic, and never settles
//!    so; a runner who starts or restarts hard does, within about 8 s;
//! 5. rate: a change faster than 8 bpm per second from the last trusted reading is a spike →
//!    [`Rejection::TooFast`], unless three such readings in a row agree with each other (the
//!    heart really is at a new level).
//!
//! [`QualityGate`] also keeps a 30-second window of verdicts to say when heart rate as a
//! whole is unreliable, so the runner can be told to run by feel.

use std::collections::VecDeque;
use std::fmt;
use std::ops::RangeInclusive;
use std::time::Duration;

use super::measurement::{Contact, HeartRateMeasurement, RrInterval};
use super::trend::theil_sen_slope;

/// Heart rates a human heart can plausibly show while exercising, in bpm.
///
/// The lowest resting heart rates recorded in trained athletes are in the high 20s, and measured
/// maxima above 220 bpm are rare; 25..=240 keeps every real reading and rejects the 0 that many
/// straps send while they search for a signal, and the 255 of an uninitialised sensor.
pub const PLAUSIBLE_BPM: RangeInclusive<u16> = 25..=240;

/// Readings a suspect run at the start needs before it counts as a heart: with one reading a
/// second, about 8 s. Long enough to see a fade or a jump, short enough that a runner who
/// starts (or restarts) hard is coached within half a minute.
pub const SETTLE_READINGS: usize = 8;

/// The shortest time those readings must span.
pub const SETTLE_SPAN: Duration = Duration::from_secs(7);

/// The widest spread (bpm) of a settled run: a heart at a steady effort wanders a few bpm and
/// climbs at most about 1 bpm/s; a dry strap jumps by tens.
pub const SETTLE_SPREAD: u16 = 12;

/// A suspect run whose Theil-Sen slope is at or below this (bpm per second) is falling: a dry
/// strap fading as sweat makes contact. A steady heart's slope over 8 s stays within a few
/// tenths of zero; a fade of 1 bpm/s is well past it.
pub const FALLING_BPM_PER_S: f64 = -0.4;

/// A reading of a suspect run.
#[derive(Debug, Clone, Copy)]
struct Suspect {
    at: Duration,
    bpm: u16,
    beats_agree: bool,
}

/// What a suspect run looks like so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Suspects {
    /// High and steady, with beats that agree: a heart.
    Heart,
    /// Falling, erratic, above max HR or with beats that disagree: a dry strap.
    Dry,
    /// Not enough readings yet to tell.
    Undecided,
}

/// Whether the RR intervals of `m` agree with its bpm (within 10 %), or it carries none.
///
/// A strap computes its bpm from the same beats it reports; a bpm its beats do not support is
/// a strap guessing.
fn beats_agree(m: &HeartRateMeasurement) -> bool {
    let total: u32 = m.rr.iter().map(|r| u32::from(r.as_units())).sum();
    if total == 0 {
        return true;
    }
    let from_beats = 60.0 * 1024.0 * m.rr.len() as f64 / f64::from(total);
    (from_beats - f64::from(m.bpm)).abs() <= 0.1 * f64::from(m.bpm)
}

/// Why a well-formed measurement was not used for coaching.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rejection {
    /// The strap reports that it has no skin contact.
    NoContact,
    /// The bpm is outside [`PLAUSIBLE_BPM`].
    Implausible,
    /// Every RR interval in the reading is a missed or extra beat.
    BeatArtifact,
    /// High reading in the first minutes: a dry strap.
    DryStart,
    /// Changed faster than a heart can.
    TooFast,
}

impl Rejection {
    /// Every reason, in the order of [`Rejection::index`].
    pub const ALL: [Rejection; 5] = [
        Rejection::NoContact,
        Rejection::Implausible,
        Rejection::BeatArtifact,
        Rejection::DryStart,
        Rejection::TooFast,
    ];

    /// Stable name for JSON output and counts.
    pub fn as_str(self) -> &'static str {
        match self {
            Rejection::NoContact => "no_contact",
            Rejection::Implausible => "implausible",
            Rejection::BeatArtifact => "beat_artifact",
            Rejection::DryStart => "dry_start",
            Rejection::TooFast => "too_fast",
        }
    }

    /// Position in [`Rejection::ALL`], for counting.
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rejection::NoContact => "strap reports no skin contact",
            Rejection::Implausible => "heart rate outside the human range",
            Rejection::BeatArtifact => "missed or extra beats",
            Rejection::DryStart => "dry strap at the start (reads high)",
            Rejection::TooFast => "jump faster than a heart can change",
        })
    }
}

/// The checks that need no history: contact and range.
///
/// # Errors
/// The [`Rejection`] that disqualifies the measurement; contact is checked first because a
/// strap without contact often reports a stale or random bpm.
pub fn assess(m: &HeartRateMeasurement) -> Result<u16, Rejection> {
    if m.contact == Contact::NotDetected {
        return Err(Rejection::NoContact);
    }
    if !PLAUSIBLE_BPM.contains(&m.bpm) {
        return Err(Rejection::Implausible);
    }
    Ok(m.bpm)
}

/// Settings of the quality rules.
#[derive(Debug, Clone, PartialEq)]
pub struct QualitySettings {
    /// How long after the first notification the dry-strap rule applies.
    pub dry_window: Duration,
    /// At or above this bpm, a reading in the dry window is suspect: a dry strap or a heart
    /// already working hard (a run restarted mid-way, a start after a hill).
    pub dry_ceiling: u16,
    /// The runner's max HR: a reading above it in the dry window is a dry strap.
    pub max_hr: u16,
    /// The fastest a heart rate can change, in bpm per second.
    pub max_rate_bpm_per_s: f64,
    /// A beat more than this fraction away from the last good beat is an artifact.
    pub max_beat_change: f64,
    /// The window over which reliability is judged.
    pub window: Duration,
    /// Heart rate is unreliable when at least this share of the window was rejected.
    pub unreliable_share: f64,
}

impl QualitySettings {
    /// The defaults for a runner with `max_hr`.
    pub fn for_max_hr(max_hr: u16) -> Self {
        QualitySettings {
            dry_window: Duration::from_secs(120),
            dry_ceiling: ((f64::from(max_hr) * 0.85).round()) as u16,
            max_hr,
            max_rate_bpm_per_s: 8.0,
            max_beat_change: 0.2,
            window: Duration::from_secs(30),
            unreliable_share: 0.5,
        }
    }
}

/// Keeps a trusted reference and judges readings against it. See [`RateGate::check`].
#[derive(Debug, Clone)]
pub struct RateGate {
    max_rate: f64,
    max_gap: Duration,
    last: Option<(Duration, u16)>,
    /// Rejected readings since the last trusted one.
    run: Vec<(Duration, u16)>,
}

impl RateGate {
    /// A gate that allows `max_rate` bpm per second and re-anchors after `max_gap`.
    pub fn new(max_rate: f64, max_gap: Duration) -> Self {
        RateGate {
            max_rate,
            max_gap,
            last: None,
            run: Vec::new(),
        }
    }

    fn within(&self, a: (Duration, u16), b: (Duration, u16)) -> bool {
        let dt = b.0.saturating_sub(a.0).as_secs_f64().max(1.0);
        f64::from(a.1.abs_diff(b.1)) <= self.max_rate * dt
    }

    /// Whether `bpm` at `at` is a plausible next reading. Returns how many earlier rejected
    /// readings it vindicates (a level shift confirmed by three agreeing readings), or `None`
    /// when this one is rejected.
    pub fn check(&mut self, at: Duration, bpm: u16) -> Option<usize> {
        let now = (at, bpm);
        let anchored = match self.last {
            None => true,
            Some(last) => at.saturating_sub(last.0) > self.max_gap || self.within(last, now),
        };
        if anchored {
            self.last = Some(now);
            self.run.clear();
            return Some(0);
        }
        if self.run.last().is_some_and(|&prev| !self.within(prev, now)) {
            self.run.clear();
        }
        self.run.push(now);
        if self.run.len() >= 3 {
            // Three in a row that agree with each other: a real change, not a spike.
            let vindicated = self.run.len() - 1;
            self.last = Some(now);
            self.run.clear();
            return Some(vindicated);
        }
        None
    }

    /// Forgets the reference (after a lost link or a long gap).
    pub fn reset(&mut self) {
        self.last = None;
        self.run.clear();
    }
}

/// Whether heart rate as a whole can be coached from right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reliability {
    /// Enough readings are trusted.
    Reliable,
    /// Too many readings were rejected; the most common reason.
    Unreliable(Rejection),
}

/// The stateful quality rules for one session.
#[derive(Debug, Clone)]
pub struct QualityGate {
    settings: QualitySettings,
    max_gap: Duration,
    first_at: Option<Duration>,
    last_at: Option<Duration>,
    /// The last few good beats (1/1024 s), the reference for the next.
    good_rr: VecDeque<u16>,
    /// Beats that failed the check in a row, in case they are a real change of rhythm.
    odd_run: Vec<u16>,
    rate: RateGate,
    /// A suspect run is open: a high reading came in the dry window, and the readings have
    /// not yet shown themselves to be a heart.
    dry: bool,
    /// The latest readings of the suspect run: time, bpm, and whether its beats agree with it.
    suspects: VecDeque<Suspect>,
    /// The last verdict was a suspect reading not (yet) judged a dry strap: it is held back
    /// from coaching but is no evidence that the data is bad.
    undecided: bool,
    /// A suspect run has settled into a heart: the dry rule has done its work.
    settled: bool,
    /// Recent verdicts: time and the rejection, if any.
    recent: VecDeque<(Duration, Option<Rejection>)>,
    /// Rejections in `recent`, by reason.
    counts: [usize; Rejection::ALL.len()],
    reliability: Reliability,
}

impl QualityGate {
    /// A gate with these settings; readings further apart than `max_gap` break continuity
    /// (the checks re-anchor), as everywhere in the coach ([`super::CoachConfig::max_gap`]).
    pub fn new(settings: QualitySettings, max_gap: Duration) -> Self {
        let rate = RateGate::new(settings.max_rate_bpm_per_s, max_gap);
        QualityGate {
            settings,
            max_gap,
            first_at: None,
            last_at: None,
            good_rr: VecDeque::new(),
            odd_run: Vec::new(),
            rate,
            dry: false,
            suspects: VecDeque::new(),
            undecided: false,
            settled: false,
            recent: VecDeque::new(),
            counts: [0; Rejection::ALL.len()],
            reliability: Reliability::Reliable,
        }
    }

    /// The current reliability.
    pub fn reliability(&self) -> Reliability {
        self.reliability
    }

    /// The link was lost: beat and rate references no longer hold.
    pub fn link_lost(&mut self) {
        self.rate.reset();
        self.good_rr.clear();
        self.odd_run.clear();
    }

    /// Judges one measurement. Returns the bpm to coach from, or why not, and the new
    /// reliability if it changed.
    pub fn judge(
        &mut self,
        at: Duration,
        m: &HeartRateMeasurement,
    ) -> (Result<u16, Rejection>, Option<Reliability>) {
        if self
            .last_at
            .is_some_and(|t| at.saturating_sub(t) > self.max_gap)
        {
            self.good_rr.clear();
            self.odd_run.clear();
        }
        self.last_at = Some(at);
        let first = *self.first_at.get_or_insert(at);
        self.undecided = false;
        let verdict = self.verdict(at, first, m);
        if self.undecided {
            // Held back, but no evidence of bad data: the reliability window does not see it.
            return (verdict, None);
        }
        (verdict, self.track(at, verdict.err()))
    }

    fn verdict(
        &mut self,
        at: Duration,
        first: Duration,
        m: &HeartRateMeasurement,
    ) -> Result<u16, Rejection> {
        let mut bpm = assess(m)?;
        if !m.rr.is_empty() {
            let (good, total) = self.good_beats(&m.rr);
            if good == 0 && !self.matches_rhythm(m.bpm) {
                return Err(Rejection::BeatArtifact);
            }
            if good > 0 && good < m.rr.len() {
                // Some beats were artifacts: the strap's average includes them, ours does not.
                bpm = (60.0 * 1024.0 * good as f64 / f64::from(total)).round() as u16;
            }
        }
        if at.saturating_sub(first) < self.settings.dry_window {
            self.dry_strap(at, bpm, m)?;
        }
        match self.rate.check(at, bpm) {
            Some(_) => Ok(bpm),
            None => Err(Rejection::TooFast),
        }
    }

    /// The dry-strap rule, for a reading in the dry window: `Err(DryStart)` while a suspect
    /// run is open, `Ok` when there is nothing to suspect or the run has just settled.
    ///
    /// A reading at or above the dry ceiling opens a suspect run. A dry strap reads high and
    /// *erratic or falling* (often above max HR) until sweat makes contact; a heart already
    /// working hard reads high and *steady*, with beats that agree with its bpm. So the run is
    /// held back until its last [`SETTLE_READINGS`] readings, spanning at least
    /// [`SETTLE_SPAN`], are all at or under max HR, agree with their beats, spread over at most
    /// [`SETTLE_SPREAD`] bpm and do not fall (Theil-Sen slope above [`FALLING_BPM_PER_S`]).
    /// The readings under the ceiling that fall away after a dry start stay in the run, so a
    /// fade is rejected all the way down, slow or fast.
    fn dry_strap(
        &mut self,
        at: Duration,
        bpm: u16,
        m: &HeartRateMeasurement,
    ) -> Result<(), Rejection> {
        if self.settled || (bpm < self.settings.dry_ceiling && !self.dry) {
            return Ok(());
        }
        self.dry = true;
        if self.suspects.len() == SETTLE_READINGS {
            self.suspects.pop_front();
        }
        self.suspects.push_back(Suspect {
            at,
            bpm,
            beats_agree: beats_agree(m),
        });
        let judged = self.judge_suspects();
        if judged == Suspects::Heart {
            self.dry = false;
            self.settled = true;
            self.suspects.clear();
            return Ok(());
        }
        self.undecided = judged == Suspects::Undecided;
        Err(Rejection::DryStart)
    }

    fn judge_suspects(&self) -> Suspects {
        let run = &self.suspects;
        let Some(last) = run.back() else {
            return Suspects::Undecided;
        };
        if last.bpm > self.settings.max_hr || !last.beats_agree {
            return Suspects::Dry;
        }
        let (lo, hi) = run
            .iter()
            .fold((u16::MAX, 0), |(lo, hi), s| (lo.min(s.bpm), hi.max(s.bpm)));
        if hi - lo > SETTLE_SPREAD {
            return Suspects::Dry;
        }
        if run.len() >= 4 {
            let t0 = run[0].at;
            let pts: Vec<(f64, f64)> = run
                .iter()
                .map(|s| (s.at.saturating_sub(t0).as_secs_f64(), f64::from(s.bpm)))
                .collect();
            if theil_sen_slope(&pts).is_some_and(|slope| slope <= FALLING_BPM_PER_S) {
                return Suspects::Dry;
            }
        }
        let settled = run.len() == SETTLE_READINGS
            && last.at.saturating_sub(run[0].at) >= SETTLE_SPAN
            && run
                .iter()
                .all(|s| s.bpm <= self.settings.max_hr && s.beats_agree);
        if settled {
            Suspects::Heart
        } else {
            Suspects::Undecided
        }
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
    fn good_beats(&mut self, rr: &[RrInterval]) -> (usize, u32) {
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
                (f64::from(a) - f64::from(b)).abs() <= self.settings.max_beat_change * f64::from(b)
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
    fn matches_rhythm(&self, bpm: u16) -> bool {
        median(&self.good_rr).is_some_and(|reference| {
            let rhythm = 60.0 * 1024.0 / f64::from(reference);
            (f64::from(bpm) - rhythm).abs() <= self.settings.max_beat_change * rhythm
        })
    }

    fn push_good(&mut self, units: u16) {
        if self.good_rr.len() == 5 {
            self.good_rr.pop_front();
        }
        self.good_rr.push_back(units);
    }

    fn track(&mut self, at: Duration, rejection: Option<Rejection>) -> Option<Reliability> {
        // Counts are kept as the window slides, not recounted: this runs for every reading.
        self.recent.push_back((at, rejection));
        if let Some(r) = rejection {
            self.counts[r.index()] += 1;
        }
        while let Some(&(t, r)) = self.recent.front() {
            if at.saturating_sub(t) <= self.settings.window {
                break;
            }
            self.recent.pop_front();
            if let Some(r) = r {
                self.counts[r.index()] -= 1;
            }
        }
        let n = self.recent.len();
        let counts = self.counts;
        let rejected: usize = counts.iter().sum();
        let now = if n >= 5 && rejected as f64 >= self.settings.unreliable_share * n as f64 {
            let (i, _) = counts
                .iter()
                .enumerate()
                .max_by_key(|(_, c)| **c)
                .unwrap_or((0, &0));
            Reliability::Unreliable(Rejection::ALL[i])
        } else {
            Reliability::Reliable
        };
        let changed = matches!(
            (self.reliability, now),
            (Reliability::Reliable, Reliability::Unreliable(_))
                | (Reliability::Unreliable(_), Reliability::Reliable)
        );
        self.reliability = now;
        changed.then_some(now)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coach::DEFAULT_MAX_GAP;

    fn m(bpm: u16, contact: Contact) -> HeartRateMeasurement {
        HeartRateMeasurement {
            bpm,
            contact,
            energy_kj: None,
            rr: vec![],
        }
    }

    /// A reading with contact and these RR intervals.
    fn beat(rr: Vec<u16>, bpm: u16) -> HeartRateMeasurement {
        HeartRateMeasurement {
            bpm,
            contact: Contact::Detected,
            energy_kj: None,
            rr: rr.into_iter().map(RrInterval).collect(),
        }
    }

    /// A gate whose session started at 0 s, so that readings from 200 s on are past the
    /// dry-strap window.
    fn gate() -> QualityGate {
        let mut g = QualityGate::new(QualitySettings::for_max_hr(185), DEFAULT_MAX_GAP);
        let _ = g.judge(Duration::ZERO, &m(90, Contact::Detected));
        g
    }

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    /// Feeds one reading a second from `start` and returns the verdicts.
    fn feed(
        g: &mut QualityGate,
        start: u64,
        readings: &[HeartRateMeasurement],
    ) -> Vec<Result<u16, Rejection>> {
        readings
            .iter()
            .enumerate()
            .map(|(i, r)| g.judge(secs(start + i as u64), r).0)
            .collect()
    }

    #[test]
    fn accepts_plausible_readings_with_contact_or_without_the_feature() {
        assert_eq!(assess(&m(140, Contact::Detected)), Ok(140));
        assert_eq!(assess(&m(140, Contact::NotSupported)), Ok(140));
        assert_eq!(assess(&m(25, Contact::Detected)), Ok(25));
        assert_eq!(assess(&m(240, Contact::Detected)), Ok(240));
    }

    #[test]
    fn rejects_readings_without_skin_contact_whatever_their_bpm() {
        assert_eq!(
            assess(&m(140, Contact::NotDetected)),
            Err(Rejection::NoContact)
        );
        assert_eq!(
            assess(&m(0, Contact::NotDetected)),
            Err(Rejection::NoContact)
        );
    }

    #[test]
    fn rejects_zero_and_out_of_range_bpm() {
        for bpm in [0, 24, 241, 255, 300] {
            assert_eq!(
                assess(&m(bpm, Contact::Detected)),
                Err(Rejection::Implausible),
                "{bpm}"
            );
        }
    }

    #[test]
    fn rejects_a_single_beat_spike() {
        let mut g = gate();
        let mut run = vec![m(120, Contact::Detected); 10];
        run[5] = m(210, Contact::Detected);
        let v = feed(&mut g, 200, &run);
        assert_eq!(v[5], Err(Rejection::TooFast));
        assert!(v.iter().enumerate().all(|(i, r)| i == 5 || *r == Ok(120)));
    }

    #[test]
    fn accepts_a_real_climb_and_a_confirmed_level_shift() {
        let mut g = gate();
        let climb: Vec<_> = (0..30).map(|i| m(120 + i * 2, Contact::Detected)).collect();
        assert!(feed(&mut g, 200, &climb).iter().all(Result::is_ok));
        let mut g = gate();
        let mut shift = vec![m(120, Contact::Detected); 5];
        shift.extend(vec![m(150, Contact::Detected); 5]);
        let v = feed(&mut g, 200, &shift);
        assert_eq!(
            &v[5..8],
            &[Err(Rejection::TooFast), Err(Rejection::TooFast), Ok(150)]
        );
        assert_eq!(v[9], Ok(150));
    }

    #[test]
    fn a_dry_strap_reads_high_only_at_the_start() {
        let mut g = QualityGate::new(QualitySettings::for_max_hr(185), DEFAULT_MAX_GAP); // dry ceiling: 157
        // 205 falling 2 bpm/s to 107: all of it is the dry strap, including the readings under
        // the ceiling that are still falling.
        let dry: Vec<_> = (0..50).map(|i| m(205 - 2 * i, Contact::Detected)).collect();
        let verdicts = feed(&mut g, 0, &dry);
        assert!(
            verdicts.iter().all(|r| *r == Err(Rejection::DryStart)),
            "{verdicts:?}"
        );
        // Then the real heart rate, steady: trusted once eight readings in a row are steady.
        let real: Vec<_> = [98, 98, 99, 99, 101, 100, 99, 100, 101, 100, 99, 100]
            .map(|b| m(b, Contact::Detected))
            .to_vec();
        let verdicts = feed(&mut g, 50, &real);
        let first_ok = verdicts.iter().position(Result::is_ok);
        assert!(first_ok.is_some_and(|i| i <= 9), "{verdicts:?}");
        assert!(verdicts[..2].iter().all(|v| *v == Err(Rejection::DryStart)));
        assert!(verdicts[first_ok.unwrap_or(0)..].iter().all(Result::is_ok));
        // After two minutes a high reading is just a high reading (if reached gradually).
        let climb: Vec<_> = (0..40).map(|i| m(110 + i * 2, Contact::Detected)).collect();
        assert!(feed(&mut g, 130, &climb).iter().all(Result::is_ok));
    }

    /// One reading a second at each bpm, with beats that agree with it.
    fn hearts(bpms: impl IntoIterator<Item = u16>) -> Vec<HeartRateMeasurement> {
        bpms.into_iter()
            .map(|b| {
                let units = (60.0 * 1024.0 / f64::from(b)).round() as u16;
                beat(vec![units; 3], b)
            })
            .collect()
    }

    #[test]
    fn a_steady_high_start_is_a_heart_within_seconds() {
        // A runner who restarts mid-run at 160 (dry ceiling 157, max 185): steady, regular.
        let mut g = QualityGate::new(QualitySettings::for_max_hr(185), DEFAULT_MAX_GAP);
        let run = hearts((0..60).map(|i| 159 + [0, 1, 2, 1][i % 4]));
        let mut changes = Vec::new();
        let verdicts: Vec<_> = run
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let (v, change) = g.judge(secs(i as u64), r);
                changes.extend(change);
                v
            })
            .collect();
        let first_ok = verdicts.iter().position(Result::is_ok);
        assert_eq!(first_ok, Some(SETTLE_READINGS - 1), "{verdicts:?}");
        assert!(verdicts[SETTLE_READINGS..].iter().all(Result::is_ok));
        // Held back, but never called unreliable: nothing said it was bad.
        assert!(changes.is_empty(), "{changes:?}");
    }

    #[test]
    fn a_fade_is_a_dry_strap_however_slow() {
        for per_s in [1, 2, 4] {
            let mut g = QualityGate::new(QualitySettings::for_max_hr(185), DEFAULT_MAX_GAP);
            // 205 fading to 124, then flat at 124.
            let fade = hearts((0..100).map(|i| 205u16.saturating_sub(per_s * i).max(124)));
            let (mut verdicts, mut unreliable) = (Vec::new(), false);
            for (i, r) in fade.iter().enumerate() {
                let (v, change) = g.judge(secs(i as u64), r);
                unreliable |= matches!(change, Some(Reliability::Unreliable(_)));
                verdicts.push(v);
            }
            let end_of_fade = usize::from((205 - 124) / per_s);
            assert!(
                verdicts[..=end_of_fade]
                    .iter()
                    .all(|v| *v == Err(Rejection::DryStart)),
                "{per_s} bpm/s: {verdicts:?}"
            );
            // The fade counts against reliability: the data is bad.
            assert!(unreliable, "{per_s} bpm/s");
            assert!(
                verdicts[end_of_fade + SETTLE_READINGS + 1..]
                    .iter()
                    .all(Result::is_ok)
            );
        }
    }

    #[test]
    fn an_erratic_or_impossible_start_is_a_dry_strap() {
        let mut g = QualityGate::new(QualitySettings::for_max_hr(185), DEFAULT_MAX_GAP);
        let erratic = hearts((0..20).map(|i| [170, 190, 165, 182][i % 4]));
        assert!(feed(&mut g, 0, &erratic).iter().all(Result::is_err));
        let mut g = QualityGate::new(QualitySettings::for_max_hr(185), DEFAULT_MAX_GAP);
        let above_max = hearts([196; 20]);
        assert!(feed(&mut g, 0, &above_max).iter().all(Result::is_err));
        // Steady bpm its beats do not support (the beats say 100): the strap is guessing.
        let mut g = QualityGate::new(QualitySettings::for_max_hr(185), DEFAULT_MAX_GAP);
        let guessing: Vec<_> = (0..20).map(|_| beat(vec![614, 614], 165)).collect();
        let (mut unreliable, mut verdicts) = (false, Vec::new());
        for (i, r) in guessing.iter().enumerate() {
            let (v, change) = g.judge(secs(i as u64), r);
            unreliable |= matches!(change, Some(Reliability::Unreliable(_)));
            verdicts.push(v);
        }
        assert!(verdicts.iter().all(Result::is_err));
        assert!(unreliable, "a strap judged dry is bad data");
    }

    #[test]
    fn missed_and_extra_beats_are_flagged_and_bpm_comes_from_the_good_ones() {
        let mut g = gate();
        assert_eq!(g.judge(secs(200), &beat(vec![512, 512], 120)).0, Ok(120));
        // An extra beat (256 units, 240 bpm): the reading is all artifact.
        assert_eq!(
            g.judge(secs(201), &beat(vec![256], 240)).0,
            Err(Rejection::BeatArtifact)
        );
        // A missed beat among good ones: bpm from the good beat only (60 * 1024 / 520 = 118).
        assert_eq!(g.judge(secs(202), &beat(vec![1030, 520], 80)).0, Ok(118));
        // A lone missed beat with the strap's bpm still on the rhythm: the strap left it out
        // of its average, so its bpm stands.
        assert_eq!(g.judge(secs(203), &beat(vec![1030], 119)).0, Ok(119));
        // The same beat with a bpm that follows it: the strap is guessing.
        assert_eq!(
            g.judge(secs(204), &beat(vec![1030], 60)).0,
            Err(Rejection::BeatArtifact)
        );
    }

    #[test]
    fn an_odd_beat_within_twenty_percent_cannot_lock_the_check_out() {
        let mut g = gate();
        for s in 200..205 {
            assert!(g.judge(secs(s), &beat(vec![327, 328], 188)).0.is_ok());
        }
        // 270 is 17 % short: let through as a beat, but the reference stays near 327...
        let _ = g.judge(secs(205), &beat(vec![270], 188));
        // ...so the ordinary beats that follow are still good.
        for s in 206..215 {
            assert!(
                g.judge(secs(s), &beat(vec![327, 328, 327], 188)).0.is_ok(),
                "{s}"
            );
        }
        // And a real change of rhythm is accepted by the beat check after three agreeing
        // beats (the jump in bpm is then the rate rule's business).
        let v = g.judge(secs(216), &beat(vec![500, 502, 501, 500], 123)).0;
        assert_ne!(v, Err(Rejection::BeatArtifact));
    }

    #[test]
    fn reliability_drops_when_half_the_window_is_rejected_and_comes_back() {
        let mut g = gate();
        let mut changes = Vec::new();
        for s in 200..260 {
            let contact = if (220..240).contains(&s) {
                Contact::NotDetected
            } else {
                Contact::Detected
            };
            if let (_, Some(c)) = g.judge(secs(s), &m(120, contact)) {
                changes.push((s, c));
            }
        }
        assert_eq!(changes.len(), 2, "{changes:?}");
        assert_eq!(changes[0].1, Reliability::Unreliable(Rejection::NoContact));
        assert_eq!(changes[1].1, Reliability::Reliable);
    }
}
