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
pub mod ask;
pub mod calibrate;
pub mod checkin;
pub mod export;
pub mod import;
pub mod live;
pub mod profile;
pub mod readings;
pub mod replay;
pub mod report;
pub mod scan;
pub mod zones;

use std::path::Path;

use anyhow::Context;

use std::io::{self, Write};

use crate::cli::{self, Cli, CoachingArgs, Command, OutputArgs, RunArgs};
use hrcoach::checkins::rules::Plan;
use hrcoach::coach::Coach;
use hrcoach::coach::CoachConfig;
use hrcoach::coach::plan::RunPlan;
use hrcoach::output::{self, Output};
use hrcoach::profile::{self as prof, Profile};
use hrcoach::settings::{self, Coaching};
use hrcoach::shutdown::Shutdown;
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
        Command::Replay(args) => replay::coach_replay(&profile_path, store, args).await,
        Command::Scan(args) => scan::list_straps(&args).await,
        Command::Live(args) => live::coach_live(&profile_path, store, args).await,
        Command::Zones(args) => zones::show_zones(&profile_path, &args),
        Command::Profile(cmd) => profile::edit_profile(&profile_path, cmd),
        Command::Calibrate(cmd) => calibrate::calibrate(&profile_path, cmd).await,
        Command::CheckIn(args) => checkin::check_in(&profile_path, store, args).await,
        Command::Today { date, json } => checkin::today(&profile_path, store, date, json),
        Command::Import(args) => import::import(store, &args),
        Command::Report(args) => report::report(&profile_path, store, args).await,
        Command::Export(args) => export::export(&profile_path, store, &args).await,
        Command::Completions { shell } => {
            // `| head` is no error: main turns the broken pipe into exit 0.
            let script = cli::completion_script(shell);
            let mut out = io::stdout().lock();
            out.write_all(&script)
                .and_then(|()| out.flush())
                .context("cannot write the completion script")
        }
        Command::Man { dir: None } => {
            cli::render_man_page(&mut io::stdout().lock()).context("cannot write the man page")
        }
        Command::Man { dir: Some(dir) } => {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            cli::write_man_pages(&dir)
                .with_context(|| format!("cannot write the man pages into {}", dir.display()))?;
            eprintln!("man pages written to {}", dir.display());
            Ok(())
        }
    }
}

/// The output the flags ask for, as the library's choice.
fn choice(args: &OutputArgs) -> output::Choice {
    output::Choice {
        json: args.json,
        quiet: args.quiet,
        say: args.say.clone(),
        progress: None,
        silent: false,
        log: args.log.clone(),
    }
}

/// The output the flags ask for: JSON Lines on stdout, or the terminal (which first shows
/// `intro`), with `--say` on top of either and `--log FILE` beside it.
///
/// # Errors
/// A closed stdout, a log that cannot be opened.
fn output(
    args: &OutputArgs,
    coach: &Coach,
    intro: &str,
    views: &mut hrcoach::views::Wiring,
    full_screen: bool,
) -> anyhow::Result<Box<dyn Output>> {
    let choice = output::Choice {
        silent: full_screen,
        ..choice(args)
    };
    let out = output::for_run(
        &choice,
        coach.config().zones.clone(),
        coach.cap_bpm(),
        views.publish.take(),
    )?;
    if !args.json && !full_screen {
        outln!("{intro}");
    }
    Ok(out)
}

/// Reads the profile, with the error naming the file.
fn load_profile(path: &Path) -> anyhow::Result<Profile> {
    Ok(Profile::load(path)?)
}

/// The coaching flags as the library's settings.
pub fn coaching(a: &CoachingArgs) -> Coaching {
    Coaching {
        max_hr: a.max_hr,
        zone_model: a.zone_model,
        zones: a.zones,
        zones_from_file: a.zones_from_file,
        sore: a.sore,
        cap_pct: a.cap_pct,
        dwell: a.dwell,
        margin: a.margin,
        clear_after: a.clear_after,
        remind_every: a.remind_every,
        run: RunPlan::default(),
    }
}

/// The coaching flags with the run's (`live`, `replay`) as the library's settings.
pub fn coaching_run(a: &CoachingArgs, run: &RunArgs) -> Coaching {
    Coaching {
        run: RunPlan {
            run_walk: run.run_walk,
            time: run.plan_time,
            out_and_back: run.out_and_back,
            check_at: Some(run.check_at),
        },
        ..coaching(a)
    }
}

/// The coach's settings for a session of `file` ([`settings::session_config`]), saying on
/// stderr which zones the file gave.
///
/// # Errors
/// See [`settings::session_config`].
pub fn session_config(
    c: &Coaching,
    profile: &Profile,
    file: &Path,
    header: Option<&hrcoach::recording::Header>,
) -> anyhow::Result<CoachConfig> {
    let (config, said) = settings::session_config(c, profile, file, header)?;
    for line in said {
        eprintln!("{line}");
    }
    Ok(config)
}

/// Applies the plan of `date` to `config` (see [`hrcoach::checkins::day_plan`]: that day's check-in,
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
    let scale = hrcoach::checkins::rules::Scale::Zones(config.zones.clone());
    let Some(day) = hrcoach::checkins::day_plan(store, date, c.as_ref(), &scale) else {
        return Ok(None);
    };
    let plan = day.plan;
    if let Some(note) = settings::apply_plan(config, &plan, &coaching(args), profile) {
        eprintln!("{note}");
    }
    let cap = output::format::cap_banner(config).map_or(String::new(), |c| format!(", {c}"));
    let because = plan.reasons.first().map_or("", String::as_str);
    let what = if c.is_some() { "check-in" } else { "plan" };
    let when = if date == today_date() {
        format!("{prefix}Today's {what}")
    } else {
        format!("{prefix}The {what} of {date}")
    };
    eprintln!(
        "{when}: {}{cap}, because: {because}",
        hrcoach::checkins::words::headline(plan.verdict)
    );
    Ok(Some(plan))
}

/// After a run whose warm-up check was answered "worse", the check-in of `date` says so
/// ([`hrcoach::checkins::worse_when_warm`]), and the runner is told.
///
/// # Errors
/// The check-in cannot be read or written.
fn save_worse(
    store: Option<&Store>,
    date: jiff::civil::Date,
    summary: &hrcoach::coach::summary::Summary,
) -> anyhow::Result<()> {
    use hrcoach::checkins::WorseSaved;
    use hrcoach::checkins::rules::Moving;
    use hrcoach::coach::plan::CheckOutcome;
    if summary.warm_up_check != Some(CheckOutcome::Answered(Moving::Worse)) {
        return Ok(());
    }
    let Some(store) = store else {
        eprintln!(
            "Soreness worse as you warmed up: a warning sign. No data directory to note it in: run `hrcoach check-in --moving worse` tomorrow."
        );
        return Ok(());
    };
    let then =
        "Tomorrow's plan starts from this warning sign: rest or cross-train until it is gone.";
    match hrcoach::checkins::worse_when_warm(store, date)? {
        WorseSaved::Updated(path) => eprintln!(
            "Soreness worse as you warmed up: the check-in of {date} now says so (moving: worse, {}). {then}",
            path.display()
        ),
        WorseSaved::Already => {}
        WorseSaved::Created(path) => eprintln!(
            "Soreness worse as you warmed up: saved as the check-in of {date} (moving: worse, {}), with the least soreness of a sore day: correct it with `hrcoach check-in --date {date}`. {then}",
            path.display()
        ),
    }
    Ok(())
}

/// Today's date where the runner is (the system's time zone): a run at 00:30 belongs to the
/// day it is for the runner, not to UTC's. The one clock read of the commands that date what
/// they save, here in the shell.
fn today_date() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}

/// Where a profile write went, for the user.
fn saved_note(path: &Path) -> String {
    format!("saved to {}", path.display())
}

/// The run's shutdown token, fired by Ctrl-C or SIGTERM. Made where a command starts the work
/// Ctrl-C should end cleanly (a session, a scan): once it is made, neither kills the process.
fn on_ctrl_c() -> Shutdown {
    on_ctrl_c_or().1
}

/// [`on_ctrl_c`] (Ctrl-C or SIGTERM), with a trigger that fires the same shutdown (the full
/// screen's `q`).
fn on_ctrl_c_or() -> (hrcoach::shutdown::Trigger, Shutdown) {
    let (trigger, shutdown) = hrcoach::shutdown::channel();
    let on_signal = trigger.clone();
    tokio::spawn(async move {
        // SIGTERM (`systemctl stop`, `kill`) ends a run as Ctrl-C does: the summary said, the
        // recording closed, the terminal restored.
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut term) => {
                    term.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            interrupted = tokio::signal::ctrl_c() => if interrupted.is_ok() {
                on_signal.fire();
            },
            () = term => on_signal.fire(),
        }
    });
    (trigger, shutdown)
}

/// The views flags as the library's settings.
fn view_settings(args: &crate::cli::ViewArgs) -> hrcoach::views::ViewSettings {
    hrcoach::views::ViewSettings {
        serve: args.serve,
        tui: args.tui,
    }
}

/// The data folder, for the commands that read or store its recordings.
pub fn need(store: Option<&Store>) -> anyhow::Result<&Store> {
    store.context("no data directory on this system: name the files")
}

/// The file's name alone, for titles and import names.
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
