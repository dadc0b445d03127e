//! Which parsed measurements are trustworthy enough to coach from.
//!
//! A reading that fails here is still shown and counted, but it never places the runner in a
//! zone, never counts toward time in zone and never triggers or feeds an alert: a loose or dry
//! strap must not make the coach cry wolf.

use std::fmt;
use std::ops::RangeInclusive;

use super::measurement::{Contact, HeartRateMeasurement};

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
}

impl Rejection {
    /// Stable name for JSON output and counts.
    pub fn as_str(self) -> &'static str {
        match self {
            Rejection::NoContact => "no_contact",
            Rejection::Implausible => "implausible",
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rejection::NoContact => "strap reports no skin contact",
            Rejection::Implausible => "heart rate outside the human range",
        })
    }
}

/// Decides whether `m` can be coached from.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn m(bpm: u16, contact: Contact) -> HeartRateMeasurement {
        HeartRateMeasurement {
            bpm,
            contact,
            energy_kj: None,
            rr: vec![],
        }
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
}
