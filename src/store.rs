//! The data folder: what hrcoach keeps between runs, and the one place that knows its layout.
//!
//! ```text
//! ~/.local/share/hrcoach/            (XDG_DATA_HOME/hrcoach)
//!   recordings/2026-11-27T07-00-00.jsonl    live runs, and watch files `import` stored
//!   check-ins/2026-11-27.json                one morning's answers (and its HRV)
//!   hrv/2026-11-27.jsonl                     a morning's resting beats (`check-in --hrv-live`)
//!   last-strap                               the strap `live` connected to last
//! ```
//!
//! A [`Store`] is opened once per command. The weekly load reads every recording's header and
//! moving time; a store does that once, however many days or files the command plans for
//! (`report --week` plans seven). The profile lives elsewhere (the config folder:
//! [`crate::profile::default_path`]).

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use jiff::civil::Date;

use crate::checkins::readiness::{self, Session};
use crate::checkins::{self, CheckIn, CheckInError};
use crate::coach::measurement::HeartRateMeasurement;
use crate::event::EventKind;
use crate::recording::{Item, RecordingReader};

/// The data folder.
#[derive(Debug)]
pub struct Store {
    root: PathBuf,
    /// Each readable recording's weekly-load figures, read on first use.
    runs: OnceLock<Vec<Stored>>,
    /// The check-ins before a date, as last read: one command plans a day more than once
    /// (`check-in` looks for an open sign, then plans), and reads them, and says what it had
    /// to skip, once.
    before: Mutex<Option<(Date, Vec<CheckIn>)>>,
}

/// What the weekly load needs of one recording.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Stored {
    /// The local date it was recorded on ([`crate::recording::Header::start_date`]).
    date: Date,
    /// Moving minutes ([`readiness::moving_time`]).
    minutes: f64,
    /// Running, or another sport (an import's sport; a recording without one is a run).
    running: bool,
    /// The median of its readings, to tell a resting reading from exercise.
    median_bpm: u16,
}

impl Store {
    /// The data folder at `root`.
    pub fn at(root: impl Into<PathBuf>) -> Self {
        Store {
            root: root.into(),
            runs: OnceLock::new(),
            before: Mutex::new(None),
        }
    }

    /// The user's data folder (`$XDG_DATA_HOME/hrcoach`, `~/.local/share/hrcoach`); `None` on a
    /// system without one.
    pub fn user() -> Option<Self> {
        dirs::data_dir().map(|d| Store::at(d.join("hrcoach")))
    }

    /// The folder itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where runs are recorded: live runs and imports.
    pub fn recordings_dir(&self) -> PathBuf {
        self.root.join("recordings")
    }

    /// The recordings (`*.jsonl`) in [`Self::recordings_dir`], sorted by name; none when it
    /// does not exist yet.
    pub fn recordings(&self) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(self.recordings_dir()) else {
            return Vec::new();
        };
        let mut files: Vec<_> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect();
        files.sort();
        files
    }

    /// A new, empty recording, `recordings/STAMP.jsonl`, or `STAMP-2.jsonl` and on when that
    /// is taken (two runs started in the same second, from two straps say): created here, so
    /// that no other run can take the name, and never one that exists.
    ///
    /// # Errors
    /// The folder or the file cannot be created (the error names it).
    pub fn new_recording(&self, stamp: &str) -> io::Result<PathBuf> {
        let dir = created(self.recordings_dir())?;
        for n in 1u32.. {
            let name = if n == 1 {
                format!("{stamp}.jsonl")
            } else {
                format!("{stamp}-{n}.jsonl")
            };
            let path = dir.join(name);
            match crate::files::create_new(&path) {
                Ok(_) => return Ok(path),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => {
                    return Err(io::Error::new(
                        e.kind(),
                        format!("cannot create {}: {e}", path.display()),
                    ));
                }
            }
        }
        Err(io::Error::other("no free recording name"))
    }

    /// Where a morning's resting beats are kept, `hrv/DATE.jsonl` (the folder created): not
    /// among the recordings, so that they never count as running.
    ///
    /// # Errors
    /// The folder cannot be created (the error names it).
    pub fn morning_recording(&self, date: Date) -> io::Result<PathBuf> {
        let dir = created(self.root.join("hrv"))?;
        Ok(dir.join(format!("{date}.jsonl")))
    }

    /// Where check-ins are saved.
    pub fn check_ins_dir(&self) -> PathBuf {
        self.root.join("check-ins")
    }

    /// The check-in of `date`, if one was saved.
    ///
    /// # Errors
    /// See [`checkins::load`].
    pub fn check_in(&self, date: Date) -> Result<Option<CheckIn>, CheckInError> {
        checkins::load(&self.check_ins_dir(), date)
    }

    /// Saves `c`, replacing that day's earlier check-in.
    ///
    /// # Errors
    /// See [`checkins::save`].
    pub fn save_check_in(&self, c: &CheckIn) -> Result<PathBuf, CheckInError> {
        checkins::save(&self.check_ins_dir(), c)
    }

    /// Every check-in for a day before `date`, oldest first ([`checkins::before`]); read
    /// again only for another date (saving a check-in of `date` does not change them).
    pub fn check_ins_before(&self, date: Date) -> Vec<CheckIn> {
        // A poisoned lock means only that a reader panicked; the pair it guards is always whole.
        let mut cached = self
            .before
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match cached.as_ref() {
            Some((day, saved)) if *day == date => saved.clone(),
            _ => {
                let saved = checkins::before(&self.check_ins_dir(), date);
                *cached = Some((date, saved.clone()));
                saved
            }
        }
    }

    /// The strap `live` connected to last.
    pub fn last_strap(&self) -> Option<String> {
        let text = std::fs::read_to_string(self.root.join("last-strap")).ok()?;
        Some(text.trim().to_owned()).filter(|s| !s.is_empty())
    }

    /// Remembers `address` as the last strap.
    ///
    /// # Errors
    /// The folder or the file cannot be written.
    pub fn remember_strap(&self, address: &str) -> io::Result<()> {
        std::fs::create_dir_all(&self.root)?;
        crate::files::write(&self.root.join("last-strap"), address.as_bytes())
    }

    /// The sessions of the three weeks up to `day`, for the weekly load: each recording's
    /// moving time and sport, as days before `day`. A resting reading (see
    /// [`readiness::is_resting`], judged against `max_hr`) is no session. A recording that
    /// cannot be read, or has no start in its header, is left out.
    pub fn sessions(&self, day: Date, max_hr: Option<u16>) -> Vec<Session> {
        self.runs
            .get_or_init(|| self.recordings().iter().filter_map(|p| stored(p)).collect())
            .iter()
            .filter(|r| !readiness::is_resting(r.median_bpm, max_hr))
            .filter_map(|r| {
                let days_ago = u32::try_from((day - r.date).get_days()).ok()?;
                (days_ago <= 21).then_some(Session {
                    days_ago,
                    minutes: r.minutes,
                    running: r.running,
                })
            })
            .collect()
    }
}

/// `dir`, created if needed; the error names it.
fn created(dir: PathBuf) -> io::Result<PathBuf> {
    match std::fs::create_dir_all(&dir) {
        Ok(()) => Ok(dir),
        Err(e) => Err(io::Error::new(
            e.kind(),
            format!("cannot create {}: {e}", dir.display()),
        )),
    }
}

/// Reads what the weekly load needs of the recording at `path`.
fn stored(path: &Path) -> Option<Stored> {
    let mut reader = RecordingReader::open(path).ok()?;
    let header = reader.header()?.clone();
    let date = header.start_date()?;
    let mut times = Vec::new();
    let mut bpms = Vec::new();
    let mut paused = false;
    while let Ok(Some(item)) = reader.next_item() {
        let Item::Event(e) = item else { continue };
        match e.kind {
            EventKind::Notification(bytes) => {
                if let Ok(m) = HeartRateMeasurement::parse(&bytes) {
                    bpms.push(m.bpm);
                }
                times.push((e.at, paused));
            }
            EventKind::Paused => paused = true,
            EventKind::Resumed => paused = false,
            _ => {}
        }
    }
    bpms.sort_unstable();
    let median_bpm = *bpms.get(bpms.len() / 2)?;
    let running = (header.imported.as_ref())
        .and_then(|i| i.sport)
        .is_none_or(|s| s == crate::activity::Sport::Running);
    Some(Stored {
        date,
        minutes: readiness::moving_time(times, readiness::LOAD_MAX_GAP).as_secs_f64() / 60.0,
        running,
        median_bpm,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_and_the_sessions_of_the_weeks_before() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let store = Store::at(dir.path());
        assert_eq!(store.recordings(), Vec::<PathBuf>::new(), "no folder yet");
        assert_eq!(store.last_strap(), None);
        store.remember_strap("AA:BB")?;
        assert_eq!(store.last_strap().as_deref(), Some("AA:BB"));
        let run = store.new_recording("2026-11-20T07-00-00")?;
        // A second run in the same second gets a name of its own.
        let again = store.new_recording("2026-11-20T07-00-00")?;
        assert!(again.ends_with("2026-11-20T07-00-00-2.jsonl"), "{again:?}");
        std::fs::remove_file(&again)?;
        let mut text = String::from(
            "{\"format\":\"hrcoach-recording\",\"version\":1,\"start\":\"2026-11-20T07:00:00+00:00\"}\n",
        );
        for s in 0..=600 {
            text.push_str(&format!("{{\"t_ms\":{},\"bpm\":140}}\n", s * 1000));
        }
        std::fs::write(&run, text)?;
        std::fs::write(store.recordings_dir().join("notes.txt"), "not a recording")?;
        assert_eq!(store.recordings(), vec![run]);
        let day: Date = "2026-11-21".parse().map_err(io::Error::other)?;
        let sessions = store.sessions(day, Some(185));
        assert_eq!(sessions.len(), 1);
        assert_eq!((sessions[0].days_ago, sessions[0].running), (1, true));
        assert!((sessions[0].minutes - 10.0).abs() < 1e-9);
        // Three weeks on, it no longer counts; at 140 bpm it is a rest for nobody.
        let later: Date = "2026-12-13".parse().map_err(io::Error::other)?;
        assert!(store.sessions(later, Some(185)).is_empty());
        assert!(
            store
                .morning_recording(day)?
                .ends_with("hrv/2026-11-21.jsonl")
        );
        Ok(())
    }
}
