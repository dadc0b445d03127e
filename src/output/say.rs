//! `--say COMMAND`: speak alerts for headless use (a Raspberry Pi with headphones).
//!
//! Each alert, and each "heart rate unreliable" notice, runs `COMMAND TEXT` (e.g.
//! `--say espeak-ng`, or `--say "espeak-ng -s 150"`), without waiting for it: the run never
//! waits on speech. The command is split into words as a POSIX shell would (quotes and
//! backslashes, by `shell-words`) but no shell runs it: nothing in it or in the alert text is
//! interpreted. A command that cannot start or that fails is reported once, as a warning,
//! and the run goes on with the alerts on screen.

use std::io;
use std::process::{Child, Command, Stdio};

use super::Output;
use super::format::{alert_text, notice_text};
use crate::coach::summary::Summary;
use crate::coach::{Notice, Update};

/// The program `--say` runs and its first arguments (the alert text comes last).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeechCommand {
    /// The program, found on `PATH` as usual.
    pub program: String,
    /// Its arguments before the text.
    pub args: Vec<String>,
}

impl SpeechCommand {
    /// Splits `command` into words as a POSIX shell would: `espeak-ng -v "en-us+f3" -s 150`.
    ///
    /// # Errors
    /// An unmatched quote, or no program at all.
    pub fn parse(command: &str) -> Result<Self, String> {
        let mut words = shell_words::split(command)
            .map_err(|e| format!("cannot split {command:?} into words: {e}"))?
            .into_iter();
        let program = words
            .next()
            .ok_or_else(|| "no command to run: e.g. --say espeak-ng".to_owned())?;
        Ok(SpeechCommand {
            program,
            args: words.collect(),
        })
    }
}

/// Wraps another output and speaks alerts through a command.
pub struct Say<O> {
    inner: O,
    program: String,
    args: Vec<String>,
    running: Vec<Child>,
    reported: bool,
}

impl<O: Output> Say<O> {
    /// Speaks through `command`, and passes everything on to `inner`.
    pub fn new(inner: O, command: SpeechCommand) -> Self {
        Say {
            inner,
            program: command.program,
            args: command.args,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_splits_like_a_shell_and_refuses_what_cannot_run() {
        let c = SpeechCommand::parse(r#"espeak-ng -v "en-us+f3" -s 150"#);
        assert_eq!(
            c,
            Ok(SpeechCommand {
                program: "espeak-ng".to_owned(),
                args: vec!["-v".into(), "en-us+f3".into(), "-s".into(), "150".into()],
            })
        );
        let c = SpeechCommand::parse("say 'two words' ; rm x");
        assert_eq!(
            c.map(|c| c.args),
            Ok(vec![
                "two words".into(),
                ";".into(),
                "rm".into(),
                "x".into()
            ]),
            "a ; is a word like any other: no shell"
        );
        assert!(SpeechCommand::parse("say 'open").is_err());
        assert!(SpeechCommand::parse("   ").is_err());
    }
}
