//! The one session loop: source → coach → output, until the source ends or shutdown fires.
//!
//! Live, replay, the look back of `report` and `export`, and the calibrations all run through
//! [`run`]. There is no task or channel per stage: at about one event a second the stages are
//! plain function calls, and keeping them on one thread keeps the order of events obvious.
//! Shutdown is a future passed in (the binary gives it [`crate::shutdown::Shutdown::wait`] of
//! its Ctrl-C token, tests give it whatever they like), as in mini-redis's `server::run`.
//! [`run_with`] also takes the runner's answers during the run, on a channel.

use std::future::Future;
use std::io;

use tokio::sync::mpsc;

use crate::coach::Coach;
use crate::coach::answer::Answer;
use crate::coach::summary::Summary;
use crate::event::{Event, EventKind};
use crate::output::Output;
use crate::recording::Recorder;
use crate::source::{Source, SourceError, SourceItem};

/// Why a session ended early.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The source failed: a recording that cannot be read further. (A live strap does not fail
    /// a session: its drops are link events in the stream.)
    #[error(transparent)]
    Source(#[from] SourceError),
    /// Writing output failed (e.g. the reader of a pipe went away).
    #[error("cannot write output")]
    Output(#[from] io::Error),
}

/// Runs one session and returns its summary.
///
/// The summary is handed to `output.finish` whether the source ended or `shutdown` fired, so
/// Ctrl-C still prints it.
///
/// # Errors
/// A [`SessionError`] when the source or the output fails; the output is not finished then.
pub async fn run<S, O>(
    source: &mut S,
    coach: &mut Coach,
    output: &mut O,
    shutdown: impl Future<Output = ()>,
) -> Result<Summary, SessionError>
where
    S: Source,
    O: Output + ?Sized,
{
    run_recorded(source, coach, output, None, shutdown).await
}

/// [`run`], also handing every event and alert to `recorder`.
///
/// # Errors
/// As [`run`]. A recorder that cannot write is not an error: the output is warned, recording
/// stops, and coaching goes on.
pub async fn run_recorded<S, O>(
    source: &mut S,
    coach: &mut Coach,
    output: &mut O,
    recorder: Option<&mut dyn Recorder>,
    shutdown: impl Future<Output = ()>,
) -> Result<Summary, SessionError>
where
    S: Source,
    O: Output + ?Sized,
{
    run_with(source, coach, output, recorder, None, shutdown).await
}

/// What the loop does next.
enum Next {
    /// The runner said something (`None`: nobody can any more).
    Answer(Option<Answer>),
    /// The source's next item (`None`: it ended).
    Item(Option<SourceItem>),
    /// Shutdown fired.
    Stop,
}

/// The next answer, or never when there is no channel.
async fn next_answer(answers: Option<&mut mpsc::Receiver<Answer>>) -> Option<Answer> {
    match answers {
        Some(rx) => rx.recv().await,
        None => std::future::pending().await,
    }
}

/// [`run_recorded`], also taking the runner's answers from `answers` (a key on the terminal, a
/// view's buttons) before the next event: each becomes an [`EventKind::Answer`] stamped with
/// the time of the event before ([`Coach::now`]), recorded and coached like any other event.
/// The channel's senders may all go: the run goes on.
///
/// # Errors
/// As [`run`].
pub async fn run_with<S, O>(
    source: &mut S,
    coach: &mut Coach,
    output: &mut O,
    mut recorder: Option<&mut dyn Recorder>,
    mut answers: Option<&mut mpsc::Receiver<Answer>>,
    shutdown: impl Future<Output = ()>,
) -> Result<Summary, SessionError>
where
    S: Source,
    O: Output + ?Sized,
{
    tokio::pin!(shutdown);
    loop {
        let next = tokio::select! {
            // An answer waiting is taken before the next event. Then favour the source: at the
            // end of a fast replay there is no reason to poll Ctrl-C before each event, and
            // events already received should not be dropped.
            biased;
            answer = next_answer(answers.as_deref_mut()) => Next::Answer(answer),
            item = source.next() => Next::Item(item?),
            () = &mut shutdown => Next::Stop,
        };
        let item = match next {
            Next::Answer(Some(answer)) => Some(SourceItem::Event(Event {
                at: coach.now(),
                kind: EventKind::Answer(answer),
            })),
            Next::Answer(None) => {
                answers = None;
                continue;
            }
            Next::Item(item) => item,
            Next::Stop => break,
        };
        match item {
            None => break,
            Some(SourceItem::Warning(w)) => output.warning(&w)?,
            Some(SourceItem::Event(event)) => {
                if let Some(Err(e)) = recorder.as_deref_mut().map(|r| r.event(&event)) {
                    recording_failed(output, &mut recorder, &e)?;
                }
                let update = coach.step(event);
                if let (Some(r), Some(a)) = (recorder.as_deref_mut(), &update.alert)
                    && let Err(e) = r.alert(a)
                {
                    recording_failed(output, &mut recorder, &e)?;
                }
                output.update(&update)?;
            }
        }
    }
    if let Some(Err(e)) = recorder.as_deref_mut().map(|r| r.finish()) {
        recording_failed(output, &mut recorder, &e)?;
    }
    let summary = coach.summary();
    output.finish(&summary)?;
    Ok(summary)
}

/// The recording cannot be written (a full disk, a pulled card): say so at once, stop
/// recording, and go on coaching. The run matters more than its record.
fn recording_failed<O: Output + ?Sized>(
    output: &mut O,
    recorder: &mut Option<&mut dyn Recorder>,
    e: &io::Error,
) -> Result<(), SessionError> {
    *recorder = None;
    output.warning(&format!(
        "cannot write the recording ({e}): coaching goes on, but this run is no longer recorded"
    ))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coach::alerts::CapSettings;
    use crate::coach::measurement::{Contact, HeartRateMeasurement};
    use crate::coach::{CoachConfig, Update};
    use crate::event::Event;
    use crate::source::EventList;
    use std::time::Duration;

    #[derive(Default)]
    struct Collect {
        updates: Vec<Update>,
        warnings: Vec<String>,
        finished: Option<Summary>,
    }

    impl Output for Collect {
        fn update(&mut self, u: &Update) -> io::Result<()> {
            self.updates.push(u.clone());
            Ok(())
        }
        fn warning(&mut self, w: &str) -> io::Result<()> {
            self.warnings.push(w.to_owned());
            Ok(())
        }
        fn finish(&mut self, s: &Summary) -> io::Result<()> {
            self.finished = Some(s.clone());
            Ok(())
        }
    }

    fn events(n: u64, bpm: u16) -> Vec<Event> {
        (0..n)
            .map(|s| {
                let m = HeartRateMeasurement {
                    bpm,
                    contact: Contact::Detected,
                    energy_kj: None,
                    rr: vec![],
                };
                Event::notification(Duration::from_secs(s), m.encode())
            })
            .collect()
    }

    /// A recorder whose disk fills up after `room` events.
    struct FullDisk {
        room: usize,
        written: usize,
    }

    impl Recorder for FullDisk {
        fn event(&mut self, _: &Event) -> io::Result<()> {
            if self.written == self.room {
                return Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"));
            }
            self.written += 1;
            Ok(())
        }
        fn alert(&mut self, _: &crate::coach::alerts::Alert) -> io::Result<()> {
            Ok(())
        }
        fn finish(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn a_recording_that_cannot_be_written_is_said_once_and_coaching_goes_on()
    -> Result<(), SessionError> {
        let mut coach = Coach::new(CoachConfig::new(185).with_cap(CapSettings::default()));
        let mut out = Collect::default();
        let mut disk = FullDisk {
            room: 5,
            written: 0,
        };
        let summary = run_recorded(
            &mut EventList::new(events(30, 140)),
            &mut coach,
            &mut out,
            Some(&mut disk),
            std::future::pending(),
        )
        .await?;
        assert_eq!(disk.written, 5);
        assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
        assert!(out.warnings[0].contains("disk full"), "{:?}", out.warnings);
        // Every event was still coached: the alert came, the summary counts all 30.
        assert_eq!(out.updates.len(), 30);
        assert_eq!(summary.notifications, 30);
        assert_eq!(summary.alerts.len(), 1);
        Ok(())
    }

    #[tokio::test]
    async fn runs_every_event_through_the_coach_and_finishes() -> Result<(), SessionError> {
        let mut coach = Coach::new(CoachConfig::new(185).with_cap(CapSettings::default()));
        let mut out = Collect::default();
        let summary = run(
            &mut EventList::new(events(30, 140)),
            &mut coach,
            &mut out,
            std::future::pending(),
        )
        .await?;
        assert_eq!(out.updates.len(), 30);
        assert_eq!(out.updates.iter().filter(|u| u.alert.is_some()).count(), 1);
        assert_eq!(out.finished.as_ref(), Some(&summary));
        assert_eq!(summary.counted, Duration::from_secs(29));
        Ok(())
    }

    #[tokio::test]
    async fn shutdown_stops_the_loop_and_still_finishes() -> Result<(), SessionError> {
        let mut coach = Coach::new(CoachConfig::new(185));
        let mut out = Collect::default();
        // A source that never ends, and a shutdown that has already fired.
        struct Forever;
        impl Source for Forever {
            async fn next(&mut self) -> Result<Option<SourceItem>, SourceError> {
                std::future::pending().await
            }
        }
        run(&mut Forever, &mut coach, &mut out, async {}).await?;
        assert!(out.finished.is_some());
        Ok(())
    }

    #[tokio::test]
    async fn an_answer_reaches_the_coach_before_the_next_event_and_the_run_outlives_its_senders()
    -> Result<(), SessionError> {
        use crate::checkins::rules::Moving;
        let mut coach = Coach::new(CoachConfig::new(185));
        let mut out = Collect::default();
        let (tx, mut rx) = mpsc::channel(4);
        let sent = tx.try_send(Answer::Soreness(Moving::Easing)).is_ok();
        drop(tx);
        let summary = run_with(
            &mut EventList::new(events(10, 120)),
            &mut coach,
            &mut out,
            None,
            Some(&mut rx),
            std::future::pending(),
        )
        .await?;
        assert!(sent);
        // Taken before the first event, at session time 0; then every event still came.
        assert_eq!(
            coach.answers(),
            &[(Duration::ZERO, Answer::Soreness(Moving::Easing))]
        );
        assert_eq!(summary.notifications, 10);
        Ok(())
    }
}
