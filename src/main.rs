//! The `hrcoach` binary: parse the command line, run the command, report errors plainly.

use std::io;
use std::process::ExitCode;

use clap::Parser;

use crate::cli::Cli;

mod cli;
mod commands;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
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
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
