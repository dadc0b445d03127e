//! Replays a recording as a source, at real-time pace, faster, or as fast as possible.
//!
//! Pacing is the only thing replay adds to the reader: each event is released at
//! `start + at / speed`, with `start` taken from tokio's clock when the first event is asked
//! for. Sleeping until an absolute deadline (rather than for the gap between events) keeps a
//! long replay from drifting. Tests run this under tokio's paused clock.

use std::io::BufRead;
use std::time::Duration;

use tokio::time::Instant;

use super::{Source, SourceError, SourceItem};
use crate::recording::{Item, RecordedAlert, RecordingReader};

/// How fast to replay.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pace {
    /// `speed` times real time (1.0 = as recorded).
    Speed(f64),
    /// No waiting at all.
    Fast,
}

/// A recording as a [`Source`].
pub struct Replay<R> {
    reader: RecordingReader<R>,
    pace: Pace,
    start: Option<Instant>,
    /// Alerts the recorder wrote, set aside: the replay computes its own.
    recorded: Vec<(Duration, RecordedAlert)>,
}

impl<R: BufRead> Replay<R> {
    /// Replays `reader` at `pace`.
    pub fn new(reader: RecordingReader<R>, pace: Pace) -> Self {
        Replay {
            reader,
            pace,
            start: None,
            recorded: Vec::new(),
        }
    }

    /// The alerts the recording says were given, so far.
    pub fn recorded_alerts(&self) -> &[(Duration, RecordedAlert)] {
        &self.recorded
    }
}

impl<R: BufRead> Source for Replay<R> {
    async fn next(&mut self) -> Result<Option<SourceItem>, SourceError> {
        let mut item = self.reader.next_item()?;
        while let Some(Item::Alert { at, alert }) = item {
            self.recorded.push((at, alert));
            item = self.reader.next_item()?;
        }
        match item {
            None | Some(Item::Alert { .. }) => Ok(None),
            Some(Item::Truncated { line }) => Ok(Some(SourceItem::Warning(format!(
                "{}:{line}: last line is cut short (the recorder stopped mid-write); replayed up to the line before",
                self.reader.path().display()
            )))),
            Some(Item::Event(event)) => {
                if let Pace::Speed(speed) = self.pace {
                    let start = *self.start.get_or_insert_with(Instant::now);
                    let offset = Duration::from_secs_f64(event.at.as_secs_f64() / speed);
                    tokio::time::sleep_until(start + offset).await;
                }
                Ok(Some(SourceItem::Event(event)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "{\"t_ms\":0,\"bpm\":100}\n{\"t_ms\":10000,\"bpm\":101}\n{\"t_ms\":60000,\"bpm\":102}\n";

    async fn elapsed_for(pace: Pace) -> Result<Duration, SourceError> {
        let reader = RecordingReader::new(TEXT.as_bytes(), "mem")?;
        let mut replay = Replay::new(reader, pace);
        let t0 = Instant::now();
        let mut n = 0;
        while replay.next().await?.is_some() {
            n += 1;
        }
        assert_eq!(n, 3);
        Ok(t0.elapsed())
    }

    #[tokio::test(start_paused = true)]
    async fn real_time_pace_takes_as_long_as_the_recording() -> Result<(), SourceError> {
        assert_eq!(
            elapsed_for(Pace::Speed(1.0)).await?,
            Duration::from_secs(60)
        );
        Ok(())
    }

    #[tokio::test(start_paused = true)]
    async fn speed_divides_the_time() -> Result<(), SourceError> {
        assert_eq!(
            elapsed_for(Pace::Speed(60.0)).await?,
            Duration::from_secs(1)
        );
        Ok(())
    }

    #[tokio::test(start_paused = true)]
    async fn fast_does_not_wait() -> Result<(), SourceError> {
        assert_eq!(elapsed_for(Pace::Fast).await?, Duration::ZERO);
        Ok(())
    }
}
