//! `hrcoach live`: coach a run from a strap, recording every notification as it comes.

use std::fs;
use std::future::Future;
use std::io::{self, BufWriter, IsTerminal};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::cli::{LiveArgs, OutputArgs};
use hrcoach::coach::checkin::Plan;
use hrcoach::coach::{Coach, CoachConfig};
use hrcoach::files;
use hrcoach::output::display;
use hrcoach::recording::{Header, RecordingWriter, Strap};
use hrcoach::session;
use hrcoach::source::ble::{self, FoundStrap};
use hrcoach::source::live::Live;
use hrcoach::store::Store;

/// Finds the strap, connects, and coaches until `--duration` or Ctrl-C.
///
/// # Errors
/// Bluetooth problems (each with what to do), no strap or several without a choice, a
/// recording that cannot be written.
pub async fn coach_live(
    profile_path: &Path,
    store: Option<&Store>,
    args: LiveArgs,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let profile = super::load_profile(profile_path)?;
    let mut config = hrcoach::settings::coach_config(&super::coaching(&args.coaching), &profile)?;
    let plan = super::apply_check_in(
        &args.coaching,
        &profile,
        &mut config,
        store,
        super::today_date(),
        "",
    )?;
    if let Some(plan) = plan.filter(|p| !p.verdict.runs()) {
        confirm_run_anyway(&plan, args.anyway)?;
    }
    if let Some(w) = hrcoach::output::format::cap_warning(&config) {
        eprintln!("{w}");
    }
    record_live(args, config, store, shutdown).await
}

/// Records and coaches a live run under `config`: the recording's path checked first, then
/// the strap found and connected.
///
/// # Errors
/// See [`coach_live`].
pub(super) async fn record_live(
    args: LiveArgs,
    config: CoachConfig,
    store: Option<&Store>,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    // The recording first: a path that cannot be written is said before any Bluetooth work,
    // not after a scan and a connection.
    // Whether the file was there before this run: a failed run leaves no empty file it made.
    let (record_path, existed) = match &args.record {
        Some(p) => (p.clone(), p.exists()),
        None => (default_recording_path(store)?, false),
    };
    files::touch(&record_path)
        .with_context(|| format!("cannot create recording {}", record_path.display()))?;
    // The log too: said now, not after the scan and the connection.
    if let Some(log) = &args.output.log {
        files::touch(log).with_context(|| format!("cannot open the log {}", log.display()))?;
    }
    let result = find_and_coach(args, config, store, &record_path, shutdown).await;
    if result.is_err() && !existed {
        // Nothing was recorded: leave no empty file behind.
        let empty = fs::metadata(&record_path).is_ok_and(|m| m.len() == 0);
        if empty {
            let _ = fs::remove_file(&record_path);
        }
    }
    result
}

/// Scans, connects and coaches; once connected, the strap is released (unsubscribed and
/// disconnected) however the run ends.
async fn find_and_coach(
    args: LiveArgs,
    config: CoachConfig,
    store: Option<&Store>,
    record_path: &Path,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let quiet_ui = args.output.json || args.output.quiet;
    let spinner = display::spinner("looking for your heart-rate strap", quiet_ui);
    let adapter = ble::adapter().await;
    let found = match &adapter {
        Ok(a) => ble::scan(a, args.scan_timeout).await,
        Err(_) => Ok(Vec::new()),
    };
    spinner.finish_and_clear();
    let adapter = adapter?;
    let found = found?;
    let remembered = store.and_then(Store::last_strap);
    let (strap, peripheral) = choose(found, args.device.as_deref(), remembered.as_deref())?;

    let name = strap.name.clone().unwrap_or_else(|| strap.address.clone());
    let spinner = display::spinner(&format!("connecting to {name}"), quiet_ui);
    let live = Live::start(adapter, peripheral, args.duration).await;
    spinner.finish_and_clear();
    let mut live = live.with_context(|| format!("cannot connect to {name}"))?;
    if let Some(store) = store {
        // Failing to remember the strap is not worth stopping a run for.
        let _ = store.remember_strap(&strap.address);
    }
    let result = coach(
        &mut live,
        &strap,
        &args.output,
        config,
        record_path,
        shutdown,
    )
    .await;
    live.close().await;
    result
}

/// Coaches from a connected strap, recording to `record_path`.
async fn coach(
    live: &mut Live,
    strap: &FoundStrap,
    output_args: &OutputArgs,
    config: CoachConfig,
    record_path: &Path,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let header = Header {
        // With the local offset, so the run is dated where it was run, even when it is read
        // on a machine set to another zone (docs/check-in.md, "The day of a recording").
        start: Some(
            jiff::Zoned::now()
                .strftime("%Y-%m-%dT%H:%M:%S%:z")
                .to_string(),
        ),
        strap: Some(Strap {
            name: strap.name.clone(),
            address: Some(strap.address.clone()),
        }),
        ..Header::default()
    };
    // The path was checked before connecting; a write that fails now (a full disk) is said
    // at once, and the run is coached unrecorded rather than not at all.
    let recorder = files::create(record_path)
        .and_then(|file| RecordingWriter::new(BufWriter::new(file), &header));

    let mut coach = Coach::new(config);
    let name = strap.name.clone().unwrap_or_else(|| strap.address.clone());
    let worn = live
        .sensor_location()
        .map_or(String::new(), |l| format!(", worn on the {l}"));
    let sore = hrcoach::output::format::cap_banner(coach.config())
        .map_or(String::new(), |c| format!(" Sore day: {c}."));
    let intro = format!(
        "Coaching live from {name} ({}{worn}); recording to {}.{sore} Ctrl-C ends the run.",
        strap.address,
        record_path.display()
    );
    let mut output = super::output(output_args, &coach, &intro)?;
    let mut recorder = match recorder {
        Ok(r) => Some(r),
        Err(e) => {
            output.warning(&format!(
                "cannot write the recording {} ({e}): coaching goes on, unrecorded",
                record_path.display()
            ))?;
            None
        }
    };
    session::run_recorded(
        live,
        &mut coach,
        output.as_mut(),
        recorder
            .as_mut()
            .map(|r| r as &mut dyn hrcoach::recording::Recorder),
        shutdown,
    )
    .await?;
    Ok(())
}

/// Picks the strap: the one named, else the remembered one, else the only one.
fn choose<P>(
    found: Vec<(FoundStrap, P)>,
    wanted: Option<&str>,
    remembered: Option<&str>,
) -> anyhow::Result<(FoundStrap, P)> {
    let list = |found: &[(FoundStrap, P)]| {
        found
            .iter()
            .map(|(s, _)| {
                format!(
                    "  {} {}",
                    s.name.as_deref().unwrap_or("(no name)"),
                    s.address
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    if found.is_empty() {
        bail!(
            "no heart-rate strap found: wet the electrodes and put the strap on (most only advertise while worn), then try again"
        );
    }
    if let Some(w) = wanted {
        let w_low = w.to_lowercase();
        let text = list(&found);
        return found
            .into_iter()
            .find(|(s, _)| {
                s.address.eq_ignore_ascii_case(w)
                    || s.name
                        .as_deref()
                        .is_some_and(|n| n.to_lowercase().contains(&w_low))
            })
            .ok_or_else(|| anyhow::anyhow!("no strap called {w:?} in range; seen:\n{text}"));
    }
    let mut found = found;
    if let Some(r) = remembered
        && let Some(i) = found
            .iter()
            .position(|(s, _)| s.address.eq_ignore_ascii_case(r))
    {
        return Ok(found.swap_remove(i));
    }
    if found.len() == 1
        && let Some(only) = found.pop()
    {
        return Ok(only);
    }
    bail!(
        "several straps in range; pick one with --device NAME or ADDRESS:\n{}",
        list(&found)
    )
}

/// Today's plan (this morning's check-in, or a warning sign still open) says not to run: go on
/// only with `--anyway`, or a "yes" on a terminal, and then under the tightest cap (already
/// applied).
///
/// # Errors
/// No to the question, or no terminal and no `--anyway`.
fn confirm_run_anyway(plan: &Plan, anyway: bool) -> anyhow::Result<()> {
    let advice = plan.advice.first().map_or("", String::as_str);
    eprintln!("{advice}");
    if anyway {
        eprintln!("Running anyway (--anyway), under the tightest cap.");
        return Ok(());
    }
    if !(io::stdin().is_terminal() && io::stderr().is_terminal()) {
        bail!(
            "today's plan says {}: not running. To run anyway, under the tightest cap: --anyway",
            plan.verdict.as_str()
        );
    }
    let yes = super::ask::ask(
        "Run anyway, under the tightest cap? (y|n)",
        Some("n"),
        |a| match a {
            "y" | "Y" | "yes" => Some(true),
            "n" | "N" | "no" => Some(false),
            _ => None,
        },
    )?;
    if yes {
        Ok(())
    } else {
        bail!("not running today, as the check-in advised")
    }
}

/// A new recording in the data folder, named for the local time it starts (as the runner will
/// look for it; no colons, for every file system), created empty ([`Store::new_recording`]).
fn default_recording_path(store: Option<&Store>) -> anyhow::Result<PathBuf> {
    let store = store.context("no data directory on this system: pass --record FILE")?;
    let stamp = jiff::Zoned::now().strftime("%Y-%m-%dT%H-%M-%S").to_string();
    Ok(store.new_recording(&stamp)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strap(name: &str, address: &str) -> (FoundStrap, ()) {
        (
            FoundStrap {
                name: Some(name.to_owned()),
                address: address.to_owned(),
                rssi: Some(-60),
            },
            (),
        )
    }

    #[test]
    fn picks_the_named_the_remembered_or_the_only_strap() {
        let two = || vec![strap("Polar H10 A", "AA:00"), strap("TICKR B", "BB:00")];
        assert_eq!(
            choose(two(), Some("tickr"), None).map(|s| s.0.address).ok(),
            Some("BB:00".into())
        );
        assert_eq!(
            choose(two(), Some("aa:00"), None).map(|s| s.0.address).ok(),
            Some("AA:00".into())
        );
        assert_eq!(
            choose(two(), None, Some("BB:00")).map(|s| s.0.address).ok(),
            Some("BB:00".into())
        );
        assert_eq!(
            choose(vec![strap("X", "CC:00")], None, None)
                .map(|s| s.0.address)
                .ok(),
            Some("CC:00".into())
        );
        let several = choose(two(), None, None)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            several.contains("several straps") && several.contains("TICKR B"),
            "{several}"
        );
        let missing = choose(two(), Some("garmin"), None)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            missing.contains("no strap called \"garmin\"") && missing.contains("Polar H10 A"),
            "{missing}"
        );
        assert!(choose(Vec::<(FoundStrap, ())>::new(), None, None).is_err());
    }
}
