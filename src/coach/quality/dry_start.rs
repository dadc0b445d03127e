//! Rule 4, dry strap: in the first minutes a high reading is suspect, and held back with the
//! readings after it until they show a heart (steady, backed by their beats, at or under max
//! HR) or a dry strap (falling, erratic, above max HR).

use std::collections::VecDeque;
use std::time::Duration;

use crate::coach::measurement::HeartRateMeasurement;
use crate::coach::trend::theil_sen_slope;

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

/// Readings under the ceiling that must lead up to a high one, unbroken, for it to be a heart
/// climbing (a hard start, an interval, a hill) and not a dry strap: about ten seconds of a
/// strap's readings.
pub const CLIMB_READINGS: usize = 10;

/// The longest step between two readings of a climb, bpm, for readings a second apart; one
/// second more between them allows [`CLIMB_BPM_PER_S`] more. A heart climbs at most a few bpm
/// a second even from rest into a sprint; a dry strap jumps by tens.
pub const CLIMB_STEP: u16 = 8;

/// See [`CLIMB_STEP`].
pub const CLIMB_BPM_PER_S: f64 = 2.0;

/// The longest gap between two readings of a climb: a watch's smart recording stores one every
/// 1-8 s.
pub const CLIMB_GAP: Duration = Duration::from_secs(8);

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

/// Why a reading in the dry window is held back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DryVerdict {
    /// Not enough readings yet to tell: held back, but no evidence the data is bad.
    Undecided,
    /// Judged a dry strap so far.
    Dry,
}

/// The dry-strap rule's state for one session.
#[derive(Debug, Clone)]
pub struct DryStart {
    /// At or above this bpm a reading is suspect.
    ceiling: u16,
    /// Above this a reading is a dry strap.
    max_hr: u16,
    /// A suspect run is open: a high reading came in the dry window, and the readings have
    /// not yet shown themselves to be a heart.
    dry: bool,
    /// The latest readings of the suspect run: time, bpm, and whether its beats agree with it.
    suspects: VecDeque<Suspect>,
    /// A suspect run has settled into a heart: the rule has done its work.
    settled: bool,
    /// The latest readings under the ceiling, for a climb into it.
    lead: VecDeque<Suspect>,
}

impl DryStart {
    /// The rule with this ceiling and max HR.
    pub fn new(ceiling: u16, max_hr: u16) -> Self {
        DryStart {
            ceiling,
            max_hr,
            dry: false,
            suspects: VecDeque::new(),
            settled: false,
            lead: VecDeque::new(),
        }
    }

    /// Whether a reading at `at` of `bpm` continues a smooth climb from under the ceiling: the
    /// last [`CLIMB_READINGS`] readings before it, and it, each no further than [`CLIMB_GAP`]
    /// and [`CLIMB_STEP`] (more for a longer gap) from the one before, backed by their beats
    /// and not falling overall. A heart that climbs into the ceiling is seen doing it; a dry
    /// strap reads high from its first readings, or jumps there.
    fn climbed(&self, at: Duration, bpm: u16, beats_agree: bool) -> bool {
        if self.lead.len() < CLIMB_READINGS || !beats_agree || bpm > self.max_hr {
            return false;
        }
        let next = Suspect {
            at,
            bpm,
            beats_agree,
        };
        let steps_ok = self
            .lead
            .iter()
            .zip(self.lead.iter().skip(1).chain(std::iter::once(&next)))
            .all(|(a, b)| {
                let dt = b.at.saturating_sub(a.at);
                let allowed =
                    f64::from(CLIMB_STEP) + CLIMB_BPM_PER_S * (dt.as_secs_f64() - 1.0).max(0.0);
                dt <= CLIMB_GAP && f64::from(a.bpm.abs_diff(b.bpm)) <= allowed
            });
        let first = self.lead.front().map_or(bpm, |s| s.bpm);
        steps_ok && self.lead.iter().all(|s| s.beats_agree) && bpm > first
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
    pub fn check(
        &mut self,
        at: Duration,
        bpm: u16,
        m: &HeartRateMeasurement,
    ) -> Result<(), DryVerdict> {
        if self.settled {
            return Ok(());
        }
        if bpm < self.ceiling && !self.dry {
            if self.lead.len() == CLIMB_READINGS {
                self.lead.pop_front();
            }
            self.lead.push_back(Suspect {
                at,
                bpm,
                beats_agree: beats_agree(m),
            });
            return Ok(());
        }
        if !self.dry && self.climbed(at, bpm, beats_agree(m)) {
            // A heart seen climbing into the ceiling: nothing to suspect, now or later.
            self.settled = true;
            self.lead.clear();
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
        Err(if judged == Suspects::Undecided {
            DryVerdict::Undecided
        } else {
            DryVerdict::Dry
        })
    }

    fn judge_suspects(&self) -> Suspects {
        let run = &self.suspects;
        let Some(last) = run.back() else {
            return Suspects::Undecided;
        };
        if last.bpm > self.max_hr || !last.beats_agree {
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
            && run.iter().all(|s| s.bpm <= self.max_hr && s.beats_agree);
        if settled {
            Suspects::Heart
        } else {
            Suspects::Undecided
        }
    }
}
