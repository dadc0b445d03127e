//! The command line: clap types only. Their doc comments are the `--help` text.
//!
//! Values are checked here, at parse time, so that an impossible `--max-hr` or `--cap-pct` is
//! refused with a message naming the flag before anything runs.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::coach::alerts::CapSettings;
use crate::coach::zones::Percent;

/// Coach a run by heart rate from a Bluetooth LE chest strap.
///
/// hrcoach places every heart-rate reading in a training zone and, on a sore day, holds an easy
/// run under the top of zone 2: it warns when heart rate stays above the cap, reminds while it
/// stays there, and says when it is back under. Recorded sessions replay through the very same
/// pipeline as a live run.
#[derive(Debug, Parser)]
#[command(name = "hrcoach", version, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Replay a recorded session through the coach, as if it were live.
    ///
    /// Example: hrcoach replay fixtures/sore-day-drift.jsonl --speed 60 --sore --max-hr 185
    Replay(ReplayArgs),
}

/// Arguments of `hrcoach replay`.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The recording to replay (JSON Lines; see docs/recording-format.md).
    pub file: PathBuf,

    /// Play N times faster than real time (60 turns an hour into a minute).
    #[arg(long, value_name = "N", default_value = "1", value_parser = parse_speed)]
    pub speed: f64,

    /// Play as fast as the machine goes, without waiting between events.
    #[arg(long, conflicts_with = "speed")]
    pub fast: bool,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub coaching: CoachingArgs,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub output: OutputArgs,
}

/// The runner and today's run: shared by every command that coaches.
#[derive(Debug, Args)]
#[command(next_help_heading = "Coaching")]
pub struct CoachingArgs {
    /// Your maximum heart rate in bpm (100-230); zones are percentages of it.
    #[arg(long, value_name = "BPM", value_parser = parse_max_hr)]
    pub max_hr: Option<u16>,

    /// Sore day: cap the run at the top of zone 2 and alert when heart rate stays above it.
    #[arg(long)]
    pub sore: bool,

    /// The sore-day cap as a percentage of max HR, 60-70 [default: 70, the top of zone 2].
    #[arg(long, value_name = "PERCENT", value_parser = parse_cap_pct, requires = "sore")]
    pub cap_pct: Option<Percent>,

    /// How long heart rate must stay over the cap before the first alert.
    #[arg(long, value_name = "DURATION", default_value = "20s", value_parser = parse_duration)]
    pub dwell: Duration,

    /// How many bpm under the cap heart rate must come before the alert clears.
    #[arg(long, value_name = "BPM", default_value_t = 3, value_parser = clap::value_parser!(u16).range(0..=20))]
    pub margin: u16,

    /// How long heart rate must stay that far under the cap before "back under the cap".
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration)]
    pub clear_after: Duration,

    /// How often to remind while heart rate stays over the cap.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub remind_every: Duration,
}

impl CoachingArgs {
    /// The cap settings these flags ask for, or `None` without `--sore`.
    pub fn cap_settings(&self) -> Option<CapSettings> {
        self.sore.then(|| CapSettings {
            cap: self.cap_pct.unwrap_or(CapSettings::default().cap),
            dwell: self.dwell,
            margin_bpm: self.margin,
            clear_after: self.clear_after,
            remind_every: self.remind_every,
        })
    }
}

/// How to show the run.
#[derive(Debug, Args)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Print JSON Lines on stdout instead of text (see docs/json-output.md).
    #[arg(long)]
    pub json: bool,

    /// No live status line: only alerts and the summary.
    #[arg(long, short)]
    pub quiet: bool,
}

fn parse_max_hr(s: &str) -> Result<u16, String> {
    let bpm: u16 = s
        .parse()
        .map_err(|_| format!("{s:?} is not a whole number of bpm"))?;
    if !(100..=230).contains(&bpm) {
        return Err(format!(
            "{bpm} bpm is not a plausible max heart rate (100-230)"
        ));
    }
    Ok(bpm)
}

fn parse_cap_pct(s: &str) -> Result<Percent, String> {
    let p: f64 = s
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("{s:?} is not a percentage"))?;
    if !(60.0..=70.0).contains(&p) {
        return Err(format!(
            "{p}% is outside 60-70%: the sore-day cap sits in zone 2"
        ));
    }
    Ok(Percent::from_tenths((p * 10.0).round() as u16)) // 600..=700
}

fn parse_speed(s: &str) -> Result<f64, String> {
    let n: f64 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    if !(n.is_finite() && n > 0.0 && n <= 100_000.0) {
        return Err(format!("{s} is not a speed between 0 and 100000"));
    }
    Ok(n)
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    // A bare number means seconds; otherwise humantime ("20s", "1m30s").
    if let Ok(secs) = s.parse::<u64>() {
        return Ok(Duration::from_secs(secs));
    }
    humantime::parse_duration(s)
        .map_err(|e| format!("{s:?} is not a duration like 20s or 1m30s: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn checks_max_hr_and_cap_ranges() {
        assert_eq!(parse_max_hr("185"), Ok(185));
        assert!(parse_max_hr("300").is_err());
        assert!(parse_max_hr("99").is_err());
        assert!(parse_max_hr("abc").is_err());
        assert_eq!(parse_cap_pct("67.5"), Ok(Percent::from_tenths(675)));
        assert_eq!(parse_cap_pct("65%"), Ok(Percent::whole(65)));
        assert!(parse_cap_pct("75").is_err());
        assert!(parse_cap_pct("NaN").is_err());
    }

    #[test]
    fn durations_accept_seconds_and_human_forms() {
        assert_eq!(parse_duration("20"), Ok(Duration::from_secs(20)));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_speed("0").is_err());
        assert!(parse_speed("inf").is_err());
        assert_eq!(parse_speed("60"), Ok(60.0));
    }
}
