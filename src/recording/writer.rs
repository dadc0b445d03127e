//! Appends events to a recording so that a crash loses at most the last second.
//!
//! A `BufWriter` is plenty at one line a second; what matters is *when* it reaches the disk.
//! The writer flushes whenever an event is at least [`RecordingWriter::FLUSH_EVERY`] after the
//! last flush (measured in session time, which the source stamps: no clock is read here), on
//! link events, and in [`RecordingWriter::finish`].

use std::io::{self, Write};
use std::time::Duration;

use std::borrow::Cow;

use super::{EventLine, Header, Link, RecordedAlert, Recorder, Timer, to_hex};
use crate::coach::alerts::Alert;
use crate::event::{Event, EventKind};

/// Writes the recording format to any `Write`.
pub struct RecordingWriter<W: Write> {
    out: W,
    last_flush: Duration,
}

impl<W: Write> RecordingWriter<W> {
    /// How much session time may pass between flushes.
    pub const FLUSH_EVERY: Duration = Duration::from_secs(1);

    /// Starts a recording by writing its header line (and flushing it).
    ///
    /// # Errors
    /// Any write error.
    pub fn new(mut out: W, header: &Header) -> io::Result<Self> {
        serde_json::to_writer(&mut out, header)?;
        out.write_all(b"\n")?;
        out.flush()?;
        Ok(RecordingWriter {
            out,
            last_flush: Duration::ZERO,
        })
    }

    /// Appends one event, flushing if a second of session time has passed since the last flush.
    ///
    /// # Errors
    /// Any write error.
    pub fn write(&mut self, event: &Event) -> io::Result<()> {
        self.out.write_all(event_line(event).as_bytes())?;
        let link_event = !matches!(
            event.kind,
            EventKind::Notification(_) | EventKind::Battery(_)
        );
        if link_event || event.at.saturating_sub(self.last_flush) >= Self::FLUSH_EVERY {
            self.out.flush()?;
            self.last_flush = event.at;
        }
        Ok(())
    }

    /// Appends an alert that was given, so that the recording says what the runner heard.
    ///
    /// # Errors
    /// Any write error.
    pub fn alert(&mut self, alert: &Alert) -> io::Result<()> {
        let line = EventLine {
            t_ms: ms(alert.at),
            alert: Some(RecordedAlert::from(alert)),
            ..EventLine::default()
        };
        self.out.write_all(to_line(&line).as_bytes())?;
        // An alert is worth keeping even if the next second never comes.
        self.out.flush()
    }

    /// Flushes what has been written.
    ///
    /// # Errors
    /// Any write error.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Flushes what is left and hands back the output.
    ///
    /// # Errors
    /// Any write error.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// The recorder of live runs and `replay --record`.
impl<W: Write> Recorder for RecordingWriter<W> {
    fn event(&mut self, event: &Event) -> io::Result<()> {
        self.write(event)
    }
    fn alert(&mut self, alert: &Alert) -> io::Result<()> {
        RecordingWriter::alert(self, alert)
    }
    fn finish(&mut self) -> io::Result<()> {
        self.flush()
    }
}

/// One event as a line of the recording format, newline included.
pub fn event_line(event: &Event) -> String {
    let mut line = EventLine {
        t_ms: ms(event.at),
        ..EventLine::default()
    };
    match &event.kind {
        EventKind::Notification(bytes) => line.hrm = Some(Cow::Owned(to_hex(bytes))),
        EventKind::Battery(p) => line.battery = Some(*p),
        EventKind::LinkLost => line.link = Some(Link::Lost),
        EventKind::LinkRestored => line.link = Some(Link::Restored),
        EventKind::Paused => line.timer = Some(Timer::Paused),
        EventKind::Resumed => line.timer = Some(Timer::Resumed),
        EventKind::Answer(a) => line.answer = Some(Cow::Borrowed(a.as_str())),
    }
    to_line(&line)
}

/// `line` as JSON and a newline. (Plain data: serializing it cannot fail.)
fn to_line(line: &EventLine<'_>) -> String {
    let mut text = serde_json::to_string(line).unwrap_or_default();
    text.push('\n');
    text
}

/// Whole milliseconds, as `t_ms` is written.
fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recording::{Item, RecordingReader};

    /// Counts flushes so the flush policy can be checked.
    #[derive(Default)]
    struct Sink {
        data: Vec<u8>,
        flushed_len: Vec<usize>,
    }

    impl Write for Sink {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.data.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            self.flushed_len.push(self.data.len());
            Ok(())
        }
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn what_is_written_reads_back_the_same() -> Result<(), Box<dyn std::error::Error>> {
        let events = vec![
            Event {
                at: ms(0),
                kind: EventKind::Battery(77),
            },
            Event::notification(ms(1000), vec![0x16, 0x8c, 0x00, 0x04]),
            Event {
                at: ms(1500),
                kind: EventKind::LinkLost,
            },
            Event {
                at: ms(4000),
                kind: EventKind::LinkRestored,
            },
            Event::notification(ms(5001), vec![0x10]),
        ];
        let mut w = RecordingWriter::new(Vec::new(), &Header::default())?;
        for e in &events {
            w.write(e)?;
        }
        let bytes = w.finish()?;
        let mut r = RecordingReader::new(bytes.as_slice(), "mem")?;
        assert!(r.header().is_some());
        let mut back = Vec::new();
        while let Some(Item::Event(e)) = r.next_item()? {
            back.push(e);
        }
        assert_eq!(back, events);
        Ok(())
    }

    #[test]
    fn flushes_at_least_once_a_second_of_session_time() -> io::Result<()> {
        let mut w = RecordingWriter::new(Sink::default(), &Header::default())?;
        for i in 0..=40u64 {
            w.write(&Event::notification(ms(i * 250), vec![0x00, 100]))?;
        }
        let sink = w.finish()?;
        // Header flush, then one every 4 events (1 s at 4 Hz), then finish.
        assert_eq!(sink.flushed_len.len(), 1 + 10 + 1);
        Ok(())
    }
}
