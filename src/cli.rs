//! The command line: clap types only. Their doc comments are the `--help` text.
//!
//! Values are checked here, at parse time, so that an impossible `--max-hr` or `--cap-pct` is
//! refused with a message naming the flag before anything runs.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use hrcoach::calibrate::measures::DEFAULT_FORMULA;
use hrcoach::checkins::rules::{Area, Gait, Moving, Pain, Sides};
use hrcoach::coach::answer::Answer;
use hrcoach::output::say::SpeechCommand;
use hrcoach::profile::{Sex, ZoneModelName, limits};

/// Coach a run by heart rate from a Bluetooth LE chest strap.
///
/// hrcoach places every heart-rate reading in a training zone and, on a sore day, holds an easy
/// run under a cap (an easy effort, at most 70% of max HR): it warns when heart rate stays
/// above the cap, reminds while it stays there, and says when it is back under. Recorded sessions replay through the very same
/// pipeline as a live run.
#[derive(Debug, Parser)]
#[command(name = "hrcoach", version = VERSION, propagate_version = true, after_help = START_HERE)]
pub struct Cli {
    /// The profile to read and write [default: the platform config dir, e.g.
    /// ~/.config/hrcoach/profile.toml].
    #[arg(long, global = true, value_name = "FILE")]
    pub profile: Option<PathBuf>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Where a new user starts, below the top-level help.
const START_HERE: &str = "\
Start here:
  1. hrcoach calibrate formula --age 40 --save    a first max HR (a field test is better later)
  2. hrcoach replay FILE --speed 60 --sore        see what the coach says, no strap needed
  3. hrcoach scan                                 find your strap (worn, electrodes wet)
  4. hrcoach check-in                             in the morning: sore today? sets the plan
  5. hrcoach live                                 run with it
`hrcoach COMMAND --help` for each; `man hrcoach` once installed.";

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Replay a recorded session through the coach, as if it were live.
    ///
    /// Example: hrcoach replay fixtures/sore-day-drift.jsonl --speed 60 --sore --max-hr 185
    Replay(ReplayArgs),

    /// List the Bluetooth heart-rate straps in range.
    Scan(ScanArgs),

    /// Coach a run live from a heart-rate strap, recording every notification.
    ///
    /// Example: hrcoach live --sore --duration 40m
    Live(LiveArgs),

    /// Show your zones, and the sore-day cap under each zone model side by side.
    Zones(ZonesArgs),

    /// Show or change your profile (max HR, resting HR, LTHR, zone model, cap, alerts).
    #[command(subcommand)]
    Profile(ProfileCommand),

    /// Find your max HR, resting HR or LTHR.
    #[command(subcommand)]
    Calibrate(CalibrateCommand),

    /// Morning check-in: sore today? Sets today's plan and cap.
    ///
    /// How sore you are (and, if taken, your morning HRV and this week's load) decides today's
    /// plan: train, easy under a cap, cross-train or rest. `live` and `replay` apply its cap
    /// today without --sore. Asks on a terminal; every answer is also a flag. The table:
    /// docs/check-in.md.
    /// Example: hrcoach check-in --soreness 3 --sides equal --pain dull --moving easing --gait normal
    CheckIn(CheckInArgs),

    /// Store watch files (FIT, TCX, GPX) as recordings, with their original start time.
    ///
    /// Goes on past a file that cannot be read and reports it (exit status 1 if any failed).
    /// Imported recordings replay, report and export like any other.
    Import(ImportArgs),

    /// Look back at runs: time in zone, time over the cap, alerts, drift, gaps, a chart.
    ///
    /// Takes recordings and watch files (FIT, TCX, GPX) alike.
    Report(ReportArgs),

    /// Write a run as FIT, TCX, GPX or CSV, with the alerts it was given.
    Export(ExportArgs),

    /// Show today's plan from this morning's check-in (or from a warning sign still open).
    Today {
        /// The day to show, YYYY-MM-DD [default: today, local time].
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<jiff::civil::Date>,
        /// One JSON object instead of text.
        #[arg(long)]
        json: bool,
    },

    /// Print a shell completion script (for packagers: docs/packaging.md).
    ///
    /// Example: hrcoach completions bash > /usr/share/bash-completion/completions/hrcoach
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Print the man page, in roff, or write every page to a folder (for packagers:
    /// docs/packaging.md).
    ///
    /// Example: hrcoach man --dir man1 && man -l man1/hrcoach-replay.1
    Man {
        /// Write hrcoach.1 and a page for each subcommand (hrcoach-replay.1...) into DIR
        /// instead of printing hrcoach.1.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// The version `--version` prints: the package's, and the commit it was built from when built
/// from a git checkout (build.rs), e.g. "0.1.0 (3f2c1ab)".
///
/// build.rs compiles this file too (for the man pages), before it has set `HRCOACH_VERSION`:
/// there the package's version stands in.
pub const VERSION: &str = match option_env!("HRCOACH_VERSION") {
    Some(v) => v,
    None => env!("CARGO_PKG_VERSION"),
};

/// `hrcoach profile ...`
#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Print the profile and where it is.
    Show,
    /// Set one value.
    ///
    /// Example: hrcoach profile set max-hr 188
    Set {
        /// The key to set.
        key: ProfileKey,
        /// Its new value.
        value: String,
    },
}

/// `hrcoach check-in`
#[derive(Debug, Args)]
pub struct CheckInArgs {
    /// How sore, 0 (not at all) to 10 (the worst imaginable).
    #[arg(long, value_name = "0-10", value_parser = clap::value_parser!(u8).range(0..=10))]
    pub soreness: Option<u8>,
    /// Both legs about the same, or one clearly worse: equal | one-worse.
    #[arg(long, value_name = "equal|one-worse", value_parser = parse_name::<Sides>)]
    pub sides: Option<Sides>,
    /// A dull ache, or sharp / localised pain: dull | sharp.
    #[arg(long, value_name = "dull|sharp", value_parser = parse_name::<Pain>)]
    pub pain: Option<Pain>,
    /// When you move around: easing | same | worse.
    #[arg(long, value_name = "easing|same|worse", value_parser = parse_name::<Moving>)]
    pub moving: Option<Moving>,
    /// How you walk or run: normal | changed.
    #[arg(long, value_name = "normal|changed", value_parser = parse_name::<Gait>)]
    pub gait: Option<Gait>,
    /// Where it is sore: calves, quads, hamstrings, glutes, shins, feet, hips, back
    /// (comma-separated).
    #[arg(long = "where", value_name = "LIST", value_delimiter = ',', value_parser = parse_name::<Area>)]
    pub areas: Vec<Area>,
    /// Morning HRV from a resting recording (a few minutes lying still on waking, e.g. from
    /// `hrcoach live --duration 5m --record FILE`): RMSSD, ln RMSSD and resting HR, against
    /// your usual range once there are enough mornings.
    #[arg(long, value_name = "FILE")]
    pub hrv: Option<PathBuf>,
    /// Morning HRV taken now from the strap: lie still, breathe normally; a progress bar
    /// shows the time left. The recording is kept in the data directory (hrv/DATE.jsonl).
    #[arg(long, conflicts_with = "hrv")]
    pub hrv_live: bool,
    /// How long --hrv-live records: a minute of settling, then the five minutes RMSSD is
    /// taken from.
    #[arg(long, value_name = "DURATION", default_value = "6m", value_parser = parse_duration, requires = "hrv_live")]
    pub hrv_live_for: Duration,
    /// The day it is for, YYYY-MM-DD [default: today, local time].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<jiff::civil::Date>,
    /// One JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Parses a value by its serde name (`one-worse`, `sharp`...), with serde's list of the
/// names it knows in the error.
fn parse_name<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).map_err(|e| e.to_string())
}

fn parse_zone_bounds(s: &str) -> Result<[u16; 5], String> {
    hrcoach::coach::zones::parse_bounds(s)
}

fn parse_date(s: &str) -> Result<jiff::civil::Date, String> {
    s.parse()
        .map_err(|e| format!("{s:?} is not a date like 2026-11-27: {e}"))
}

/// The keys `profile set` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProfileKey {
    /// Max heart rate, bpm (100-230).
    MaxHr,
    /// Resting heart rate, bpm (25-120).
    RestingHr,
    /// Lactate threshold heart rate, bpm (90-220).
    Lthr,
    /// Age in years (10-100).
    Age,
    /// female or male.
    Sex,
    /// max, hrr or lthr.
    ZoneModel,
    /// Your own zones: the lower bounds of zones 1-5 in bpm, e.g. 133,147,162,176,190
    /// ("none" to go back to the zone model's).
    Zones,
    /// The sore-day cap, percent of the zone model's basis.
    CapPct,
    /// Time over the cap before the first alert.
    Dwell,
    /// bpm under the cap before the alert clears (0-20).
    Margin,
    /// Time that far under before "back under the cap".
    ClearAfter,
    /// Time between reminders.
    RemindEvery,
}

impl ProfileKey {
    /// The key as typed: `max-hr`, `cap-pct`...
    pub fn name(self) -> String {
        self.to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_owned())
    }
}

/// Sex, as the formulas use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SexArg {
    /// For the formula made for women (Gulati).
    Female,
    /// Male.
    Male,
}

impl From<SexArg> for Sex {
    fn from(s: SexArg) -> Sex {
        match s {
            SexArg::Female => Sex::Female,
            SexArg::Male => Sex::Male,
        }
    }
}

/// `hrcoach scan`
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// How long to look for straps (the same flag as `live --scan-timeout`).
    #[arg(long, alias = "timeout", value_name = "DURATION", default_value = "5s", value_parser = parse_duration)]
    pub scan_timeout: Duration,

    /// One JSON object per strap on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `hrcoach live`
#[derive(Debug, Args)]
// A live run has no watch file to take zones from: not offered (and refused if typed).
#[command(mut_arg("zones_from_file", |a| a.hide(true)))]
pub struct LiveArgs {
    /// The strap to use, by name (or part of it) or address [default: the last one used,
    /// else the only one in range].
    #[arg(long, value_name = "NAME|ADDRESS")]
    pub device: Option<String>,

    /// Stop after this long [default: run until Ctrl-C].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub duration: Option<Duration>,

    /// Run even though today's plan says cross-train or rest (this morning's check-in, or a
    /// warning sign still open from an earlier one), under the tightest cap; without it,
    /// `live` asks on a terminal and refuses otherwise, whatever other flags are given.
    #[arg(long)]
    pub anyway: bool,

    /// Record to FILE [default: a new file in the data directory, e.g.
    /// ~/.local/share/hrcoach/recordings/]. A FILE that holds something is never replaced
    /// without --force.
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,

    /// Replace the --record FILE if it exists.
    #[arg(long, requires = "record")]
    pub force: bool,

    /// How long to look for straps before connecting.
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_duration)]
    pub scan_timeout: Duration,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub coaching: CoachingArgs,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub run: RunArgs,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub output: OutputArgs,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub views: ViewArgs,
}

/// The live views: a page for a phone, a full-screen terminal (`live` and `replay`).
#[derive(Debug, Default, Args)]
#[command(next_help_heading = "Live views")]
pub struct ViewArgs {
    /// Serve a page for a phone at ADDR:PORT [bare: all interfaces, port 8080]: big digits,
    /// the zone, the cap, the last cue, the link, and the warm-up check's buttons. Its
    /// address, with a token made at start, is printed on stderr (and as a QR code on a
    /// terminal); without the token, nothing is served. Off unless given.
    #[arg(long, value_name = "ADDR:PORT", num_args = 0..=1, default_missing_value = "0.0.0.0:8080", value_parser = parse_serve)]
    pub serve: Option<std::net::SocketAddr>,

    /// Full-screen terminal view: big digits, the zone bar, the cap, ten minutes of heart
    /// rate, the last cues and the link. Keys: q ends the run, e/s/w answer the warm-up
    /// check. When stdout is not a terminal, the status line instead.
    #[arg(long, conflicts_with_all = ["json", "quiet"])]
    pub tui: bool,
}

fn parse_serve(s: &str) -> Result<std::net::SocketAddr, String> {
    if let Ok(port) = s.parse::<u16>() {
        return Ok(std::net::SocketAddr::from(([0, 0, 0, 0], port)));
    }
    s.parse().map_err(|_| {
        format!("{s:?} is not ADDR:PORT (e.g. 0.0.0.0:8080, 192.168.1.5:8080, or a port alone)")
    })
}

/// How the run itself goes, beside its heart rate (`live` and `replay`).
#[derive(Debug, Args)]
#[command(next_help_heading = "The run")]
pub struct RunArgs {
    /// Run/walk: "Walk." when heart rate has been over the cap for the dwell time, "Run
    /// again, gently." when it is back 5 bpm under for 5 s. On by itself when the day's cap
    /// is at or below 65% of max HR.
    #[arg(long)]
    pub run_walk: bool,

    /// An out-and-back route: "Turn around now" at half the plan's time (the check-in's
    /// "at most").
    #[arg(long)]
    pub out_and_back: bool,

    /// The plan's time, said at the start and when it is up ("35 minutes: that's today's
    /// run") [default: the day's check-in's "at most", if any].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub plan_time: Option<Duration>,

    /// On a sore day, when to ask "Has the soreness eased?" (answer with e, s or w and Enter).
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = parse_duration)]
    pub check_at: Duration,
}

/// `hrcoach zones`
#[derive(Debug, Args)]
pub struct ZonesArgs {
    /// Use this max HR instead of the profile's.
    #[arg(long, value_name = "BPM", value_parser = parse_max_hr)]
    pub max_hr: Option<u16>,

    /// Use this zone model instead of the profile's.
    #[arg(long, value_name = "MODEL", value_parser = parse_zone_model)]
    pub zone_model: Option<ZoneModelName>,
}

/// `hrcoach calibrate ...`
#[derive(Debug, Subcommand)]
pub enum CalibrateCommand {
    /// Max HR from your age: five published formulas, with their typical error.
    Formula {
        /// Your age in years (10-100).
        #[arg(long, value_parser = parse_age)]
        age: u16,
        /// Your sex, for the formula made for women (Gulati).
        #[arg(long, value_enum)]
        sex: Option<SexArg>,
        /// Save a formula's value as your max HR [default formula: tanaka].
        #[arg(long, value_name = "FORMULA", num_args = 0..=1, default_missing_value = DEFAULT_FORMULA.name)]
        save: Option<String>,
    },

    /// Max HR from recorded sessions: the highest value sustained, artifacts rejected.
    History {
        /// Recordings to search.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Save the estimate as your max HR. It can raise a max; it replaces a lower one
        /// only over a formula's value.
        #[arg(long)]
        save: bool,
        /// With --save: replace your max HR even when the estimate is lower (a max you
        /// entered, field-tested or had measured is otherwise kept).
        #[arg(long, requires = "save")]
        force: bool,
    },

    /// A guided max-HR field test (run from a recording for now; live with a strap later).
    ///
    /// 15 min easy warm-up, three 3-minute hard efforts uphill with 3 minutes easy between,
    /// the last one building to all-out, then a cool-down. Refused on a sore day.
    FieldTest {
        /// The recording of the test.
        file: PathBuf,
        /// Today is a sore day: the test is refused.
        #[arg(long)]
        sore: bool,
        /// Play N times faster than real time.
        #[arg(long, value_name = "N", default_value = "1", value_parser = parse_speed)]
        speed: f64,
        /// Play as fast as the machine goes.
        #[arg(long, conflicts_with = "speed")]
        fast: bool,
        /// Save the result as your max HR. It can raise a max; it replaces a lower one only
        /// over a formula's value.
        #[arg(long)]
        save: bool,
        /// With --save: replace your max HR even when the result is lower.
        #[arg(long, requires = "save")]
        force: bool,
    },

    /// Resting HR (lowest sustained minute) and RMSSD, lying still on waking.
    Resting {
        /// The recording of a few minutes lying still.
        file: PathBuf,
        /// Save the result in the profile.
        #[arg(long)]
        save: bool,
    },

    /// LTHR from Friel's 30-minute solo time trial: the mean HR of the last 20 minutes.
    Lthr {
        /// The recording of the time trial.
        file: PathBuf,
        /// Today is a sore day: the test is refused.
        #[arg(long)]
        sore: bool,
        /// Save the result in the profile.
        #[arg(long)]
        save: bool,
    },
}

/// Arguments of `hrcoach replay`.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The recording to replay (JSON Lines; see docs/recording-format.md), or a watch file:
    /// FIT, TCX or GPX, recognised by its content (docs/file-formats.md).
    pub file: PathBuf,

    /// Play N times faster than real time (60 turns an hour into a minute).
    #[arg(long, value_name = "N", default_value = "1", value_parser = parse_speed)]
    pub speed: f64,

    /// Play as fast as the machine goes, without waiting between events.
    #[arg(long, conflicts_with = "speed")]
    pub fast: bool,

    /// What if: replay under several settings (caps of 60/65/70 % of max HR and 50/55/60 %
    /// of HRR, dwell times) and print a table of alerts, time over the cap and first alert
    /// for each.
    #[arg(long, conflicts_with_all = ["speed", "fast"])]
    pub compare: bool,

    /// Also write what is replayed to FILE, alerts included, in the recording format. A FILE
    /// that holds something is never replaced without --force, and never the file replayed.
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,

    /// Replace the --record FILE if it exists.
    #[arg(long, requires = "record")]
    pub force: bool,

    /// Answer the warm-up check at a time of the replay, as a runner would: eased, same or
    /// worse, at a time into the session (`worse@10m`, `same@12m30s`). Repeatable.
    #[arg(long, value_name = "ANSWER@TIME", value_parser = parse_answer)]
    pub answer: Vec<(Duration, Answer)>,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub coaching: CoachingArgs,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub run: RunArgs,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub output: OutputArgs,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub views: ViewArgs,
}

/// `hrcoach import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Watch files to import: FIT, TCX or GPX, recognised by their content.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,

    /// Where to store the recordings [default: the recordings directory,
    /// ~/.local/share/hrcoach/recordings].
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// `hrcoach report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Recordings or watch files (FIT, TCX, GPX) to report on.
    #[arg(required_unless_present_any = ["last", "week"], conflicts_with_all = ["last", "week"])]
    pub files: Vec<PathBuf>,

    /// The most recent recording in the recordings directory.
    #[arg(long, conflicts_with = "week")]
    pub last: bool,

    /// The last seven days of recordings: time in zone, sessions and running time per day.
    #[arg(long)]
    pub week: bool,

    /// Also draw heart rate over time on the zone bands, with the cap, alerts and gaps, as SVG
    /// (one file: OUT; several: OUT with the file's name added).
    #[arg(long, value_name = "OUT.svg", conflicts_with = "week")]
    pub plot: Option<PathBuf>,

    /// One JSON object per run (the summary object replay ends with, and more) instead of text.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub coaching: CoachingArgs,
}

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// FIT activity (Garmin Connect, Strava, intervals.icu...), alerts as events.
    Fit,
    /// Garmin Training Center Database v2, alerts in the lap notes.
    Tcx,
    /// GPX 1.1 with heart rate (needs positions: a watch file's).
    Gpx,
    /// One row per sample: time, bpm, zone, trusted or why not, alert.
    Csv,
}

/// `hrcoach export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The recording or watch file (FIT, TCX, GPX) to export.
    pub file: PathBuf,

    /// The format to write.
    #[arg(long, value_name = "FORMAT")]
    pub to: ExportFormat,

    /// Where to write; `-` for stdout [default: FILE with the new extension, next to it].
    /// An existing file is never replaced without --force.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,

    /// Replace OUT if it exists.
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub coaching: CoachingArgs,
}

/// The runner and today's run: shared by every command that coaches. Each flag overrides
/// the profile for this run only.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Coaching")]
pub struct CoachingArgs {
    /// Your maximum heart rate in bpm (100-230) [default: the profile's].
    #[arg(long, value_name = "BPM", value_parser = parse_max_hr)]
    pub max_hr: Option<u16>,

    /// Zone model: max (% of max HR), hrr (% of heart-rate reserve), lthr (% of LTHR)
    /// [default: the profile's, else max].
    #[arg(long, value_name = "MODEL", value_parser = parse_zone_model)]
    pub zone_model: Option<ZoneModelName>,

    /// Your own zones for this run: the lower bounds of zones 1-5 in bpm, e.g.
    /// 133,147,162,176,190 [default: the profile's, else the zone model's].
    #[arg(long, value_name = "LIST", value_parser = parse_zone_bounds)]
    pub zones: Option<[u16; 5]>,

    /// Use the zones the watch stored in the file (FIT time_in_zone or hr_zone) [default: the
    /// profile's]. Says which were found.
    #[arg(long, conflicts_with = "zones")]
    pub zones_from_file: bool,

    /// Sore day: cap the run at an easy effort (70% of max HR, 60% of HRR or 85% of LTHR, never
    /// above 70% of max HR) and alert when heart rate stays above it. Makes the day's check-in
    /// stricter, never looser.
    #[arg(long)]
    pub sore: bool,

    /// The sore-day cap as a percentage: 50-70 of max HR, 40-70 of HRR, 75-90 of LTHR
    /// [default: an easy effort: 70 of max HR, 60 of HRR, 85 of LTHR].
    #[arg(long, value_name = "PERCENT", value_parser = parse_cap_pct, requires = "sore")]
    pub cap_pct: Option<f64>,

    /// How long heart rate must stay over the cap before the first alert [default: 20s].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub dwell: Option<Duration>,

    /// How many bpm under the cap heart rate must come before the alert clears [default: 3].
    #[arg(long, value_name = "BPM", value_parser = margin_bpm)]
    pub margin: Option<u16>,

    /// How long heart rate must stay that far under the cap before "back under the cap"
    /// [default: 10s].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub clear_after: Option<Duration>,

    /// How often to remind while heart rate stays over the cap [default: 60s].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub remind_every: Option<Duration>,
}

/// How to show the run.
#[derive(Debug, Default, Args)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Print JSON Lines on stdout instead of text (see docs/json-output.md).
    #[arg(long)]
    pub json: bool,

    /// No live status line: only alerts and the summary.
    #[arg(long, short)]
    pub quiet: bool,

    /// Also write what --json would print to FILE (appended, each line flushed as it comes),
    /// while the terminal shows the run.
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,

    /// Speak each alert by running COMMAND with the alert text as its last argument
    /// (e.g. --say espeak-ng, --say 'espeak-ng -v "en-us+f3"'). Split into words as a shell
    /// would, but run without one. A failing command is reported once; the run goes on.
    #[arg(long, value_name = "COMMAND", value_parser = SpeechCommand::parse)]
    pub say: Option<SpeechCommand>,
}

fn parse_max_hr(s: &str) -> Result<u16, String> {
    limits::MAX_HR.parse(s)
}

fn parse_cap_pct(s: &str) -> Result<f64, String> {
    let p: f64 = s
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("{s:?} is not a percentage"))?;
    // The range depends on the zone model (checked once the profile is known); anything
    // outside 40-90 is wrong under every model.
    if !(40.0..=90.0).contains(&p) {
        return Err(format!(
            "{p}% is outside 50-70% (of max HR), 40-70% (of HRR) and 75-90% (of LTHR): the sore-day cap is an easy effort"
        ));
    }
    Ok(p)
}

fn margin_bpm(s: &str) -> Result<u16, String> {
    limits::MARGIN.parse(s)
}

fn parse_zone_model(s: &str) -> Result<ZoneModelName, String> {
    ZoneModelName::parse(s)
}

fn parse_age(s: &str) -> Result<u16, String> {
    limits::AGE.parse(s)
}

fn parse_speed(s: &str) -> Result<f64, String> {
    let n: f64 = s.parse().map_err(|_| {
        format!("{s:?} is not a number: 1 is real time, 60 plays an hour in a minute")
    })?;
    if !(n.is_finite() && n > 0.0 && n <= 100_000.0) {
        return Err(format!(
            "the speed must be more than 0 and at most 100000 (1 is real time, 60 plays an hour \
             in a minute; --fast plays without waiting), not {s}"
        ));
    }
    Ok(n)
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    hrcoach::profile::parse_duration(s)
}

/// `worse@10m`: an answer and when it is given.
fn parse_answer(s: &str) -> Result<(Duration, Answer), String> {
    let (answer, at) = s
        .split_once('@')
        .ok_or_else(|| format!("{s:?}: expected ANSWER@TIME, like worse@10m"))?;
    let answer = Answer::parse(answer).ok_or_else(|| {
        format!("{answer:?} is not an answer: eased, same or worse (as in worse@10m)")
    })?;
    Ok((parse_duration(at)?, answer))
}

/// The completion script for `shell`, in memory: clap_complete panics on a write error, and
/// the caller decides what a closed pipe means.
pub fn completion_script(shell: clap_complete::Shell) -> Vec<u8> {
    use clap::CommandFactory;
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "hrcoach", &mut script);
    script
}

/// Writes `hrcoach(1)` to `out`.
///
/// # Errors
/// A write that fails.
pub fn render_man_page(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    use clap::CommandFactory;
    clap_mangen::Man::new(Cli::command()).render(out)
}

/// Writes `hrcoach.1` and a page per subcommand into `dir`, which must exist.
///
/// # Errors
/// A page that cannot be written.
pub fn write_man_pages(dir: &std::path::Path) -> std::io::Result<()> {
    use clap::CommandFactory;
    clap_mangen::generate_to(Cli::command(), dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    /// The ranges the help text shows are the limits the values are checked against (the
    /// help is doc comments, so it cannot name the constants).
    #[test]
    fn the_help_shows_the_limits_in_force() -> Result<(), String> {
        let help = |path: &[&str]| {
            let mut cmd = Cli::command();
            let mut sub = &mut cmd;
            for name in path {
                sub = sub
                    .find_subcommand_mut(name)
                    .ok_or_else(|| format!("no subcommand {name}"))?;
            }
            Ok::<String, String>(sub.render_long_help().to_string())
        };
        let set = help(&["profile", "set"])?;
        for (what, limit) in [
            ("Max heart rate, bpm", &limits::MAX_HR),
            ("Resting heart rate, bpm", &limits::RESTING_HR),
            ("Lactate threshold heart rate, bpm", &limits::LTHR),
            ("Age in years", &limits::AGE),
        ] {
            let want = format!("{what} ({})", limit.span());
            if !set.contains(&want) {
                return Err(format!("profile set --help lacks {want:?}:\n{set}"));
            }
        }
        let formula = help(&["calibrate", "formula"])?;
        let want = format!("Your age in years ({})", limits::AGE.span());
        if !formula.contains(&want) {
            return Err(format!("calibrate formula --help lacks {want:?}"));
        }
        Ok(())
    }

    #[test]
    fn checks_max_hr_and_cap_ranges() {
        assert_eq!(parse_max_hr("185"), Ok(185));
        assert!(parse_max_hr("300").is_err());
        assert!(parse_max_hr("99").is_err());
        assert!(parse_max_hr("abc").is_err());
        assert_eq!(parse_cap_pct("67.5"), Ok(67.5));
        assert_eq!(parse_cap_pct("65%"), Ok(65.0));
        assert!(parse_cap_pct("95").is_err());
        assert!(parse_cap_pct("35").is_err());
        assert_eq!(parse_age("40"), Ok(40));
        assert!(parse_age("9").is_err());
        assert!(parse_age("101").is_err());
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
