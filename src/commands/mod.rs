//! One file per subcommand: each reads top to bottom as what the command does.
//!
//! This is the shell around the library: it reads the profile, opens files, builds the source
//! and the output, and hands them to [`hrcoach::session::run`]. `anyhow` lives here and in main
//! only.

/// `println!` that returns an error instead of panicking when stdout is closed
/// (`hrcoach zones | head`); main turns a broken pipe into a quiet exit.
macro_rules! outln {
    ($($arg:tt)*) => {
        {
            use std::io::Write as _;
            writeln!(std::io::stdout(), $($arg)*)?
        }
    };
}

/// `print!` that returns an error instead of panicking, like [`outln!`].
macro_rules! out {
    ($($arg:tt)*) => {
        {
            use std::io::Write as _;
            write!(std::io::stdout(), $($arg)*)?
        }
    };
}

pub mod analysis;
pub mod calibrate;
pub mod checkin;
pub mod export;
pub mod live;
pub mod profile;
pub mod replay;
pub mod report;
pub mod scan;
pub mod zones;

use std::path::Path;

use anyhow::{Context, bail};

use std::io::{self, Write};

use clap::CommandFactory;

use crate::cli::{Cli, CoachingArgs, Command, OutputArgs};
use hrcoach::coach::Coach;
use hrcoach::coach::CoachConfig;
use hrcoach::coach::alerts::CapSettings;
use hrcoach::coach::checkin::{Plan, Verdict};
use hrcoach::coach::zones::{Percent, ZoneBasis, ZoneModel};
use hrcoach::output::format::basis_label;
use hrcoach::output::{self, Output};
use hrcoach::profile::{self as prof, Profile, ZoneModelName};
use hrcoach::store::Store;

/// Runs the command the user asked for.
///
/// # Errors
/// Anything that stops the command, with context for the user.
pub async fn dispatch(cli: Cli) -> anyhow::Result<()> {
    let profile_path = match cli.profile {
        Some(p) => p,
        None => prof::default_path()
            .context("no config directory on this system: pass --profile FILE")?,
    };
    // A speech program that cannot run is said now, not at the first alert of the run.
    let say = match &cli.command {
        Command::Replay(a) => a.output.say.as_ref(),
        Command::Live(a) => a.output.say.as_ref(),
        _ => None,
    };
    if let Some(say) = say {
        say.locate(std::env::var_os("PATH").as_deref())
            .map_err(anyhow::Error::msg)?;
    }
    // The data folder, opened once for the whole command (it caches what it reads).
    let store = Store::user();
    let store = store.as_ref();
    match cli.command {
        Command::Replay(args) => {
            replay::coach_replay(&profile_path, store, args, shutdown_on_ctrl_c()).await
        }
        Command::Scan(args) => scan::list_straps(&args).await,
        Command::Live(args) => {
            live::coach_live(&profile_path, store, args, shutdown_on_ctrl_c()).await
        }
        Command::Zones(args) => zones::show_zones(&profile_path, &args),
        Command::Profile(cmd) => profile::edit_profile(&profile_path, cmd),
        Command::Calibrate(cmd) => {
            calibrate::calibrate(&profile_path, cmd, shutdown_on_ctrl_c()).await
        }
        Command::CheckIn(args) => checkin::check_in(&profile_path, store, args).await,
        Command::Today { date, json } => checkin::today(&profile_path, store, date, json),
        Command::Import(args) => report::import(store, &args),
        Command::Report(args) => report::report(&profile_path, store, args),
        Command::Export(args) => export::export(&profile_path, store, &args),
        Command::Completions { shell } => {
            // Into memory first: clap_complete panics on a write error, and `| head` is no
            // error (main turns the broken pipe into exit 0).
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "hrcoach", &mut script);
            let mut out = io::stdout().lock();
            out.write_all(&script)
                .and_then(|()| out.flush())
                .context("cannot write the completion script")
        }
        Command::Man { dir: None } => {
            let mut out = io::stdout().lock();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .context("cannot write the man page")
        }
        Command::Man { dir: Some(dir) } => {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            clap_mangen::generate_to(Cli::command(), &dir)
                .with_context(|| format!("cannot write the man pages into {}", dir.display()))?;
            eprintln!("man pages written to {}", dir.display());
            Ok(())
        }
    }
}

/// The output the flags ask for: JSON Lines on stdout, or the terminal (which first shows
/// `intro`), with `--say` on top of either and `--log FILE` beside it.
///
/// # Errors
/// A closed stdout, a log that cannot be opened.
fn output(args: &OutputArgs, coach: &Coach, intro: &str) -> anyhow::Result<Box<dyn Output>> {
    let choice = output::Choice {
        json: args.json,
        quiet: args.quiet,
        say: args.say.clone(),
        progress: args.progress,
        silent: args.silent,
        log: args.log.clone(),
    };
    let out = output::for_run(&choice, coach.config().zones.clone(), coach.cap_bpm())?;
    if !args.json && !args.silent {
        outln!("{intro}");
    }
    Ok(out)
}

/// Reads the profile, with the error naming the file.
fn load_profile(path: &Path) -> anyhow::Result<Profile> {
    Ok(Profile::load(path)?)
}

/// The zones the profile and flags describe.
///
/// # Errors
/// When no max HR is known, or the zone model lacks its input (resting HR, LTHR).
pub fn zone_model(
    profile: &Profile,
    max_hr: Option<u16>,
    model: Option<ZoneModelName>,
) -> anyhow::Result<ZoneModel> {
    let Some(max_hr) = max_hr.or(profile.max_hr.as_ref().map(|m| m.bpm)) else {
        bail!(
            "no max heart rate: pass --max-hr BPM, or save one with \
             `hrcoach calibrate formula --age N --save` (a start) or `hrcoach calibrate history FILE --save`"
        );
    };
    let basis = match model.or(profile.zone_model).unwrap_or(ZoneModelName::Max) {
        ZoneModelName::Max => ZoneBasis::Max,
        ZoneModelName::Hrr => {
            let Some(rest) = &profile.resting_hr else {
                bail!(
                    "zone model hrr needs a resting heart rate: `hrcoach calibrate resting FILE --save` \
                     or `hrcoach profile set resting-hr BPM`"
                );
            };
            if rest.bpm >= max_hr {
                bail!(
                    "resting heart rate {} is not below max heart rate {max_hr}",
                    rest.bpm
                );
            }
            ZoneBasis::Hrr { resting: rest.bpm }
        }
        ZoneModelName::Lthr => {
            let Some(lthr) = &profile.lthr else {
                bail!(
                    "zone model lthr needs a lactate-threshold heart rate: `hrcoach calibrate lthr FILE --save` \
                     or `hrcoach profile set lthr BPM`"
                );
            };
            ZoneBasis::Lthr { lthr: lthr.bpm }
        }
    };
    Ok(ZoneModel::new(max_hr, basis))
}

/// The coach configuration the profile and the coaching flags describe; flags win.
///
/// # Errors
/// See [`zone_model`]; also a cap outside the zone model's range.
pub fn coach_config(args: &CoachingArgs, profile: &Profile) -> anyhow::Result<CoachConfig> {
    if args.zones_from_file {
        bail!(
            "--zones-from-file takes the zones a watch file stores: use it with replay, report or export of a FIT file"
        );
    }
    let zones = zone_model(profile, args.max_hr, args.zone_model)?;
    let model = args
        .zone_model
        .or(profile.zone_model)
        .unwrap_or(ZoneModelName::Max);
    let zones = match args.zones.or(profile.zones) {
        Some(bounds) => zones.with_bounds(bounds),
        None => zones,
    };
    let mut config = CoachConfig::from_zones(zones);
    if args.sore {
        let cap_pct = match args.cap_pct {
            Some(p) => Some(checked_cap(p, model, "--cap-pct")?),
            None => profile_cap(profile, model)?,
        };
        config.cap = Some(cap_settings(args, profile, cap_pct));
    }
    Ok(config)
}

/// The coach's settings for a session of `file` (read already, `header` its header): the
/// flags and the profile as [`coach_config`] has them, then what the file says: a watch file's
/// sparse samples get [`hrcoach::activity::IMPORTED_MAX_GAP`], and with `--zones-from-file`
/// the zones the device stored (its top is the max HR when none is known). Says on stderr
/// which zones were found.
///
/// # Errors
/// What [`coach_config`] refuses, or `--zones-from-file` for a file that stores none.
pub fn session_config(
    args: &CoachingArgs,
    profile: &Profile,
    file: &Path,
    header: Option<&hrcoach::recording::Header>,
) -> anyhow::Result<CoachConfig> {
    let imported = header.and_then(|h| h.imported.as_ref());
    let mut config = if args.zones_from_file {
        let Some(zones) = imported.and_then(|i| i.zones.as_ref()) else {
            bail!(
                "--zones-from-file: {} stores no zone boundaries (FIT files can, in time_in_zone or hr_zone messages): drop the flag, or pass --zones LIST",
                file.display()
            );
        };
        let mut with_max = CoachingArgs {
            zones_from_file: false,
            ..args.clone()
        };
        if with_max.max_hr.is_none() && profile.max_hr.is_none() {
            with_max.max_hr = zones.top;
        }
        let mut config = coach_config(&with_max, profile)?;
        config.zones = config.zones.with_bounds(zones.lower_bounds);
        eprintln!(
            "Zones from the file ({}, {}): zones 1-5 from {} bpm{}",
            zones.found_in,
            zones.method,
            zones.lower_bounds.map(|b| b.to_string()).join("/"),
            zones.top.map_or_else(String::new, |t| format!(", top {t}"))
        );
        if let Some(note) = &zones.note {
            eprintln!("note: {note}");
        }
        config
    } else {
        coach_config(args, profile)?
    };
    if imported.is_some() {
        config.max_gap = hrcoach::activity::IMPORTED_MAX_GAP;
    }
    Ok(config)
}

/// The cap at `cap` (`None`: the model's easy-day default) with the alert settings of the
/// flags, else the profile, else the defaults.
fn cap_settings(args: &CoachingArgs, profile: &Profile, cap: Option<Percent>) -> CapSettings {
    let defaults = CapSettings::default();
    CapSettings {
        cap,
        dwell: args
            .dwell
            .or(profile.alerts.dwell)
            .unwrap_or(defaults.dwell),
        margin_bpm: args
            .margin
            .or(profile.alerts.margin_bpm)
            .unwrap_or(defaults.margin_bpm),
        clear_after: args
            .clear_after
            .or(profile.alerts.clear_after)
            .unwrap_or(defaults.clear_after),
        remind_every: args
            .remind_every
            .or(profile.alerts.remind_every)
            .unwrap_or(defaults.remind_every),
    }
}

/// Applies the plan of `date` to `config` (see [`checkin::day_plan`]: that day's check-in,
/// or a warning sign still open): an easy day gets its cap, a cross-train or rest day the
/// tightest one, a training day none. `--sore` and `--cap-pct` (already in `config`) may
/// make the plan stricter, never looser. Says so on stderr ("Today's check-in: easy run, cap
/// 121 bpm (65% of max HR), because: ..."; "The check-in of DATE" for another day, "plan"
/// for a warning sign carried from an earlier day; `prefix` goes first), and returns the plan.
///
/// # Errors
/// What [`checkin::day_plan`] fails on. No data directory, no check-in or a corrupt one are
/// no error: the run goes on without a plan (a corrupt one is said).
pub fn apply_check_in(
    args: &CoachingArgs,
    profile: &Profile,
    config: &mut CoachConfig,
    store: Option<&Store>,
    date: jiff::civil::Date,
    prefix: &str,
) -> anyhow::Result<Option<Plan>> {
    // A run is not stopped for a check-in it cannot use: no data directory, no check-in; a
    // corrupt one is said, and the run goes on without it.
    let Some(store) = store else {
        return Ok(None);
    };
    let c = match store.check_in(date) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("warning: {e:#}; coaching without it");
            None
        }
    };
    let scale = hrcoach::coach::checkin::Scale::Zones(config.zones.clone());
    let Some(day) = checkin::day_plan(store, date, c.as_ref(), &scale) else {
        return Ok(None);
    };
    let plan = day.plan;
    let flag_cap = config.cap_percent();
    if let Some(plan_cap) = plan.cap.filter(|_| plan.verdict != Verdict::Train) {
        match flag_cap {
            Some(flag) if flag <= plan_cap => {
                eprintln!(
                    "--sore: a cap of {flag} is stricter than the plan's {plan_cap}: using it."
                );
            }
            _ => {
                if let Some(flag) = flag_cap {
                    eprintln!(
                        "--sore: a cap of {flag} would be looser than the plan's {plan_cap}: the plan's holds (a flag may make a plan stricter, never looser)."
                    );
                }
                config.cap = Some(cap_settings(args, profile, Some(plan_cap)));
            }
        }
    }
    let cap = cap_banner(config).map_or(String::new(), |c| format!(", {c}"));
    let because = plan.reasons.first().map_or("", String::as_str);
    let what = if c.is_some() { "check-in" } else { "plan" };
    let when = if date == today_date() {
        format!("{prefix}Today's {what}")
    } else {
        format!("{prefix}The {what} of {date}")
    };
    eprintln!(
        "{when}: {}{cap}, because: {because}",
        checkin::headline(plan.verdict)
    );
    Ok(Some(plan))
}

/// `p` as the sore-day cap under `model`, if it is in that model's range. `what` names where
/// it came from (`--cap-pct`, `sore.cap_pct`) for the error.
///
/// # Errors
/// A cap outside [`prof::cap_range`] for the model.
pub fn checked_cap(p: f64, model: ZoneModelName, what: &str) -> anyhow::Result<Percent> {
    let (lo, hi) = prof::cap_range(model);
    if !(lo..=hi).contains(&p) {
        bail!(
            "{what} {p} is outside {lo}-{hi}% for zone model {}: the sore-day cap is an easy effort",
            model.as_str()
        );
    }
    Ok(prof::percent_from_f64(p))
}

/// The profile's sore-day cap, checked against the zone model in force (which a flag may
/// have changed since the profile was saved).
///
/// # Errors
/// See [`checked_cap`].
pub fn profile_cap(profile: &Profile, model: ZoneModelName) -> anyhow::Result<Option<Percent>> {
    profile
        .sore
        .cap_pct
        .map(|p| checked_cap(p, model, "the profile's sore.cap_pct"))
        .transpose()
}

/// The cap in words for the banner of `replay` and `live`: "cap 133 bpm (60% of HRR, 72% of
/// max HR)". `None` without a cap.
pub fn cap_banner(config: &CoachConfig) -> Option<String> {
    let cap = config.cap.as_ref()?;
    let bpm = config.cap_bpm_for(cap);
    let pct = config.cap_percent()?;
    let zones = &config.zones;
    let mut text = format!("cap {bpm} bpm ({pct} of {}", basis_label(zones.basis()));
    if zones.basis() != ZoneBasis::Max {
        text.push_str(&format!(", {:.0}% of max HR", zones.percent_of_max_hr(bpm)));
    }
    if config.cap_held_by_zones() {
        text.push_str(", held at the top of zone 2 of the zones in use");
    }
    text.push(')');
    Some(text)
}

/// Above this share of max HR a sore-day cap is no longer an easy run (60-70 % of max HR).
pub const EASY_CEILING_PCT_OF_MAX: f64 = 75.0;

/// A warning when a cap the runner chose (flag or profile) sits above
/// [`EASY_CEILING_PCT_OF_MAX`] of max HR. The defaults never do for a typical runner.
pub fn cap_warning(config: &CoachConfig) -> Option<String> {
    let cap = config.cap.as_ref()?;
    cap.cap?;
    let bpm = config.cap_bpm_for(cap);
    let of_max = config.zones.percent_of_max_hr(bpm);
    (of_max > EASY_CEILING_PCT_OF_MAX).then(|| {
        format!(
            "warning: a sore-day cap of {bpm} bpm is {of_max:.0}% of max HR: an easy run is 60-70% of max HR. \
             Lower --cap-pct, or drop it for the default ({} of {}).",
            config.zones.basis().default_cap(),
            basis_label(config.zones.basis())
        )
    })
}

/// Today's date where the runner is (the system's time zone), YYYY-MM-DD, for what the
/// profile records: a run at 00:30 belongs to the day it is for the runner, not to UTC's. The
/// one clock read of the calibration commands, here in the shell.
fn today() -> String {
    today_date().to_string()
}

/// Today's date where the runner is, as a date (see [`today`]).
fn today_date() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}

/// Where a profile write went, for the user.
fn saved_note(path: &Path) -> String {
    format!("saved to {}", path.display())
}

/// Resolves when the user presses Ctrl-C. If the handler cannot be installed the program
/// keeps the default behaviour (Ctrl-C kills it), so this then never resolves.
async fn shutdown_on_ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}
