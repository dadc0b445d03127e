//! Calibration as the `calibrate` command (and `check-in --hrv`) does it: a recording's judged
//! readings, what a measured peak means for the saved max HR, and the guided field test. The
//! measurements themselves (peaks, resting minute, LTHR) are pure, in
//! [`crate::calibrate::measures`]; this module runs recordings through the session loop for
//! them and decides over the profile. The command prints what it returns.

pub mod field_test;
pub mod max_hr;
pub mod measures;
pub mod protocol;

use std::path::{Path, PathBuf};

use crate::activity::{self, OpenError};
use crate::calibrate::measures::{DEFAULT_FORMULA, LTHR_MIN_SHARE_OF_MAX};
use crate::coach::quality::PLAUSIBLE_BPM;
use crate::coach::zones::ZoneModel;
use crate::coach::{Coach, CoachConfig};
use crate::output::collect::Collect;
use crate::profile::{MaxHr, Profile};
use crate::session::{self, SessionError};
use crate::source::replay::{Pace, Replay};

/// Said before the hard tests (the field test and the LTHR time trial), before any cue.
pub const HEALTHY_ONLY: &str = "This test is an all-out effort, for a healthy, uninjured runner only. \
Not with sore legs, pain, an injury, an illness or a heart condition: run easy or rest today \
(hrcoach live --sore), and test another day.";

/// Why an LTHR cannot be from a time trial: under [`LTHR_MIN_SHARE_OF_MAX`] of max HR. A
/// steady easy run has a "hardest 30 minutes" too, and saved, its LTHR would set every %LTHR
/// zone too low. `None` when it can be (or there is no max HR to check it against).
pub fn lthr_not_from_a_trial(bpm: u16, max: Option<&MaxHr>) -> Option<String> {
    let max = max?.bpm;
    let share = f64::from(bpm) / f64::from(max);
    (share < LTHR_MIN_SHARE_OF_MAX).then(|| {
        format!(
            "{bpm} bpm is {:.0}% of your max HR {max}: LTHR is usually 85-92% of max HR, so this recording's hardest 30 minutes were not a time trial",
            share * 100.0
        )
    })
}

/// Why a recording gave no readings to measure from.
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    /// The file cannot be opened or is not a recording or watch file.
    #[error(transparent)]
    Open(#[from] OpenError),
    /// The recording broke off or is corrupt.
    #[error(transparent)]
    Session(#[from] SessionError),
    /// Not one trusted reading.
    #[error(
        "{}: no usable heart-rate readings ({notifications} notifications, none with skin contact and a plausible bpm)",
        path.display()
    )]
    NoReadings {
        /// The file.
        path: PathBuf,
        /// How many notifications it held.
        notifications: u64,
    },
}

/// The zones a calibration judges readings against: the profile's, or, before it knows a
/// max HR, a provisional one (Tanaka for the profile's age, else 200), which it returns too.
pub fn judging_zones(profile: &Profile) -> (ZoneModel, Option<u16>) {
    match crate::settings::zone_model(profile, None, None) {
        Ok(z) => (z, None),
        Err(_) => {
            let provisional = profile.age.map_or(200, |a| DEFAULT_FORMULA.predict(a));
            (ZoneModel::percent_of_max(provisional), Some(provisional))
        }
    }
}

/// The coach that judges readings for every calibration command, so that one file gives
/// `history`, `field-test`, `resting` and `lthr` the same readings: the same zones (and with
/// them the same dry-strap ceiling), and no assumption about the max being measured. A
/// reading above the current max HR is not taken for a dry strap here: it may be the news.
pub fn judging_config(zones: ZoneModel) -> CoachConfig {
    let mut config = CoachConfig::from_zones(zones);
    config.quality.max_hr = *PLAUSIBLE_BPM.end();
    config
}

/// Runs a recording (or a watch's FIT, TCX or GPX file, as replay reads them) through the
/// session loop, as fast as possible, keeping what the coach judged: the trusted readings
/// (with the bpm it coached from), their beats, and the warnings the file raised. The caller
/// says the warnings, then asks [`require_readings`].
///
/// # Errors
/// An unreadable or corrupt recording.
pub async fn collect(path: &Path, profile: &Profile) -> Result<Collect, CollectError> {
    let reader = activity::open_session(path)?.reader;
    let mut coach = Coach::new(judging_config(judging_zones(profile).0));
    let mut out = Collect::default();
    session::run(
        &mut Replay::new(reader, Pace::Fast),
        &mut coach,
        &mut out,
        std::future::pending(),
    )
    .await?;
    Ok(out)
}

/// Refuses a recording without a single trusted reading.
///
/// # Errors
/// [`CollectError::NoReadings`].
pub fn require_readings(collected: &Collect, path: &Path) -> Result<(), CollectError> {
    if collected.trusted.is_empty() {
        return Err(CollectError::NoReadings {
            path: path.to_owned(),
            notifications: collected.summary.as_ref().map_or(0, |s| s.notifications),
        });
    }
    Ok(())
}
