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

mod beats;
mod dry_start;
mod rate;
mod reliability;

use std::fmt;
use std::ops::RangeInclusive;
use std::time::Duration;

use super::measurement::{Contact, HeartRateMeasurement};
use beats::BeatCheck;
use dry_start::{DryStart, DryVerdict};
pub use dry_start::{FALLING_BPM_PER_S, SETTLE_READINGS, SETTLE_SPAN, SETTLE_SPREAD};
pub use rate::RateGate;
use reliability::ReliabilityWindow;

/// Heart rates a human heart can plausibly show while exercising, in bpm.
///
/// The lowest resting heart rates recorded in trained athletes are in the high 20s, and measured
/// maxima above 220 bpm are rare; 25..=240 keeps every real reading and rejects the 0 that many
/// straps send while they search for a signal, and the 255 of an uninitialised sensor.
pub const PLAUSIBLE_BPM: RangeInclusive<u16> = 25..=240;

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
    beats: BeatCheck,
    rate: RateGate,
    dry: DryStart,
    /// The last verdict was a suspect reading not (yet) judged a dry strap: it is held back
    /// from coaching but is no evidence that the data is bad.
    undecided: bool,
    window: ReliabilityWindow,
}

impl QualityGate {
    /// A gate with these settings; readings further apart than `max_gap` break continuity
    /// (the checks re-anchor), as everywhere in the coach ([`super::CoachConfig::max_gap`]).
    pub fn new(settings: QualitySettings, max_gap: Duration) -> Self {
        QualityGate {
            max_gap,
            first_at: None,
            last_at: None,
            beats: BeatCheck::new(settings.max_beat_change),
            rate: RateGate::new(settings.max_rate_bpm_per_s, max_gap),
            dry: DryStart::new(settings.dry_ceiling, settings.max_hr),
            undecided: false,
            window: ReliabilityWindow::new(settings.window, settings.unreliable_share),
            settings,
        }
    }

    /// The current reliability.
    pub fn reliability(&self) -> Reliability {
        self.window.reliability()
    }

    /// The link was lost: beat and rate references no longer hold.
    pub fn link_lost(&mut self) {
        self.rate.reset();
        self.beats.reset();
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
            self.beats.reset();
        }
        self.last_at = Some(at);
        let first = *self.first_at.get_or_insert(at);
        self.undecided = false;
        let verdict = self.verdict(at, first, m);
        if self.undecided {
            // Held back, but no evidence of bad data: the reliability window does not see it.
            return (verdict, None);
        }
        (verdict, self.window.track(at, verdict.err()))
    }

    fn verdict(
        &mut self,
        at: Duration,
        first: Duration,
        m: &HeartRateMeasurement,
    ) -> Result<u16, Rejection> {
        let mut bpm = assess(m)?;
        if !m.rr.is_empty() {
            let (good, total) = self.beats.good_beats(&m.rr);
            if good == 0 && !self.beats.matches_rhythm(m.bpm) {
                return Err(Rejection::BeatArtifact);
            }
            if good > 0 && good < m.rr.len() {
                // Some beats were artifacts: the strap's average includes them, ours does not.
                bpm = (60.0 * 1024.0 * good as f64 / f64::from(total)).round() as u16;
            }
        }
        if at.saturating_sub(first) < self.settings.dry_window
            && let Err(held) = self.dry.check(at, bpm, m)
        {
            self.undecided = held == DryVerdict::Undecided;
            return Err(Rejection::DryStart);
        }
        match self.rate.check(at, bpm) {
            Some(_) => Ok(bpm),
            None => Err(Rejection::TooFast),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coach::DEFAULT_MAX_GAP;
    use crate::coach::measurement::RrInterval;

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
