//! One file per subcommand: each reads top to bottom as what the command does.
//!
//! This is the shell around the library: it opens files, builds the source and the output,
//! and hands them to [`crate::session::run`]. `anyhow` lives here and in main only.

pub mod replay;

use anyhow::bail;

use crate::cli::{Cli, CoachingArgs, Command};
use crate::coach::CoachConfig;

/// Runs the command the user asked for.
///
/// # Errors
/// Anything that stops the command, with context for the user.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Replay(args) => replay::run(args, shutdown_on_ctrl_c()).await,
    }
}

/// The coach configuration the coaching flags describe.
///
/// # Errors
/// When no max HR is known.
pub fn coach_config(args: &CoachingArgs) -> anyhow::Result<CoachConfig> {
    let Some(max_hr) = args.max_hr else {
        bail!(
            "no max heart rate: pass --max-hr BPM (your highest measured heart rate; \
             208 - 0.7 x age is only a rough start)"
        );
    };
    let config = CoachConfig::new(max_hr);
    Ok(match args.cap_settings() {
        Some(cap) => config.with_cap(cap),
        None => config,
    })
}

/// Resolves when the user presses Ctrl-C. If the handler cannot be installed the program
/// keeps the default behaviour (Ctrl-C kills it), so this then never resolves.
async fn shutdown_on_ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}
