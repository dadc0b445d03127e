//! The terminal: a live status line, alerts as plain lines with the bell, and the summary; and
//! the spinner `scan` and `live` show while they look for and connect to a strap.
//!
//! The only file that uses indicatif. The status line is a spinner drawn on stderr, so stdout
//! carries only lines worth keeping (alerts, link changes, the summary) and can be piped or
//! saved. When stderr is not a terminal indicatif hides the line by itself; `quiet` hides it
//! always.

use std::io::{self, IsTerminal, Write};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Output;
use super::format::{
    alert_text, answer_text, clock, event_note, notice_text, question_text, start_text,
    status_line, summary_text,
};
use crate::coach::summary::Summary;
use crate::coach::zones::ZoneModel;
use crate::coach::{Reading, Update, UpdateKind};

/// Output for a person at a terminal (or a log file).
pub struct Terminal {
    bar: ProgressBar,
    zones: ZoneModel,
    cap_bpm: Option<u16>,
    bell: bool,
    /// The style in use while the link is up, to return to after a loss.
    style: Option<ProgressStyle>,
    /// Whether the "strap lost" line with its running clock is showing.
    lost: bool,
}

/// While the link is down the line counts the seconds itself (indicatif's `{elapsed}`,
/// reset at the loss): no event arrives to update it, but the runner should see that hrcoach
/// is still trying.
const LOST_TEMPLATE: &str = "{spinner} {prefix} strap lost - reconnecting, {elapsed}";

impl Terminal {
    /// A display for a run with these zones and cap; `quiet` hides the live line.
    pub fn new(zones: ZoneModel, cap_bpm: Option<u16>, quiet: bool) -> Self {
        // A fixed template cannot fail to parse; fall back to the default style if it did.
        let style = ProgressStyle::with_template("{spinner} {prefix} {msg}").ok();
        let bar = if quiet {
            ProgressBar::hidden()
        } else {
            let bar = ProgressBar::with_draw_target(None, status_target());
            if let Some(style) = &style {
                bar.set_style(style.clone());
            }
            bar.enable_steady_tick(Duration::from_millis(250));
            bar
        };
        Terminal {
            bar,
            zones,
            cap_bpm,
            // A bell character in a saved log is noise; ring only for a person.
            bell: io::stdout().is_terminal(),
            style,
            lost: false,
        }
    }

    /// Turns the spinner into a progress bar over `total` session time (the field test),
    /// advanced by each update's time.
    pub fn with_progress(mut self, total: Duration) -> Self {
        if !self.bar.is_hidden() {
            self.bar.set_length(total.as_secs());
            if let Ok(style) = ProgressStyle::with_template("{prefix} [{bar:24}] {msg}") {
                let style = style.progress_chars("=> ");
                self.bar.set_style(style.clone());
                self.style = Some(style);
            }
        }
        self
    }

    /// Shows `prefix` before the status line (a field-test stage, say).
    pub fn set_prefix(&self, prefix: String) {
        self.bar.set_prefix(prefix);
    }

    /// Prints a cue the runner must notice: with the bell, when stdout is a terminal.
    pub fn cue(&self, line: &str) -> io::Result<()> {
        let bell = if self.bell { "\x07" } else { "" };
        self.println(&format!("{bell}{line}"))
    }

    /// Prints a line on stdout without tearing the status line.
    pub fn println(&self, line: &str) -> io::Result<()> {
        self.bar.suspend(|| {
            let mut out = io::stdout().lock();
            writeln!(out, "{line}")?;
            out.flush()
        })
    }
}

impl Output for Terminal {
    fn update(&mut self, u: &Update) -> io::Result<()> {
        // Formatting the line costs more than coaching the sample: skip it when nobody sees it.
        if !self.bar.is_hidden() {
            let lost = matches!(u.kind, UpdateKind::LinkLost);
            if lost && !self.lost {
                if let Ok(style) = ProgressStyle::with_template(LOST_TEMPLATE) {
                    self.bar.reset_elapsed();
                    self.bar.set_style(style);
                }
            } else if !lost
                && self.lost
                && u.link_up
                && let Some(style) = &self.style
            {
                self.bar.set_style(style.clone());
            }
            self.lost = lost || (self.lost && !u.link_up);
            let line = status_line(u, self.cap_bpm);
            let over = matches!(
                &u.kind,
                UpdateKind::Sample {
                    reading: Reading::Trusted { over_cap: true, .. },
                    ..
                }
            );
            // Over the cap, the line stands out: bold red where the terminal has colour
            // (console honours NO_COLOR and CLICOLOR).
            self.bar.set_message(if over {
                console::style(line).red().bold().for_stderr().to_string()
            } else {
                line
            });
            if self.bar.length().is_some() {
                self.bar.set_position(u.at.as_secs());
            }
        }
        if let Some(note) = event_note(u) {
            self.println(&note)?;
        }
        for n in &u.notices {
            self.println(&format!("[{}] {}", clock(u.at), notice_text(n)))?;
        }
        // The plan and the runner's own answer are read, not rung for; the question is.
        if let Some(start) = &u.start {
            for line in start_text(start) {
                self.println(&line)?;
            }
        }
        if let UpdateKind::Answered(a) = &u.kind {
            self.println(&format!("[{}] {}", clock(u.at), answer_text(a)))?;
        }
        if let Some(a) = &u.alert {
            self.cue(&format!("[{}] {}", clock(a.at), alert_text(a)))?;
        }
        if let Some(q) = &u.question {
            self.cue(&format!("[{}] {}", clock(u.at), question_text(q)))?;
        }
        Ok(())
    }

    fn warning(&mut self, message: &str) -> io::Result<()> {
        self.bar
            .suspend(|| writeln!(io::stderr(), "warning: {message}"))
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.bar.finish_and_clear();
        let mut out = io::stdout().lock();
        write!(out, "{}", summary_text(summary, &self.zones))?;
        out.flush()
    }
}

/// Where the status line is drawn: stderr, two columns short of its width. indicatif fills
/// a line to the terminal's width, which leaves the cursor waiting to wrap; the "^C" a
/// terminal echoes at Ctrl-C then wraps to a line of its own, and clearing the status line
/// before the summary cleared that one instead, leaving the last status line standing.
fn status_target() -> ProgressDrawTarget {
    if !io::stderr().is_terminal() {
        return ProgressDrawTarget::hidden();
    }
    ProgressDrawTarget::term_like_with_hz(Box::new(Margin(console::Term::stderr())), 20)
}

/// A terminal two columns narrower than it is (room for an echoed "^C").
#[derive(Debug)]
struct Margin(console::Term);

impl indicatif::TermLike for Margin {
    fn width(&self) -> u16 {
        self.0.size().1.saturating_sub(2).max(1)
    }
    fn height(&self) -> u16 {
        self.0.size().0
    }
    fn move_cursor_up(&self, n: usize) -> io::Result<()> {
        self.0.move_cursor_up(n)
    }
    fn move_cursor_down(&self, n: usize) -> io::Result<()> {
        self.0.move_cursor_down(n)
    }
    fn move_cursor_right(&self, n: usize) -> io::Result<()> {
        self.0.move_cursor_right(n)
    }
    fn move_cursor_left(&self, n: usize) -> io::Result<()> {
        self.0.move_cursor_left(n)
    }
    fn write_line(&self, s: &str) -> io::Result<()> {
        self.0.write_line(s)
    }
    fn write_str(&self, s: &str) -> io::Result<()> {
        self.0.write_str(s)
    }
    fn clear_line(&self) -> io::Result<()> {
        self.0.clear_line()
    }
    fn flush(&self) -> io::Result<()> {
        self.0.flush()
    }
}

/// A spinner on stderr while something slow happens (hidden for --json or when not a terminal).
pub fn spinner(message: &str, hidden: bool) -> ProgressBar {
    if hidden {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
        bar.set_style(style);
    }
    bar.set_message(message.to_owned());
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}
