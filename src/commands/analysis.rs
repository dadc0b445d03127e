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
    let coaching = super::coaching(args);
    let prefix = format!("{}: ", path.display());
    let config = match hrcoach::settings::as_recorded(&coaching, header.as_ref())? {
        Some(config) => {
            // The run's own zones, cap and plan, not today's profile or check-in.
            let cap = hrcoach::output::format::cap_banner(&config)
                .map_or_else(|| "no cap".to_owned(), |c| format!("sore day, {c}"));
            eprintln!(
                "{prefix}coached as recorded: max HR {}, {cap} (flags such as --max-hr or --sore look back otherwise)",
                config.zones.max_hr()
            );
            config
        }
        None => {
            let mut config = super::session_config(&coaching, profile, path, header.as_ref())?;
            let date = header
                .as_ref()
                .and_then(Header::start_date)
                .unwrap_or_else(super::today_date);
            super::apply_check_in(args, profile, &mut config, store, date, &prefix)?;
            config
        }
    };
    Ok(analysis::analyse(opened, path, config, keep).await?)
}
