//! One run to two outputs at once: the terminal (or whatever the flags chose) and a JSON Lines
//! log (`--log FILE`), so that a run can be watched and kept for scripts together.

use std::io;

use super::Output;
use crate::coach::Update;
use crate::coach::summary::Summary;

/// Sends everything to a main output and to a log. The main output's errors end the session
/// as they would alone; a log that fails (a full disk, a pulled USB stick) is said once
/// through the main output, and the run goes on without it: losing the log must not end a
/// run.
pub struct Tee<M, L> {
    main: M,
    log: Option<L>,
    name: String,
}

impl<M: Output, L: Output> Tee<M, L> {
    /// `main` and `log`; `name` says which log it is when it fails (its path).
    pub fn new(main: M, log: L, name: impl Into<String>) -> Self {
        Tee {
            main,
            log: Some(log),
            name: name.into(),
        }
    }

    /// Runs `f` on the log, if it still works; on an error, drops it and says so.
    fn log_with(&mut self, f: impl FnOnce(&mut L) -> io::Result<()>) -> io::Result<()> {
        let Some(log) = self.log.as_mut() else {
            return Ok(());
        };
        if let Err(e) = f(log) {
            self.log = None;
            let name = std::mem::take(&mut self.name);
            self.main.warning(&format!(
                "cannot write the log {name} ({e}): going on without it"
            ))?;
        }
        Ok(())
    }
}

impl<M: Output, L: Output> Output for Tee<M, L> {
    fn update(&mut self, update: &Update) -> io::Result<()> {
        self.main.update(update)?;
        self.log_with(|l| l.update(update))
    }

    fn warning(&mut self, message: &str) -> io::Result<()> {
        self.main.warning(message)?;
        self.log_with(|l| l.warning(message))
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        // The log's summary first: the terminal's may be the last thing a runner sees.
        self.log_with(|l| l.finish(summary))?;
        self.main.finish(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coach::summary::Summary;

    /// Counts what it gets; fails from the `fail_at`th call on.
    #[derive(Default)]
    struct Count {
        calls: usize,
        warnings: Vec<String>,
        fail_at: Option<usize>,
    }

    impl Count {
        fn call(&mut self) -> io::Result<()> {
            self.calls += 1;
            match self.fail_at {
                Some(n) if self.calls >= n => Err(io::Error::other("disk full")),
                _ => Ok(()),
            }
        }
    }

    impl Output for Count {
        fn update(&mut self, _: &Update) -> io::Result<()> {
            self.call()
        }
        fn warning(&mut self, w: &str) -> io::Result<()> {
            self.warnings.push(w.to_owned());
            self.call()
        }
        fn finish(&mut self, _: &Summary) -> io::Result<()> {
            self.call()
        }
    }

    #[test]
    fn both_get_everything_and_a_failing_log_is_said_once_and_dropped() -> io::Result<()> {
        let mut tee = Tee::new(Count::default(), Count::default(), "run.log");
        tee.warning("one")?;
        tee.warning("two")?;
        assert_eq!(
            (tee.main.calls, tee.log.as_ref().map(|l| l.calls)),
            (2, Some(2))
        );

        let failing = Count {
            fail_at: Some(2),
            ..Count::default()
        };
        let mut tee = Tee::new(Count::default(), failing, "run.log");
        for w in ["a", "b", "c"] {
            tee.warning(w)?;
        }
        assert!(tee.log.is_none(), "dropped after its error");
        let said: Vec<&String> = (tee.main.warnings.iter())
            .filter(|w| w.contains("cannot write the log run.log"))
            .collect();
        assert_eq!(said.len(), 1, "{:?}", tee.main.warnings);
        assert_eq!(tee.main.warnings.len(), 4, "a, b, the log's failure, c");
        Ok(())
    }

    #[test]
    fn the_main_output_s_errors_still_end_the_session() {
        let main = Count {
            fail_at: Some(1),
            ..Count::default()
        };
        let mut tee = Tee::new(main, Count::default(), "run.log");
        assert!(tee.warning("x").is_err());
    }
}
