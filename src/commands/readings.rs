//! A recording's judged readings, for the commands that measure from one (`calibrate`, and
//! `check-in --hrv`): the recording (or watch file) through the session loop under one
//! judging coach, keeping what it trusted and the beats.

use std::path::Path;

use anyhow::bail;

use hrcoach::coach::calibration::DEFAULT_FORMULA;
use hrcoach::coach::quality::PLAUSIBLE_BPM;
use hrcoach::coach::zones::ZoneModel;
use hrcoach::coach::{Coach, CoachConfig};
use hrcoach::output::collect::Collect;
use hrcoach::profile::Profile;
use hrcoach::session;
use hrcoach::source::replay::{Pace, Replay};

/// The zones a calibration judges readings against: the profile's, or, before it knows a
/// max HR, a provisional one (Tanaka for the profile's age, else 200), which it returns too.
pub fn judging_zones(profile: &Profile) -> (ZoneModel, Option<u16>) {
    match hrcoach::settings::zone_model(profile, None, None) {
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

/// Runs a recording through the session loop, as fast as possible, keeping what the coach
/// judged: the trusted readings (with the bpm it coached from) and their beats.
///
/// # Errors
/// An unreadable or corrupt recording, or one without a single trusted reading.
pub async fn collect(path: &Path, profile: &Profile) -> anyhow::Result<Collect> {
    // A watch's FIT, TCX or GPX file as well as a recording: the same as replay reads.
    let reader = hrcoach::activity::open_session(path)?.reader;
    let mut coach = Coach::new(judging_config(judging_zones(profile).0));
    let mut out = Collect::default();
    session::run(
        &mut Replay::new(reader, Pace::Fast),
        &mut coach,
        &mut out,
        std::future::pending(),
    )
    .await?;
    for w in &out.warnings {
        eprintln!("warning: {w}");
    }
    if out.trusted.is_empty() {
        let n = out.summary.as_ref().map_or(0, |s| s.notifications);
        bail!(
            "{}: no usable heart-rate readings ({n} notifications, none with skin contact and a plausible bpm)",
            path.display()
        );
    }
    Ok(out)
}
