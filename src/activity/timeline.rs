//! What the readers share: samples and timer changes collected at absolute times, made
//! relative to the start, with pauses paired and the span checked.

use std::path::Path;

use super::{Activity, ImportError, Sample};

/// The shortest gap between two TCX tracks or GPX segments that is a pause. Watches start a
/// new track after a pause, but some (and apps) also at every lap, and then the next point comes
/// within a second or two: 2 s at each of the six 1 km laps of the real runpandas TCX. A lap
/// split is not a stop; the gap is counted like any other between two samples.
pub const SEGMENT_PAUSE: std::time::Duration = std::time::Duration::from_secs(10);

/// What a reader collects: samples and timer changes at absolute times (Unix ms), made relative
/// to the earliest of them by [`Timeline::into_activity`].
#[derive(Debug, Default)]
pub(super) struct Timeline {
    pub(super) points: Vec<(i64, Sample)>,
    /// (time, true for a stop, false for a start)
    pub(super) timer: Vec<(i64, bool)>,
    /// A start the file states (FIT session start, TCX Id), if any.
    pub(super) start: Option<i64>,
    /// In a segment (TCX `Track`, GPX `trkseg`): no point of it yet.
    segment_empty: bool,
    /// The last point of the segment so far, and of the segment before.
    segment_last: Option<i64>,
    previous_end: Option<i64>,
}

impl Timeline {
    /// A TCX `Track` or GPX `trkseg` begins: watches start one after a pause.
    pub(super) fn begin_segment(&mut self) {
        self.segment_empty = true;
    }

    /// A point of the current segment. The first of a segment that comes more than
    /// [`SEGMENT_PAUSE`] after the end of the one before is a resume, and that end a pause.
    pub(super) fn push_in_segment(&mut self, t: i64, sample: Sample) {
        if self.segment_empty {
            if let Some(end) = self.previous_end
                && t - end > SEGMENT_PAUSE.as_millis() as i64
            {
                self.timer.push((end, true));
                self.timer.push((t, false));
            }
            self.segment_empty = false;
        }
        self.segment_last = Some(t);
        self.points.push((t, sample));
    }

    /// The current segment ends.
    pub(super) fn end_segment(&mut self) {
        if let Some(t) = self.segment_last.take() {
            self.previous_end = Some(t);
        }
    }

    pub(super) fn into_activity(
        mut self,
        mut activity: Activity,
        path: &Path,
    ) -> Result<Activity, ImportError> {
        self.points.sort_by_key(|(t, _)| *t);
        self.timer.sort_by_key(|(t, _)| *t);
        let origin = [
            self.start,
            self.points.first().map(|p| p.0),
            self.timer.first().map(|p| p.0),
        ]
        .into_iter()
        .flatten()
        .min();
        let Some(origin) = origin else {
            return Ok(activity);
        };
        let last = [
            self.points.last().map(|p| p.0),
            self.timer.last().map(|p| p.0),
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(origin);
        let limit = crate::recording::reader::MAX_SESSION;
        if u128::try_from(last - origin).unwrap_or(0) > limit.as_millis() {
            let day = |ms: i64| {
                jiff::Timestamp::from_millisecond(ms)
                    .map_or_else(|_| ms.to_string(), |t| t.strftime("%Y-%m-%d").to_string())
            };
            return Err(ImportError::Corrupt {
                path: path.to_owned(),
                what: format!(
                    "its times run from {} to {}: more than {} days, not one activity (a timestamp in the file is wrong)",
                    day(origin),
                    day(last),
                    limit.as_secs() / 86_400
                ),
            });
        }
        let rel = |t: i64| u64::try_from(t - origin).unwrap_or(0);
        activity.start = jiff::Timestamp::from_millisecond(origin).ok();
        activity.samples = self
            .points
            .into_iter()
            .map(|(t, s)| Sample { t_ms: rel(t), ..s })
            .collect();
        let mut open: Option<u64> = None;
        for (t, stop) in self.timer {
            match (stop, open) {
                (true, None) => open = Some(rel(t)),
                (false, Some(from)) => {
                    activity.pauses.push((from, Some(rel(t))));
                    open = None;
                }
                _ => {}
            }
        }
        // A stop after the last sample is the end of the activity, not a pause.
        let last_sample = activity.samples.last().map_or(0, |s| s.t_ms);
        if let Some(from) = open
            && from < last_sample
        {
            activity.pauses.push((from, None));
        }
        Ok(activity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::Format;

    #[test]
    fn a_stop_after_the_last_sample_is_the_end_not_a_pause() -> Result<(), ImportError> {
        let t = Timeline {
            points: vec![(1_000, Sample::hr(0, 120)), (2_000, Sample::hr(0, 121))],
            timer: vec![(1_000, false), (2_000, true)],
            ..Timeline::default()
        };
        let a = t.into_activity(Activity::new(Format::Fit), Path::new("t.fit"))?;
        assert!(a.pauses.is_empty(), "{:?}", a.pauses);
        let t = Timeline {
            points: vec![(1_000, Sample::hr(0, 120)), (9_000, Sample::hr(0, 121))],
            timer: vec![(2_000, true)],
            ..Timeline::default()
        };
        let a = t.into_activity(Activity::new(Format::Fit), Path::new("t.fit"))?;
        assert_eq!(a.pauses, [(1_000, None)]);
        Ok(())
    }
}
