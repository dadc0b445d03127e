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
use super::format::{QUESTION_SPOKEN, alert_text, notice_text, start_text};
use crate::coach::alerts::{Alert, AlertKind};
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
    /// Finds the program as running it would: a name with a `/` as it is, any other name in
    /// the directories of `path` (the `PATH` variable's value), which must hold an executable
    /// file of that name. Checked when the run starts, so that a missing speech program is
    /// said before the run, not at its first alert on a headless Pi.
    ///
    /// # Errors
    /// The program is not there, with what to do.
    pub fn locate(&self, path: Option<&std::ffi::OsStr>) -> Result<std::path::PathBuf, String> {
        use std::os::unix::fs::PermissionsExt;
        let runnable = |p: &std::path::Path| {
            std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        };
        let program = std::path::Path::new(&self.program);
        if self.program.contains('/') {
            return if runnable(program) {
                Ok(program.to_owned())
            } else {
                Err(format!(
                    "--say: {} is not a program that can run",
                    self.program
                ))
            };
        }
        path.into_iter()
            .flat_map(std::env::split_paths)
            .map(|dir| dir.join(program))
            .find(|p| runnable(p))
            .ok_or_else(|| {
                format!(
                    "--say: {} is not on PATH: install it (espeak-ng: sudo apt-get install \
                     espeak-ng) or give its full path",
                    self.program
                )
            })
    }

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

/// The screen's text, written for the ear: what is in brackets is left out (a detail to read,
/// not to hear: "(under 130 today)", "(dry strap at the start (reads high))"), a range is said as one
/// ("5-6" is "5 to 6", not "five dash six"), a time as minutes and seconds ("1:20" is "1 minute
/// 20", not "one twenty"), and "bpm" as "beats".
pub fn for_the_ear(text: &str) -> String {
    // Brackets out, nested ones too.
    let mut plain = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let words: Vec<String> = plain.split_whitespace().map(word_for_the_ear).collect();
    let mut said = words.join(" ");
    for (gap, mark) in [(" .", "."), (" ,", ","), (" :", ":"), (" ;", ";")] {
        said = said.replace(gap, mark);
    }
    said
}

/// One word of [`for_the_ear`], with its trailing punctuation kept.
fn word_for_the_ear(word: &str) -> String {
    let core = word.trim_end_matches(['.', ',', ':', ';', '!', '?']);
    let tail = &word[core.len()..];
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let said = if core == "bpm" {
        "beats".to_owned()
    } else if let Some((a, b)) = core.split_once('-').filter(|(a, b)| digits(a) && digits(b)) {
        format!("{a} to {b}")
    } else if let Some((m, s)) = core
        .split_once(':')
        .filter(|(_, s)| s.len() == 2 && digits(s))
        // Parsed here, not defaulted later: a minute count too long for u32 stays as written.
        .and_then(|(m, s)| Some((m.parse::<u32>().ok()?, s.parse::<u32>().ok()?)))
    {
        let unit =
            |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        match (m, s) {
            (0, s) => unit(s, "second", "seconds"),
            (m, 0) => unit(m, "minute", "minutes"),
            (m, s) => format!("{} {s}", unit(m, "minute", "minutes")),
        }
    } else {
        core.to_owned()
    };
    format!("{said}{tail}")
}

/// What an alert says in the ear: the screen's words ([`for_the_ear`]), and for the cues of a
/// run/walk and the plan, which come often or matter at once, the instruction alone.
pub fn spoken(a: &Alert) -> String {
    match a.kind {
        AlertKind::Walk => "Walk.".to_owned(),
        AlertKind::Run => "Run again, gently.".to_owned(),
        AlertKind::Stop => "Stop running. Walk home.".to_owned(),
        _ => for_the_ear(&alert_text(a)),
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
        if let Some(start) = &u.start {
            self.speak(&for_the_ear(&start_text(start).join(" ")))?;
        }
        if let Some(a) = &u.alert {
            self.speak(&spoken(a))?;
        }
        if u.question.is_some() {
            self.speak(QUESTION_SPOKEN)?;
        }
        for n in &u.notices {
            if let Notice::Unreliable(_) = n {
                self.speak(&for_the_ear(&notice_text(n)))?;
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
    fn cues_are_written_for_the_ear() {
        assert_eq!(
            for_the_ear(
                "Still over the cap: 131 bpm, 1:20 over in this stretch (under 130 today). Slow down."
            ),
            "Still over the cap: 131 beats, 1 minute 20 over in this stretch. Slow down."
        );
        assert_eq!(
            for_the_ear(
                "heart rate unreliable (dry strap at the start (reads high)): run by feel, effort 5-6 of 10"
            ),
            "heart rate unreliable: run by feel, effort 5 to 6 of 10"
        );
        assert_eq!(
            for_the_ear("over for 0:20, 1:00 and 2:05."),
            "over for 20 seconds, 1 minute and 2 minutes 5."
        );
        // Not a range or a time: left as written.
        assert_eq!(for_the_ear("zone-2 at 07:00:01"), "zone-2 at 07:00:01");
        assert_eq!(for_the_ear("99999999999:00"), "99999999999:00");
    }

    #[test]
    fn a_speech_program_is_found_on_path_or_refused_before_the_run() -> Result<(), String> {
        let dir = std::env::temp_dir();
        let path = std::ffi::OsString::from(format!("/nonexistent:{}", "/bin:/usr/bin"));
        let sh = SpeechCommand::parse("sh -c true")?;
        assert!(sh.locate(Some(&path)).is_ok());
        let missing = SpeechCommand::parse("espeak-nope")?;
        let e = missing.locate(Some(&path)).expect_err("not on PATH");
        assert!(e.contains("espeak-nope is not on PATH"), "{e}");
        assert!(missing.locate(None).is_err());
        let not_a_program = SpeechCommand::parse(&dir.display().to_string())?;
        assert!(not_a_program.locate(Some(&path)).is_err(), "a directory");
        Ok(())
    }

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
