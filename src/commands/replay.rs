//! `hrcoach replay FILE`: a recording through the same session loop a live run uses.

use std::future::Future;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::Context;

use crate::cli::ReplayArgs;
use crate::coach::Coach;
use crate::output::Output;
use crate::output::display::Terminal;
use crate::output::format::basis_label;
use crate::output::json::JsonLines;
use crate::recording::RecordingReader;
use crate::session;
use crate::source::replay::{Pace, Replay};

/// Replays `args.file` until it ends or `shutdown` fires.
///
/// # Errors
/// Bad flags, an unreadable or corrupt recording, or failing output.
pub async fn run(
    profile_path: &Path,
    args: ReplayArgs,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let profile = super::load_profile(profile_path)?;
    let config = super::coach_config(&args.coaching, &profile)?;
    let reader = RecordingReader::open(&args.file)?;
    let mut coach = Coach::new(config);
    let zones = coach.config().zones.clone();

    let mut output: Box<dyn Output> = if args.output.json {
        Box::new(JsonLines::new(BufWriter::new(io::stdout().lock()), zones))
    } else {
        let mut intro = format!(
            "Replaying {} - max HR {}, zones (% of {}) from {} bpm",
            args.file.display(),
            zones.max_hr(),
            basis_label(zones.basis()),
            zones.lower_bounds().map(|b| b.to_string()).join("/")
        );
        if let (Some(cap), Some(pct)) = (coach.cap_bpm(), coach.config().cap_percent()) {
            intro.push_str(&format!(
                "; sore day: cap {cap} bpm ({pct} of {})",
                basis_label(zones.basis())
            ));
        }
        writeln!(io::stdout(), "{intro}").context("cannot write to stdout")?;
        Box::new(Terminal::new(zones, coach.cap_bpm(), args.output.quiet))
    };

    let pace = if args.fast {
        Pace::Fast
    } else {
        Pace::Speed(args.speed)
    };
    let mut source = Replay::new(reader, pace);
    session::run(&mut source, &mut coach, output.as_mut(), shutdown).await?;
    Ok(())
}
