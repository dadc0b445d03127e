//! Where updates go: the edge on the way out.
//!
//! An [`Output`] receives every [`Update`], any warning a source raises, and the [`Summary`] at
//! the end. [`display::Terminal`] is for people, [`json::JsonLines`] for scripts, [`Discard`]
//! for benchmarks. [`format`](mod@format) holds the words, as pure functions, so they can be tested
//! without a terminal.

pub mod collect;
pub mod display;
pub mod format;
pub mod json;
pub mod say;

use std::io;

use crate::coach::Update;
use crate::coach::summary::Summary;

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

/// Drops everything: the pipeline with output disabled, for benchmarks.
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
