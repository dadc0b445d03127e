//! `--say COMMAND`: speak alerts for headless use (a Raspberry Pi with headphones).
//!
//! Each alert, and each "heart rate unreliable" notice, runs `COMMAND TEXT` (e.g.
//! `--say espeak-ng`, or `--say "espeak-ng -s 150"`), without waiting for it: the run never
//! waits on speech. A command that cannot start or that fails is reported once, as a warning,
//! and the run goes on with the alerts on screen.

use std::io;
use std::process::{Child, Command, Stdio};

use super::Output;
use super::format::{alert_text, notice_text};
use crate::coach::summary::Summary;
use crate::coach::{Notice, Update};

/// Wraps another output and speaks alerts through a command.
pub struct Say<O> {
    inner: O,
    program: String,
    args: Vec<String>,
    running: Vec<Child>,
    reported: bool,
}

impl<O: Output> Say<O> {
    /// Speaks through `command` (a program and its arguments, split at white space), and
    /// passes everything on to `inner`.
    pub fn new(inner: O, command: &str) -> Self {
        let mut words = command.split_whitespace().map(str::to_owned);
        Say {
            inner,
            program: words.next().unwrap_or_default(),
            args: words.collect(),
            running: Vec::new(),
            reported: false,
        }
    }

    fn speak(&mut self, text: &str) -> io::Result<()> {
        self.reap()?;
        let spawned = Command::new(&self.program)
            .args(&self.args)
            .arg(text)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        match spawned {
            Ok(child) => self.running.push(child),
            Err(e) => self.report(&format!("cannot run --say command {:?}: {e}", self.program))?,
        }
        Ok(())
    }

    /// Collects the commands that have finished, reporting the first failure.
    fn reap(&mut self) -> io::Result<()> {
        let mut failed = None;
        self.running.retain_mut(|c| match c.try_wait() {
            Ok(Some(status)) => {
                if !status.success() {
                    failed = Some(status);
                }
                false
            }
            Ok(None) => true,
            Err(_) => false,
        });
        if let Some(status) = failed {
            let msg = format!("--say command {:?} failed ({status})", self.program);
            self.report(&msg)?;
        }
        Ok(())
    }

    fn report(&mut self, message: &str) -> io::Result<()> {
        if self.reported {
            return Ok(());
        }
        self.reported = true;
        self.inner.warning(&format!(
            "{message}; alerts stay on screen, and this is not repeated"
        ))
    }
}

impl<O: Output> Output for Say<O> {
    fn update(&mut self, u: &Update) -> io::Result<()> {
        self.inner.update(u)?;
        if let Some(a) = &u.alert {
            self.speak(&alert_text(a))?;
        }
        for n in &u.notices {
            if let Notice::Unreliable(_) = n {
                self.speak(&notice_text(n))?;
            }
        }
        Ok(())
    }

    fn warning(&mut self, message: &str) -> io::Result<()> {
        self.inner.warning(message)
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        // Let the last words finish before the program exits.
        for child in &mut self.running {
            if let Ok(status) = child.wait()
                && !status.success()
            {
                let msg = format!("--say command {:?} failed ({status})", self.program);
                if !self.reported {
                    self.reported = true;
                    self.inner.warning(&format!(
                        "{msg}; alerts stay on screen, and this is not repeated"
                    ))?;
                }
            }
        }
        self.running.clear();
        self.inner.finish(summary)
    }
}
