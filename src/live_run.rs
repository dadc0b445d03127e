//! A live run, recorded: the recording's path checked, the strap found (the one named, else
//! the remembered one, else the only one), connected, coached through [`session`] and
//! recorded, then released however the run ends. `live` and the morning HRV reading of
//! `check-in --hrv` both run this; the command decides the settings and says the errors.

use std::fs;
use std::future::Future;
use std::io::{self, BufRead, BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::sync::mpsc;

use crate::coach::answer::Answer;
use crate::coach::summary::Summary;
use crate::coach::{Coach, CoachConfig};
use crate::files;
use crate::output::{self, display, format};
use crate::recording::coached::Coached;
use crate::recording::{Header, Recorder, RecordingWriter, Strap};
use crate::session::{self, SessionError};
use crate::shutdown::Shutdown;
use crate::source::ble::{self, BleError, FoundStrap};
use crate::source::live::Live;
use crate::source::radio::Radio;
use crate::store::Store;
use crate::views::Wiring;

/// How to run: which strap, how long, where to record, what to show.
#[derive(Debug, Clone)]
pub struct LiveSettings {
    /// A strap's name (any part, any case) or address; `None`: the remembered or the only one.
    pub device: Option<String>,
    /// End the run after this long; `None`: at shutdown.
    pub duration: Option<Duration>,
    /// Where to record; `None`: a new file in the data folder named for the local time.
    pub record: Option<PathBuf>,
    /// Whether `record` may replace a file that holds something (an earlier run).
    pub replace: bool,
    /// How long to look for straps.
    pub scan_timeout: Duration,
    /// What to show and where to log.
    pub output: output::Choice,
}

/// Why a live run could not start or went wrong.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// No `--record` and no data folder to put the recording in.
    #[error("no data directory on this system: pass --record FILE")]
    NoDataDir,
    /// `record` holds something (an earlier run) and replacing it was not asked for.
    #[error("{} exists: pass --record with a new name, or --force to replace it", path.display())]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// The recording cannot be created.
    #[error("cannot create recording {}", path.display())]
    Recording {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The JSON Lines log cannot be opened.
    #[error("cannot open the log {}", path.display())]
    Log {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// Bluetooth is not usable (each with what to do).
    #[error(transparent)]
    Bluetooth(#[from] BleError),
    /// No strap, several without a choice, or not the one named.
    #[error("{0}")]
    Choose(String),
    /// The strap was found but the connection failed.
    #[error("cannot connect to {name}")]
    Connect {
        /// The strap's name or address.
        name: String,
        /// Why.
        source: BleError,
    },
    /// Ctrl-C before the run began (during the scan or the connection).
    #[error("interrupted before the run began: nothing recorded")]
    Interrupted,
    /// The output cannot be written (a closed stdout).
    #[error(transparent)]
    Output(#[from] io::Error),
    /// The session stopped.
    #[error(transparent)]
    Session(#[from] SessionError),
}

/// Records and coaches a live run under `config`: the recording's path (and the log) checked
/// first, before any Bluetooth work; then the strap found and connected. A run that fails
/// leaves no empty recording it made.
///
/// # Errors
/// See [`LiveError`].
pub async fn record_live(
    settings: &LiveSettings,
    config: CoachConfig,
    store: Option<&Store>,
    wiring: Wiring,
    shutdown: &Shutdown,
) -> Result<Summary, LiveError> {
    // Whether the file was there before this run: a failed run leaves no empty file it made.
    let (record_path, existed) = match &settings.record {
        Some(p) if !settings.replace && files::holds_something(p) => {
            return Err(LiveError::Exists { path: p.clone() });
        }
        Some(p) => (p.clone(), p.exists()),
        None => (new_recording(store)?, false),
    };
    files::touch(&record_path).map_err(|source| LiveError::Recording {
        path: record_path.clone(),
        source,
    })?;
    if let Some(log) = &settings.output.log {
        files::touch(log).map_err(|source| LiveError::Log {
            path: log.clone(),
            source,
        })?;
    }
    let result = find_and_coach(settings, config, store, &record_path, wiring, shutdown).await;
    if result.is_err() && !existed {
        // Nothing was recorded: leave no empty file behind.
        let empty = fs::metadata(&record_path).is_ok_and(|m| m.len() == 0);
        if empty {
            let _ = fs::remove_file(&record_path);
        }
    }
    result
}

/// A new recording in the data folder, named for the local time it starts (as the runner will
/// look for it; no colons, for every file system), created empty ([`Store::new_recording`]).
fn new_recording(store: Option<&Store>) -> Result<PathBuf, LiveError> {
    let store = store.ok_or(LiveError::NoDataDir)?;
    let stamp = jiff::Zoned::now().strftime("%Y-%m-%dT%H-%M-%S").to_string();
    let dir = store.recordings_dir();
    store
        .new_recording(&stamp)
        .map_err(|source| LiveError::Recording { path: dir, source })
}

/// Scans, connects and coaches; once connected, the strap is released (unsubscribed and
/// disconnected) however the run ends.
async fn find_and_coach(
    settings: &LiveSettings,
    config: CoachConfig,
    store: Option<&Store>,
    record_path: &Path,
    wiring: Wiring,
    shutdown: &Shutdown,
) -> Result<Summary, LiveError> {
    let quiet_ui = settings.output.json || settings.output.quiet || settings.output.silent;
    let spinner = display::spinner("looking for your heart-rate strap", quiet_ui);
    let looked = until(shutdown, async {
        let radio = Radio::open().await;
        let found = match &radio {
            Ok(a) => ble::scan(a, settings.scan_timeout).await,
            Err(_) => Ok(Vec::new()),
        };
        (radio, found)
    })
    .await;
    spinner.finish_and_clear();
    let (radio, found) = looked?;
    let radio = radio?;
    let found = found?;
    let remembered = store.and_then(Store::last_strap);
    let (strap, peripheral) = choose(found, settings.device.as_deref(), remembered.as_deref())
        .map_err(LiveError::Choose)?;

    let name = strap.name.clone().unwrap_or_else(|| strap.address.clone());
    let spinner = display::spinner(&format!("connecting to {name}"), quiet_ui);
    let connecting = peripheral.clone();
    let live = until(shutdown, Live::start(radio, peripheral, settings.duration)).await;
    spinner.finish_and_clear();
    let live = match live {
        Ok(live) => live,
        Err(interrupted) => {
            // Ctrl-C mid-connection: leave the strap as it was found, not connected to nobody.
            Live::abandon(&connecting).await;
            return Err(interrupted);
        }
    };
    let mut live = live.map_err(|source| LiveError::Connect { name, source })?;
    if let Some(store) = store {
        // Failing to remember the strap is not worth stopping a run for.
        let _ = store.remember_strap(&strap.address);
    }
    let result = coach(
        &mut live,
        &strap,
        &settings.output,
        config,
        record_path,
        wiring,
        shutdown.wait(),
    )
    .await;
    live.close().await;
    result
}

/// `work`, unless the shutdown fires first: Ctrl-C during the scan or the connection ends the
/// command at once, as it ends a run.
async fn until<T>(shutdown: &Shutdown, work: impl Future<Output = T>) -> Result<T, LiveError> {
    tokio::select! {
        done = work => Ok(done),
        () = shutdown.wait() => Err(LiveError::Interrupted),
    }
}

/// Coaches from a connected strap, recording to `record_path`.
async fn coach(
    live: &mut Live,
    strap: &FoundStrap,
    choice: &output::Choice,
    config: CoachConfig,
    record_path: &Path,
    wiring: Wiring,
    shutdown: impl Future<Output = ()>,
) -> Result<Summary, LiveError> {
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
        coached: Some(Coached::of(&config)),
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
    let sore =
        format::cap_banner(coach.config()).map_or(String::new(), |c| format!(" Sore day: {c}."));
    let Wiring {
        publish,
        mut answers,
    } = wiring;
    let mut output = output::for_run(
        choice,
        coach.config().zones.clone(),
        coach.cap_bpm(),
        publish,
    )?;
    if !choice.json && !choice.silent {
        writeln!(
            io::stdout(),
            "Coaching live from {name} ({}{worn}); recording to {}.{sore} Ctrl-C ends the run.",
            strap.address,
            record_path.display()
        )?;
    }
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
    Ok(session::run_with(
        live,
        &mut coach,
        output.as_mut(),
        recorder.as_mut().map(|r| r as &mut dyn Recorder),
        answers.as_mut(),
        shutdown,
    )
    .await?)
}

/// The runner's answers typed on `input`, one a line (`e`, `s`, `w`, or the words: see
/// [`Answer::parse`]), read on a thread of their own so that a run never waits on a key. A
/// line that is no answer is left alone; the channel closes when the input ends.
pub fn answers_from(input: impl BufRead + Send + 'static) -> mpsc::Receiver<Answer> {
    let (tx, rx) = mpsc::channel(4);
    answers_into(input, tx);
    rx
}

/// [`answers_from`], into a channel other inputs share (a view's buttons).
pub fn answers_into(input: impl BufRead + Send + 'static, tx: mpsc::Sender<Answer>) {
    std::thread::spawn(move || {
        for line in input.lines() {
            let Ok(line) = line else { break };
            if let Some(answer) = Answer::parse(&line)
                && tx.blocking_send(answer).is_err()
            {
                break;
            }
        }
    });
}

/// Picks the strap: the one named, else the remembered one, else the only one.
///
/// # Errors
/// No strap, none by that name, or several without a choice: the message lists what was seen.
pub fn choose<P>(
    found: Vec<(FoundStrap, P)>,
    wanted: Option<&str>,
    remembered: Option<&str>,
) -> Result<(FoundStrap, P), String> {
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
        return Err(
            "no heart-rate strap found: wet the electrodes and put the strap on (most only advertise while worn), then try again"
                .to_owned(),
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
            .ok_or_else(|| format!("no strap called {w:?} in range; seen:\n{text}"));
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
    Err(format!(
        "several straps in range; pick one with --device NAME or ADDRESS:\n{}",
        list(&found)
    ))
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
        let several = choose(two(), None, None).err().unwrap_or_default();
        assert!(
            several.contains("several straps") && several.contains("TICKR B"),
            "{several}"
        );
        let missing = choose(two(), Some("garmin"), None)
            .err()
            .unwrap_or_default();
        assert!(
            missing.contains("no strap called \"garmin\"") && missing.contains("Polar H10 A"),
            "{missing}"
        );
        assert!(choose(Vec::<(FoundStrap, ())>::new(), None, None).is_err());
    }
}
