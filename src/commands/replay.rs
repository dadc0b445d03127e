//! `hrcoach replay FILE`: a recording through the same session loop a live run uses; with
//! `--compare`, through several settings side by side.

use std::io::BufWriter;
use std::path::Path;
use std::time::Duration;

use anyhow::Context;

use crate::cli::ReplayArgs;
use hrcoach::coach::alerts::Alert;
use hrcoach::coach::{Coach, CoachConfig};
use hrcoach::output::format::{clock, zones_label};
use hrcoach::profile::Profile;
use hrcoach::recording::coached::Coached;
use hrcoach::recording::{Header, Item, RecordedAlert, RecordingWriter};
use hrcoach::report::whatif::{self, Row};
use hrcoach::session;
use hrcoach::source::replay::{Pace, Replay};
use hrcoach::source::script::Scripted;
use hrcoach::store::Store;

/// The local date a recording was made on (its header's start), else today.
fn session_date(header: Option<&Header>) -> jiff::civil::Date {
    header
        .and_then(Header::start_date)
        .unwrap_or_else(super::today_date)
}

/// Replays `args.file` until it ends or `shutdown` fires.
///
/// # Errors
/// Bad flags, an unreadable or corrupt recording, or failing output.
pub async fn coach_replay(
    profile_path: &Path,
    store: Option<&Store>,
    args: ReplayArgs,
) -> anyhow::Result<()> {
    // Where it records is checked before the work, so that a refusal comes first and alone.
    if let Some(path) = &args.record {
        if hrcoach::files::same_file(path, &args.file) {
            anyhow::bail!(
                "{} is the file being replayed: pass --record with another name",
                path.display()
            );
        }
        if !args.force && hrcoach::files::holds_something(path) {
            anyhow::bail!(
                "{} exists: pass --record with a new name, or --force to replace it",
                path.display()
            );
        }
    }
    let profile = super::load_profile(profile_path)?;
    if !args.fast {
        // Paced, a bad line would be found only when the pace reaches it (a file corrupt at
        // minute 50 fails after 50 minutes): read the whole file first, as `report` does.
        let mut check = hrcoach::activity::open_session(&args.file)?.reader;
        while check.next_item()?.is_some() {}
    }
    let reader = hrcoach::activity::open_session(&args.file)?.reader;
    let header = reader.header().cloned();
    let mut config = super::session_config(
        &super::coaching_run(&args.coaching, &args.run),
        &profile,
        &args.file,
        header.as_ref(),
    )?;
    // The plan of the day the session was run: the recording's start, else today.
    let date = session_date(header.as_ref());
    super::apply_check_in(&args.coaching, &profile, &mut config, store, date, "")?;
    if args.compare {
        return compare(&args, &profile, config);
    }
    let mut coach = Coach::new(config);
    let zones = coach.config().zones.clone();

    let mut intro = format!(
        "Replaying {} - max HR {}, zones ({}) from {} bpm",
        args.file.display(),
        zones.max_hr(),
        zones_label(&zones),
        zones.lower_bounds().map(|b| b.to_string()).join("/")
    );
    if let Some(cap) = hrcoach::output::format::cap_banner(coach.config()) {
        intro.push_str(&format!("; sore day: {cap}"));
    }
    if let Some(w) = hrcoach::output::format::cap_warning(coach.config()) {
        eprintln!("{w}");
    }
    let (quit, shutdown) = super::on_ctrl_c_or();
    let (views, mut wiring) =
        hrcoach::views::Views::start(&super::view_settings(&args.views), None, quit).await?;
    let full_screen = views.full_screen();
    let mut output = super::output(&args.output, &coach, &intro, &mut wiring, full_screen)?;

    let mut recorder = match &args.record {
        Some(path) => {
            let file = hrcoach::files::create(path)
                .with_context(|| format!("cannot create recording {}", path.display()))?;
            let header = Header {
                note: Some(format!("re-recorded from {}", args.file.display())),
                coached: Some(Coached::of(coach.config())),
                ..header.unwrap_or_default()
            };
            match RecordingWriter::new(BufWriter::new(file), &header) {
                Ok(r) => Some(r),
                Err(e) => {
                    // As live: say so, and replay unrecorded.
                    output.warning(&format!(
                        "cannot write the recording {} ({e}): going on, unrecorded",
                        path.display()
                    ))?;
                    None
                }
            }
        }
        None => None,
    };

    let pace = if args.fast {
        Pace::Fast
    } else {
        Pace::Speed(args.speed)
    };
    let mut source = Scripted::new(Replay::new(reader, pace), args.answer.clone());
    let summary = session::run_with(
        &mut source,
        &mut coach,
        output.as_mut(),
        recorder
            .as_mut()
            .map(|r| r as &mut dyn hrcoach::recording::Recorder),
        wiring.answers.as_mut(),
        shutdown.wait(),
    )
    .await;
    views.close().await;
    let summary = summary?;
    if full_screen {
        out!(
            "{}",
            hrcoach::output::format::summary_text(&summary, &coach.config().zones)
        );
    }
    check_recorded(source.inner().recorded_alerts(), &summary.alerts);
    super::save_worse(store, date, &summary)
}

/// Says on stderr whether the alerts the recording holds (what the runner heard) are the ones
/// this replay gave. They differ when the settings differ, which is worth knowing.
fn check_recorded(recorded: &[(Duration, RecordedAlert)], replayed: &[Alert]) {
    if recorded.is_empty() {
        return;
    }
    let same = recorded.len() == replayed.len()
        && recorded
            .iter()
            .zip(replayed)
            .all(|((t, r), a)| *t == a.at && *r == RecordedAlert::from(a));
    if same {
        eprintln!(
            "note: the {} alerts in the recording are the ones this replay gave",
            recorded.len()
        );
    } else {
        eprintln!(
            "note: the recording holds {} alerts given at the time, this replay gave {}: \
             the settings (max HR, cap, dwell...) differ from the run's",
            recorded.len(),
            replayed.len()
        );
    }
}

/// `--compare`: the same events under several settings.
fn compare(args: &ReplayArgs, profile: &Profile, in_force: CoachConfig) -> anyhow::Result<()> {
    let mut reader = hrcoach::activity::open_session(&args.file)?.reader;
    let mut events = Vec::new();
    while let Some(item) = reader.next_item()? {
        if let Item::Event(e) = item {
            events.push(e);
        }
    }
    let resting = profile.resting_hr.as_ref().map(|r| r.bpm);
    if resting.is_none_or(|r| r >= in_force.zones.max_hr()) {
        eprintln!(
            "note: no resting HR in the profile, so no %HRR rows (`hrcoach calibrate resting`)"
        );
    }
    let rows = whatif::compare(&events, whatif::settings(in_force, resting));
    if args.output.json {
        for r in &rows {
            outln!(
                "{}",
                serde_json::to_string(&hrcoach::output::json::WhatIfLine::from(r))?
            );
        }
    } else {
        out!("{}", table(&args.file, &rows));
    }
    Ok(())
}

/// The comparison as a text table.
pub fn table(file: &Path, rows: &[Row]) -> String {
    let mut t = format!("What if: {} under other settings\n\n", file.display());
    t.push_str(&format!(
        "  {:<38} {:>4}  {:>6}  {:>10}  {:>11}\n",
        "setting", "cap", "alerts", "over cap", "first alert"
    ));
    for r in rows {
        t.push_str(&format!(
            "{} {:<38} {:>4}  {:>6}  {:>10}  {:>11}\n",
            if r.in_force { "*" } else { " " },
            r.label,
            r.cap_bpm.map_or("-".to_owned(), |c| c.to_string()),
            r.alerts,
            clock(r.over_cap),
            r.first_alert.map_or("none".to_owned(), clock)
        ));
    }
    t.push_str("\nalerts: every cue given (over the cap, reminders, creep, back under); first alert: the first over-the-cap cue.\n");
    t
}
