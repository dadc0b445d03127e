//! What a source hands the session: a timestamped [`Event`].
//!
//! Live Bluetooth, a replayed recording and a test's event list all produce the same events, so
//! everything downstream (coach, display, recorder) is blind to where they came from. A
//! notification stays raw bytes here: parsing is the coach's first step, so a replay parses
//! exactly what the strap sent.

use std::time::Duration;

/// One thing that happened during a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Time since the session started. Stamped by the source, never read from a clock later.
    pub at: Duration,
    /// What happened.
    pub kind: EventKind,
}

/// The kinds of event a source can produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKind {
    /// A Heart Rate Measurement notification (characteristic 0x2A37), exactly as received.
    Notification(Vec<u8>),
    /// Battery level of the strap in percent (characteristic 0x2A19).
    Battery(u8),
    /// The link to the strap was lost; no notification follows until [`EventKind::LinkRestored`].
    LinkLost,
    /// The link is back and notifications flow again.
    LinkRestored,
    /// The runner stopped the timer (a watch file's timer stop): the time until
    /// [`EventKind::Resumed`] is not part of the run.
    Paused,
    /// The timer runs again.
    Resumed,
    /// The runner answered the coach's question (the warm-up check), at the session time of
    /// the event before: sources other than a recording take answers from the session's
    /// answer channel, and a recording keeps them in order with the rest.
    Answer(crate::coach::answer::Answer),
}

/// A duration as seconds with millisecond precision: how every `_s` figure is written (times
/// are kept in whole milliseconds on the wire, so a replay computes what the run did).
pub fn seconds(d: Duration) -> f64 {
    d.as_millis() as f64 / 1000.0
}

impl Event {
    /// A notification event.
    pub fn notification(at: Duration, bytes: Vec<u8>) -> Self {
        Event {
            at,
            kind: EventKind::Notification(bytes),
        }
    }
}
