//! The `hrcoach` binary: parse the command line, run the command, report errors plainly.

use std::io::{self, IsTerminal};
use std::process::ExitCode;

use clap::Parser;

use crate::cli::Cli;

mod cli;
mod commands;

/// `RUST_LOG=hrcoach=debug` (or `debug` for btleplug and bluez-async too) writes what the
/// Bluetooth edge does to stderr, for bug reports (docs/hardware.md). Off unless asked for.
fn diagnostics() {
    if std::env::var_os("RUST_LOG").is_none() {
        return;
    }
    let filter = match tracing_subscriber::EnvFilter::try_from_default_env() {
        Ok(filter) => filter,
        Err(e) => {
            eprintln!("warning: RUST_LOG ignored: {e}");
            return;
        }
    };
    let color = std::env::var_os("NO_COLOR").is_none() && io::stderr().is_terminal();
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(color)
        .init();
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    diagnostics();
    let cli = Cli::parse();
    match commands::dispatch(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // `hrcoach replay ... | head` closes the pipe early: that is not a failure.
            let broken_pipe = e.chain().any(|c| {
                c.downcast_ref::<io::Error>()
                    .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            // Ctrl-C before a live run began: said, with the shell's code for SIGINT.
            let interrupted = e.chain().any(|c| {
                matches!(
                    c.downcast_ref::<hrcoach::live_run::LiveError>(),
                    Some(hrcoach::live_run::LiveError::Interrupted)
                )
            });
            if interrupted {
                eprintln!("{e:#}");
                return ExitCode::from(130);
            }
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
