//! Where updates go: the edge on the way out.
//!
//! An [`Output`] receives every [`Update`], any warning a source raises, and the [`Summary`] at
//! the end. [`display::Terminal`] is for people, [`json::JsonLines`] for scripts, [`Discard`]
//! for benchmarks and silent runs; [`say::Say`] speaks alerts on top of either, and [`tee::Tee`] adds a JSON
//! Lines log to either (`--log FILE`). [`snapshot::Publish`] keeps the run at a glance for
//! the live views. [`for_run`] is where a live
//! run or a replay gets its output from the flags. [`format`](mod@format) holds the words, as
//! pure functions, so they can be tested without a terminal.

pub mod collect;
pub mod display;
pub mod format;
pub mod glance;
pub mod json;
pub mod say;
pub mod snapshot;
pub mod tee;

use std::io::{self, BufWriter};

use crate::coach::zones::ZoneModel;

use crate::coach::Update;
use crate::coach::summary::Summary;

/// What the runner asked to see (`--json`, `--quiet`, `--say`).
#[derive(Debug, Clone, Default)]
pub struct Choice {
    /// JSON Lines on stdout instead of the terminal display.
    pub json: bool,
    /// No live status line.
    pub quiet: bool,
    /// Speak alerts through this command as well.
    pub say: Option<say::SpeechCommand>,
    /// A progress bar over this much session time instead of the spinner.
    pub progress: Option<std::time::Duration>,
    /// Nothing at all: a run inside another command that prints its own result.
    pub silent: bool,
    /// Also write the JSON Lines `--json` would print to this file (appended, each line
    /// flushed), whatever the main output is.
    pub log: Option<std::path::PathBuf>,
}

/// The output of a live run or a replay: JSON Lines on stdout or the terminal, with speech on
/// top of either when asked for, a JSON Lines log beside it with `log`, and the live views'
/// snapshot kept by `publish`.
///
/// # Errors
/// The log cannot be opened (the error names it).
pub fn for_run(
    choice: &Choice,
    zones: ZoneModel,
    cap_bpm: Option<u16>,
    publish: Option<snapshot::Publish>,
) -> io::Result<Box<dyn Output>> {
    let log = match &choice.log {
        Some(path) => {
            let file = crate::files::touch(path).map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!("cannot open the log {}: {e}", path.display()),
                )
            })?;
            Some((
                path,
                json::JsonLines::new(io::LineWriter::new(file), zones.clone()),
            ))
        }
        None => None,
    };
    let output: Box<dyn Output> = if choice.silent {
        Box::new(Discard)
    } else if choice.json {
        Box::new(json::JsonLines::new(
            BufWriter::new(io::stdout().lock()),
            zones,
        ))
    } else {
        let terminal = display::Terminal::new(zones, cap_bpm, choice.quiet);
        Box::new(match choice.progress {
            Some(total) => terminal.with_progress(total),
            None => terminal,
        })
    };
    let output: Box<dyn Output> = match &choice.say {
        Some(command) => Box::new(say::Say::new(output, command.clone())),
        None => output,
    };
    let output: Box<dyn Output> = match log {
        Some((path, log)) => Box::new(tee::Tee::new(output, log, path.display().to_string())),
        None => output,
    };
    Ok(match publish {
        Some(publish) => Box::new(tee::Tee::new(output, publish, "the live view")),
        None => output,
    })
}

/// Receives what a session produces.
pub trait Output {
    /// One update per event.
    ///
    /// # Errors
    /// A write error; the session stops.
    fn update(&mut self, update: &Update) -> io::Result<()>;

    /// A warning from the source that does not stop the session.
    ///
    /// # Errors
    /// A write error; the session stops.
    fn warning(&mut self, message: &str) -> io::Result<()>;

    /// The summary, once, at the end.
    ///
    /// # Errors
    /// A write error.
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
}

impl<O: Output + ?Sized> Output for Box<O> {
    fn update(&mut self, update: &Update) -> io::Result<()> {
        (**self).update(update)
    }
    fn warning(&mut self, message: &str) -> io::Result<()> {
        (**self).warning(message)
    }
    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        (**self).finish(summary)
    }
}

/// Drops everything: the pipeline with output disabled, for benchmarks and for a run inside
/// another command that prints its own result (`check-in --hrv-live --json`).
#[derive(Debug, Default)]
pub struct Discard;

impl Output for Discard {
    fn update(&mut self, _: &Update) -> io::Result<()> {
        Ok(())
    }
    fn warning(&mut self, _: &str) -> io::Result<()> {
        Ok(())
    }
    fn finish(&mut self, _: &Summary) -> io::Result<()> {
        Ok(())
    }
}
