//! A recording's judged readings for the commands that measure from one (`calibrate`, and
//! `check-in --hrv`): the library's [`calibrate::collect`], with its warnings said.

use std::path::Path;

use hrcoach::calibrate;
use hrcoach::output::collect::Collect;
use hrcoach::profile::Profile;

/// The recording's trusted readings and beats, its warnings said on stderr.
///
/// # Errors
/// An unreadable or corrupt recording, or one without a single trusted reading.
pub async fn collect(path: &Path, profile: &Profile) -> anyhow::Result<Collect> {
    let out = calibrate::collect(path, profile).await?;
    for w in &out.warnings {
        eprintln!("warning: {w}");
    }
    calibrate::require_readings(&out, path)?;
    Ok(out)
}
