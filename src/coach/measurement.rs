//! Heart Rate Measurement (GATT characteristic 0x2A37): bytes to [`HeartRateMeasurement`] and back.
//!
//! This is the first stage of the pipeline: every notification a strap sends, live or replayed
//! from a recording, passes through [`HeartRateMeasurement::parse`]. The layout follows the
//! Bluetooth SIG *Heart Rate Service* specification (HRS 1.0, section 3.1):
//!
//! ```text
//! byte 0       flags
//!   bit 0      heart-rate value format: 0 = UINT8, 1 = UINT16
//!   bits 1-2   sensor contact: 0b00/0b01 not supported, 0b10 no contact, 0b11 contact
//!   bit 3      Energy Expended present (UINT16, kJ, cumulative)
//!   bit 4      RR-Interval present (one or more UINT16, 1/1024 s, oldest first)
//!   bits 5-7   reserved (ignored)
//! then         heart rate (1 or 2 bytes), energy (2 bytes, if flagged), RR intervals (2 bytes each)
//! ```
//!
//! All fields are little-endian. Parsing is strict about lengths: a payload that is too short
//! for what its flags announce, or that leaves a dangling odd byte where RR intervals are, is a
//! [`MeasurementError`], never a panic and never an invented value. A strap can send such a
//! payload; the session counts it and carries on.

use std::fmt;
use std::time::Duration;

/// Whether the strap can tell that it touches skin, and whether it does.
///
/// Three states, not two: a strap that does not support contact detection (bits `0b00` or
/// `0b01`) says nothing about contact, which is different from a strap that reports "no contact"
/// (`0b10`). Only the latter makes a reading untrustworthy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Contact {
    /// The strap does not report skin contact (bits 1-2 = `0b00` or `0b01`).
    NotSupported,
    /// The strap supports contact detection and reports no contact (`0b10`): the bpm is unreliable.
    NotDetected,
    /// The strap supports contact detection and reports contact (`0b11`).
    Detected,
}

impl Contact {
    /// The name used in JSON output and docs: `not_supported`, `not_detected` or `detected`.
    pub fn as_str(self) -> &'static str {
        match self {
            Contact::NotSupported => "not_supported",
            Contact::NotDetected => "not_detected",
            Contact::Detected => "detected",
        }
    }
}

/// One beat-to-beat (RR) interval in the strap's own unit, 1/1024 s.
///
/// Kept in that unit so that a recording replays bit for bit; convert only to show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RrInterval(pub u16);

impl RrInterval {
    /// The interval in 1/1024 s, as the strap sent it.
    pub fn as_units(self) -> u16 {
        self.0
    }

    /// The interval in milliseconds (for display; not exact, 1/1024 s is not a whole ms).
    pub fn as_millis_f64(self) -> f64 {
        f64::from(self.0) * 1000.0 / 1024.0
    }

    /// The interval as a [`Duration`], rounded to the nanosecond.
    pub fn as_duration(self) -> Duration {
        Duration::from_nanos((u64::from(self.0) * 1_000_000_000 + 512) / 1024)
    }
}

/// One parsed Heart Rate Measurement notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeartRateMeasurement {
    /// Heart rate in beats per minute, as the strap computed it (0 is possible and means "none").
    pub bpm: u16,
    /// Skin-contact state.
    pub contact: Contact,
    /// Cumulative energy expended in kilojoules, when the strap sends it (saturates at 65535).
    pub energy_kj: Option<u16>,
    /// Beat-to-beat intervals received with this notification, oldest first (may be empty).
    pub rr: Vec<RrInterval>,
}

/// Why a payload is not a valid Heart Rate Measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasurementError {
    /// The payload has no bytes at all, not even the flags.
    Empty,
    /// The flags announce a heart-rate value that the payload is too short to hold.
    MissingBpm {
        /// Bytes the value needs (1 for UINT8, 2 for UINT16).
        needed: usize,
        /// Bytes left after the flags.
        found: usize,
    },
    /// The flags announce Energy Expended but fewer than 2 bytes are left for it.
    MissingEnergy {
        /// Bytes left where the energy field should be.
        found: usize,
    },
    /// The RR-interval field has an odd length: the last byte is half an interval.
    DanglingRrByte,
}

impl fmt::Display for MeasurementError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MeasurementError::Empty => write!(f, "empty payload"),
            MeasurementError::MissingBpm { needed, found } => write!(
                f,
                "heart-rate value needs {needed} byte(s) after the flags, found {found}"
            ),
            MeasurementError::MissingEnergy { found } => write!(
                f,
                "energy-expended flag set but only {found} byte(s) left for its 2"
            ),
            MeasurementError::DanglingRrByte => {
                write!(f, "odd byte left over in the RR-interval field")
            }
        }
    }
}

impl std::error::Error for MeasurementError {}

impl MeasurementError {
    /// A short stable name for counting and JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            MeasurementError::Empty => "empty",
            MeasurementError::MissingBpm { .. } => "missing_bpm",
            MeasurementError::MissingEnergy { .. } => "missing_energy",
            MeasurementError::DanglingRrByte => "dangling_rr_byte",
        }
    }
}

const FLAG_BPM_U16: u8 = 0x01;
const FLAG_CONTACT_SUPPORTED: u8 = 0x04;
const FLAG_CONTACT_DETECTED: u8 = 0x02;
const FLAG_ENERGY: u8 = 0x08;
const FLAG_RR: u8 = 0x10;

impl HeartRateMeasurement {
    /// Parses one notification payload of characteristic 0x2A37.
    ///
    /// ```
    /// use hrcoach::coach::measurement::{Contact, HeartRateMeasurement, RrInterval};
    ///
    /// // Flags 0x16: UINT8 bpm, contact detected, one RR interval of 1024/1024 s.
    /// let m = HeartRateMeasurement::parse(&[0x16, 0x8c, 0x00, 0x04])?;
    /// assert_eq!((m.bpm, m.contact), (140, Contact::Detected));
    /// assert_eq!(m.rr, [RrInterval(1024)]);
    /// # Ok::<(), hrcoach::coach::measurement::MeasurementError>(())
    /// ```
    ///
    /// # Errors
    /// A [`MeasurementError`] when the payload is empty or shorter than its flags announce, or
    /// when the RR field has an odd length. Reserved flag bits are ignored.
    pub fn parse(bytes: &[u8]) -> Result<Self, MeasurementError> {
        let (&flags, rest) = bytes.split_first().ok_or(MeasurementError::Empty)?;

        let (bpm, rest) = if flags & FLAG_BPM_U16 != 0 {
            match rest {
                [lo, hi, rest @ ..] => (u16::from_le_bytes([*lo, *hi]), rest),
                _ => {
                    return Err(MeasurementError::MissingBpm {
                        needed: 2,
                        found: rest.len(),
                    });
                }
            }
        } else {
            match rest {
                [b, rest @ ..] => (u16::from(*b), rest),
                [] => {
                    return Err(MeasurementError::MissingBpm {
                        needed: 1,
                        found: 0,
                    });
                }
            }
        };

        let contact = match (
            flags & FLAG_CONTACT_SUPPORTED != 0,
            flags & FLAG_CONTACT_DETECTED != 0,
        ) {
            (false, _) => Contact::NotSupported,
            (true, false) => Contact::NotDetected,
            (true, true) => Contact::Detected,
        };

        let (energy_kj, rest) = if flags & FLAG_ENERGY != 0 {
            match rest {
                [lo, hi, rest @ ..] => (Some(u16::from_le_bytes([*lo, *hi])), rest),
                _ => return Err(MeasurementError::MissingEnergy { found: rest.len() }),
            }
        } else {
            (None, rest)
        };

        let rr = if flags & FLAG_RR != 0 {
            if rest.len() % 2 != 0 {
                return Err(MeasurementError::DanglingRrByte);
            }
            rest.chunks_exact(2)
                .map(|c| RrInterval(u16::from_le_bytes([c[0], c[1]])))
                .collect()
        } else {
            // Without the RR flag, trailing bytes carry nothing we know how to read; the spec
            // says a receiver ignores them, so we do too.
            Vec::new()
        };

        Ok(HeartRateMeasurement {
            bpm,
            contact,
            energy_kj,
            rr,
        })
    }

    /// Encodes the measurement as a strap would send it.
    ///
    /// Uses the UINT8 format when the bpm fits, sets the RR flag only when there are intervals,
    /// and writes `NotSupported` contact as bits `0b00`. `parse(encode(m)) == m` for every `m`.
    pub fn encode(&self) -> Vec<u8> {
        let mut flags = 0u8;
        let mut out = Vec::with_capacity(5 + 2 * self.rr.len());
        out.push(0); // flags, filled in below
        match u8::try_from(self.bpm) {
            Ok(b) => out.push(b),
            Err(_) => {
                flags |= FLAG_BPM_U16;
                out.extend_from_slice(&self.bpm.to_le_bytes());
            }
        }
        flags |= match self.contact {
            Contact::NotSupported => 0,
            Contact::NotDetected => FLAG_CONTACT_SUPPORTED,
            Contact::Detected => FLAG_CONTACT_SUPPORTED | FLAG_CONTACT_DETECTED,
        };
        if let Some(e) = self.energy_kj {
            flags |= FLAG_ENERGY;
            out.extend_from_slice(&e.to_le_bytes());
        }
        if !self.rr.is_empty() {
            flags |= FLAG_RR;
            for rr in &self.rr {
                out.extend_from_slice(&rr.0.to_le_bytes());
            }
        }
        out[0] = flags;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    type TestResult = Result<(), MeasurementError>;

    #[test]
    fn parses_the_example_from_the_recording_docs() -> TestResult {
        // flags 0x16: UINT8 bpm, contact supported + detected, RR present.
        let m = HeartRateMeasurement::parse(&[0x16, 0x8c, 0x00, 0x04])?;
        assert_eq!(m.bpm, 140);
        assert_eq!(m.contact, Contact::Detected);
        assert_eq!(m.energy_kj, None);
        assert_eq!(m.rr, vec![RrInterval(1024)]);
        assert_eq!(m.rr[0].as_duration(), Duration::from_secs(1));
        Ok(())
    }

    #[test]
    fn reads_uint8_and_uint16_bpm() -> TestResult {
        assert_eq!(HeartRateMeasurement::parse(&[0x00, 0xff])?.bpm, 255);
        // UINT16 little-endian: 0x012c = 300 (implausible but well-formed).
        assert_eq!(HeartRateMeasurement::parse(&[0x01, 0x2c, 0x01])?.bpm, 300);
        assert_eq!(HeartRateMeasurement::parse(&[0x01, 0x8c, 0x00])?.bpm, 140);
        Ok(())
    }

    #[test]
    fn keeps_all_three_contact_states() -> TestResult {
        let contact = |flags| HeartRateMeasurement::parse(&[flags, 120]).map(|m| m.contact);
        assert_eq!(contact(0b000)?, Contact::NotSupported);
        assert_eq!(contact(0b010)?, Contact::NotSupported);
        assert_eq!(contact(0b100)?, Contact::NotDetected);
        assert_eq!(contact(0b110)?, Contact::Detected);
        Ok(())
    }

    #[test]
    fn every_flag_combination_parses_when_long_enough() -> TestResult {
        // 32 combinations of the five defined bits, each with and without reserved bits set.
        for flags in 0u8..32 {
            for reserved in [0u8, 0xe0] {
                let f = flags | reserved;
                let mut bytes = vec![f, 150];
                if f & FLAG_BPM_U16 != 0 {
                    bytes.push(0);
                }
                if f & FLAG_ENERGY != 0 {
                    bytes.extend_from_slice(&[0x34, 0x12]);
                }
                if f & FLAG_RR != 0 {
                    bytes.extend_from_slice(&[0x00, 0x02, 0x10, 0x02]);
                }
                let m = HeartRateMeasurement::parse(&bytes)?;
                assert_eq!(m.bpm, 150, "flags {f:#04x}");
                assert_eq!(
                    m.energy_kj,
                    (f & FLAG_ENERGY != 0).then_some(0x1234),
                    "flags {f:#04x}"
                );
                let want_rr = if f & FLAG_RR != 0 {
                    vec![RrInterval(512), RrInterval(528)]
                } else {
                    vec![]
                };
                assert_eq!(m.rr, want_rr, "flags {f:#04x}");
            }
        }
        Ok(())
    }

    #[test]
    fn energy_comes_before_rr_and_saturates_at_u16_max() -> TestResult {
        let m = HeartRateMeasurement::parse(&[0x18, 100, 0xff, 0xff, 0x00, 0x03])?;
        assert_eq!(m.energy_kj, Some(u16::MAX));
        assert_eq!(m.rr, vec![RrInterval(768)]);
        Ok(())
    }

    #[test]
    fn rr_flag_with_no_intervals_is_an_empty_list() -> TestResult {
        assert!(HeartRateMeasurement::parse(&[0x10, 90])?.rr.is_empty());
        Ok(())
    }

    #[test]
    fn several_rr_intervals_keep_their_order() -> TestResult {
        let m = HeartRateMeasurement::parse(&[0x10, 90, 0x01, 0x03, 0x02, 0x03, 0x03, 0x03])?;
        assert_eq!(
            m.rr,
            vec![RrInterval(769), RrInterval(770), RrInterval(771)]
        );
        Ok(())
    }

    #[test]
    fn rejects_malformed_payloads() {
        use MeasurementError::*;
        let cases: &[(&[u8], MeasurementError)] = &[
            (&[], Empty),
            (
                &[0x00],
                MissingBpm {
                    needed: 1,
                    found: 0,
                },
            ),
            (
                &[0x01],
                MissingBpm {
                    needed: 2,
                    found: 0,
                },
            ),
            (
                &[0x01, 0x8c],
                MissingBpm {
                    needed: 2,
                    found: 1,
                },
            ),
            (&[0x08, 0x8c], MissingEnergy { found: 0 }),
            (&[0x08, 0x8c, 0x01], MissingEnergy { found: 1 }),
            (&[0x09, 0x8c, 0x00, 0x01], MissingEnergy { found: 1 }),
            (&[0x10, 0x8c, 0x00], DanglingRrByte),
            (&[0x10, 0x8c, 0x00, 0x04, 0x01], DanglingRrByte),
            (&[0x18, 0x8c, 0x00, 0x00, 0x01], DanglingRrByte),
        ];
        for (bytes, want) in cases {
            assert_eq!(
                HeartRateMeasurement::parse(bytes),
                Err(*want),
                "{bytes:02x?}"
            );
        }
    }

    #[test]
    fn ignores_trailing_bytes_without_rr_flag() -> TestResult {
        assert!(
            HeartRateMeasurement::parse(&[0x00, 80, 0xaa])?
                .rr
                .is_empty()
        );
        Ok(())
    }

    #[test]
    fn rr_units_convert_for_display_only() {
        assert_eq!(RrInterval(512).as_millis_f64(), 500.0);
        assert_eq!(RrInterval(1).as_duration(), Duration::from_nanos(976_563));
    }

    fn any_measurement() -> impl Strategy<Value = HeartRateMeasurement> {
        (
            any::<u16>(),
            prop_oneof![
                Just(Contact::NotSupported),
                Just(Contact::NotDetected),
                Just(Contact::Detected)
            ],
            proptest::option::of(any::<u16>()),
            proptest::collection::vec(any::<u16>().prop_map(RrInterval), 0..12),
        )
            .prop_map(|(bpm, contact, energy_kj, rr)| HeartRateMeasurement {
                bpm,
                contact,
                energy_kj,
                rr,
            })
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = HeartRateMeasurement::parse(&bytes);
        }

        #[test]
        fn encode_then_parse_is_exact(m in any_measurement()) {
            prop_assert_eq!(HeartRateMeasurement::parse(&m.encode()), Ok(m));
        }

        #[test]
        fn parse_never_invents_rr_intervals(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            if let Ok(m) = HeartRateMeasurement::parse(&bytes) {
                // Every interval comes from two bytes of the payload.
                prop_assert!(2 * m.rr.len() + 2 <= bytes.len() || m.rr.is_empty());
            }
        }
    }
}
