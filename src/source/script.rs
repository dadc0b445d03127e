//! Answers scripted into another source at set times: `replay --answer worse@10m` answers the
//! warm-up check as a runner would, through the same event stream a live answer takes.

use std::collections::VecDeque;
use std::time::Duration;

use super::{Source, SourceError, SourceItem};
use crate::coach::answer::Answer;
use crate::event::{Event, EventKind};

/// `inner`, with each answer of the script given just before the first event at or after its
/// time. Answers after the source's last event are never given: the run ended first.
pub struct Scripted<S> {
    inner: S,
    script: VecDeque<(Duration, Answer)>,
    held: Option<SourceItem>,
}

impl<S: Source> Scripted<S> {
    /// `inner` with `script` (in any order).
    pub fn new(inner: S, mut script: Vec<(Duration, Answer)>) -> Self {
        script.sort_by_key(|(at, _)| *at);
        Scripted {
            inner,
            script: script.into(),
            held: None,
        }
    }

    /// The source inside.
    pub fn inner(&self) -> &S {
        &self.inner
    }
}

impl<S: Source> Source for Scripted<S> {
    async fn next(&mut self) -> Result<Option<SourceItem>, SourceError> {
        let item = match self.held.take() {
            Some(item) => item,
            None => match self.inner.next().await? {
                Some(item) => item,
                None => return Ok(None),
            },
        };
        if let SourceItem::Event(e) = &item
            && let Some(&(at, answer)) = self.script.front()
            && e.at >= at
        {
            self.script.pop_front();
            self.held = Some(item);
            return Ok(Some(SourceItem::Event(Event {
                at,
                kind: EventKind::Answer(answer),
            })));
        }
        Ok(Some(item))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkins::rules::Moving;
    use crate::source::EventList;

    #[tokio::test]
    async fn answers_come_before_the_first_event_at_their_time() -> Result<(), SourceError> {
        let events = (0..5)
            .map(|s| Event {
                at: Duration::from_secs(s * 10),
                kind: EventKind::Battery(90),
            })
            .collect();
        let worse = Answer::Soreness(Moving::Worse);
        let same = Answer::Soreness(Moving::Same);
        let script = vec![
            (Duration::from_secs(25), worse),
            (Duration::from_secs(5), same),
            (Duration::from_secs(99), same),
        ];
        let mut s = Scripted::new(EventList::new(events), script);
        let mut seen = Vec::new();
        while let Some(SourceItem::Event(e)) = s.next().await? {
            seen.push((e.at.as_secs(), matches!(e.kind, EventKind::Answer(_))));
        }
        assert_eq!(
            seen,
            [
                (0, false),
                (5, true),
                (10, false),
                (20, false),
                (25, true),
                (30, false),
                (40, false)
            ]
        );
        Ok(())
    }
}
