//! The settings a run looked back at is coached with, then the library's
//! [`hrcoach::report::analysis::analyse`]: the same coach as `replay` (the flags, the profile,
//! the file and that day's check-in), without pacing or output.

use std::path::Path;

use hrcoach::activity::open_session;
use hrcoach::profile::Profile;
use hrcoach::recording::Header;
use hrcoach::report::analysis::{self, Analysis, Rows};
use hrcoach::store::Store;

use crate::cli::CoachingArgs;

/// Runs `path` through the coach.
///
/// # Errors
/// An unreadable file or bad settings.
pub async fn analyse(
    path: &Path,
    args: &CoachingArgs,
    profile: &Profile,
    store: Option<&Store>,
    keep: Rows,
) -> anyhow::Result<Analysis> {
    let opened = open_session(path)?;
    let header = opened.reader.header().cloned();
    let mut config = super::session_config(&super::coaching(args), profile, path, header.as_ref())?;
    let date = header
        .as_ref()
        .and_then(Header::start_date)
        .unwrap_or_else(super::today_date);
    let prefix = format!("{}: ", path.display());
    super::apply_check_in(args, profile, &mut config, store, date, &prefix)?;
    Ok(analysis::analyse(opened, path, config, keep).await?)
}
