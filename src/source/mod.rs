//! Where events come from: the edge on the way in.
//!
//! A [`Source`] yields [`SourceItem`]s until it ends. The session loop does not know, and must
//! not know, whether they come from a strap, a recording or a test's list of events.

pub mod ble;
pub mod link;
pub mod live;
pub mod radio;
pub mod replay;
pub mod script;

use crate::event::Event;
use crate::recording::RecordingError;

/// What a source yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceItem {
    /// Something happened.
    Event(Event),
    /// Something the user should know that does not stop the session.
    Warning(String),
}

/// Why a source had to stop.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The recording being replayed cannot be read further.
    #[error(transparent)]
    Recording(#[from] RecordingError),
}

/// A stream of events.
///
/// `async fn` in a public trait leaves callers unable to demand a `Send` future; the session
/// runs on one thread, so it does not need one.
#[allow(async_fn_in_trait)]
pub trait Source {
    /// The next item, or `None` when the source has ended.
    ///
    /// # Errors
    /// A [`SourceError`] that ends the session.
    async fn next(&mut self) -> Result<Option<SourceItem>, SourceError>;
}

/// A fixed list of events, for tests.
pub struct EventList {
    events: std::vec::IntoIter<Event>,
}

impl EventList {
    /// A source that yields `events` in order, at once.
    pub fn new(events: Vec<Event>) -> Self {
        EventList {
            events: events.into_iter(),
        }
    }
}

impl Source for EventList {
    async fn next(&mut self) -> Result<Option<SourceItem>, SourceError> {
        Ok(self.events.next().map(SourceItem::Event))
    }
}
