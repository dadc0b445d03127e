//! The guided max-HR field test, replayed: the usual display with each stage's cue and time
//! left, and the highest heart rate held from the readings the coach trusted.

use std::future::Future;
use std::io;
use std::time::Duration;

use super::judging_config;
use super::protocol as field_test;
use crate::calibrate::measures::{self, Peak, PeakRules};
use crate::coach::summary::Summary;
use crate::coach::zones::ZoneModel;
use crate::coach::{Coach, Update};
use crate::output::Output;
use crate::output::collect::Collect;
use crate::output::display::Terminal;
use crate::output::format::clock;
use crate::recording::RecordingReader;
use crate::session::{self, SessionError};
use crate::source::replay::{Pace, Replay};

/// The field test's output: the usual display, with the stage as prefix and each stage's cue
/// as a line, and the readings kept for the result.
struct FieldTestOutput {
    terminal: Terminal,
    collect: Collect,
    stage: Option<usize>,
    last_at: Duration,
}

impl Output for FieldTestOutput {
    fn update(&mut self, u: &Update) -> io::Result<()> {
        self.last_at = u.at;
        if let Some((i, start, stage)) = field_test::stage_at(u.at) {
            if self.stage != Some(i) {
                self.stage = Some(i);
                self.terminal
                    .cue(&format!("[{}] {}", clock(u.at), stage.cue))?;
            }
            let left = (start + stage.length).saturating_sub(u.at);
            self.terminal
                .set_prefix(format!("{:<10} {:>5} left |", stage.name, clock(left)));
        } else if self.stage.is_some() {
            self.stage = None;
            self.terminal
                .println(&format!("[{}] Test complete.", clock(u.at)))?;
            self.terminal.set_prefix(String::new());
        }
        self.collect.update(u)?;
        self.terminal.update(u)
    }

    fn warning(&mut self, message: &str) -> io::Result<()> {
        self.terminal.warning(message)
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.collect.finish(summary)?;
        self.terminal.finish(summary)
    }
}

/// What a field test gave.
#[derive(Debug)]
pub struct FieldTestResult {
    /// The highest heart rate held, if any stretch of readings was clean.
    pub peak: Option<Peak>,
    /// Where the recording ended: before [`field_test::efforts_end`], the result is a lower bound.
    pub ended_at: Duration,
}

/// Replays `reader` as the guided field test on the terminal, judged against `zones`.
///
/// # Errors
/// A recording that breaks off, or a terminal that cannot be written.
pub async fn run<R: std::io::BufRead>(
    reader: RecordingReader<R>,
    zones: ZoneModel,
    pace: Pace,
    shutdown: impl Future<Output = ()>,
) -> Result<FieldTestResult, SessionError> {
    let mut coach = Coach::new(judging_config(zones.clone()));
    let mut out = FieldTestOutput {
        terminal: Terminal::new(zones, None, false).with_progress(field_test::total()),
        collect: Collect::default(),
        stage: None,
        last_at: Duration::ZERO,
    };
    session::run(
        &mut Replay::new(reader, pace),
        &mut coach,
        &mut out,
        shutdown,
    )
    .await?;
    Ok(FieldTestResult {
        peak: measures::sustained_peak(&out.collect.trusted, &PeakRules::default()),
        ended_at: out.last_at,
    })
}
