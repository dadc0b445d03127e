//! Running totals of a session and the [`Summary`] they add up to.
//!
//! Time in zone follows one rule, the same for live, replayed and imported runs:
//!
//! > A trusted reading counts for the time until the next reading or event, if that time is at
//! > most the session's maximum gap (5 s for a strap, 30 s for a watch file). Up to the next
//! > trusted reading, the time is counted the way a watch counts it, one second at a time:
//! > second *k* of the stretch is in the zone of the heart rate drawn in a straight line from
//! > this reading to the next, rounded to whole bpm (so a 1 s stretch is this reading's zone).
//! > A longer gap (a paused timer, a lost link, a strap out of range) counts for nothing, and so
//! > does the time after an untrusted or malformed reading, or after the last reading of the run.
//!
//! Straight lines matter for watch files: watches sample every second but "smart recording"
//! stores a reading every 1-8 s, and the watch's own time in zone is counted from every second.
//! Holding each stored value until the next one is 17.6 s off the watch on a real file; the
//! straight line 7.6 s (docs/file-formats.md). A strap notifies every second, where both agree.
//!
//! So `time_in_zone` always adds up to `counted`, and `counted <= duration`.

use std::time::Duration;

use super::alerts::{Alert, AlertKind};
use super::plan::CheckOutcome;
use super::quality::Rejection;
use super::zones::{Zone, ZoneModel};

/// What a session added up to. Built by the coach; shown by the outputs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Time of the last event (the session starts at 0).
    pub duration: Duration,
    /// Time credited to a zone (see the module docs for the rule).
    pub counted: Duration,
    /// Time in zone 0 (below zone 1) to zone 5; adds up to `counted`.
    pub time_in_zone: [Duration; Zone::COUNT],
    /// Time credited to readings at or above the cap (only with a cap).
    pub over_cap: Duration,
    /// Plain mean of the trusted readings' bpm, if there were any.
    pub mean_bpm: Option<f64>,
    /// Highest trusted reading.
    pub max_bpm: Option<u16>,
    /// Notifications received, well-formed or not.
    pub notifications: u64,
    /// Well-formed notifications that were trusted.
    pub trusted: u64,
    /// Rejected readings by reason, indexed by [`Rejection::index`].
    pub rejected: [u64; Rejection::ALL.len()],
    /// Gaps longer than the maximum gap with no lost link reported: stale data.
    pub stale_gaps: u64,
    /// Total length of those gaps.
    pub stale: Duration,
    /// Alerts not given because the per-minute ceiling was reached.
    pub suppressed_alerts: u64,
    /// Payloads that were not valid Heart Rate Measurements.
    pub malformed: u64,
    /// Times the link to the strap was lost.
    pub link_losses: u64,
    /// How long the link was down in all (from each loss to its return, or to the end).
    pub link_down: Duration,
    /// Times the timer was paused (watch files).
    pub pauses: u64,
    /// Last battery level reported, in percent.
    pub battery: Option<u8>,
    /// The cap in bpm, when the run had one.
    pub cap_bpm: Option<u16>,
    /// Every alert, in order.
    pub alerts: Vec<Alert>,
    /// Run/walk's breaks and segments, when the run was a run/walk.
    pub run_walk: Option<RunWalkSummary>,
    /// How the warm-up check went, when it was asked (or answered).
    pub warm_up_check: Option<CheckOutcome>,
}

impl RunWalkSummary {
    /// Adds the segment from `since` to `at`, a walk or a run.
    fn end_segment(&mut self, at: Duration, since: Duration, walking: bool) {
        let span = at.saturating_sub(since);
        if walking {
            self.walk += span;
        } else {
            self.run += span;
            self.longest_run = self.longest_run.max(span);
        }
    }
}

/// A run/walk by its cues: a walk from each `walk` cue to the next `run` cue (or the end), a
/// run segment from the start or a `run` cue to the next `walk` cue (or the end).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunWalkSummary {
    /// Walk cues given.
    pub walk_breaks: u32,
    /// Time walked.
    pub walk: Duration,
    /// Time run.
    pub run: Duration,
    /// The longest run segment.
    pub longest_run: Duration,
}

/// What the next stretch of time is credited to.
#[derive(Debug, Clone, Copy)]
enum Credit {
    Zone {
        bpm: u16,
        zone: Zone,
        over_cap: bool,
    },
    Nothing,
}

/// Accumulates a [`Summary`] one event at a time. Pure and O(1) per event (plus alerts).
#[derive(Debug, Clone)]
pub struct Tally {
    max_gap: Duration,
    zones: ZoneModel,
    cap_bpm: Option<u16>,
    pending: Option<(Duration, Credit)>,
    bpm_sum: u64,
    summary: Summary,
    /// Run/walk: when the current segment began, and whether it is a walk.
    segment: Option<(Duration, bool)>,
    /// Since when the link is down, while it is.
    down_since: Option<Duration>,
}

impl Tally {
    /// An empty tally; gaps longer than `max_gap` are not counted. `zones` and `cap_bpm` place
    /// the seconds between two readings.
    pub fn new(max_gap: Duration, zones: ZoneModel, cap_bpm: Option<u16>) -> Self {
        Tally {
            max_gap,
            zones,
            cap_bpm,
            pending: None,
            bpm_sum: 0,
            summary: Summary {
                duration: Duration::ZERO,
                counted: Duration::ZERO,
                time_in_zone: [Duration::ZERO; Zone::COUNT],
                over_cap: Duration::ZERO,
                mean_bpm: None,
                max_bpm: None,
                notifications: 0,
                trusted: 0,
                rejected: [0; Rejection::ALL.len()],
                stale_gaps: 0,
                stale: Duration::ZERO,
                suppressed_alerts: 0,
                malformed: 0,
                link_losses: 0,
                link_down: Duration::ZERO,
                pauses: 0,
                battery: None,
                cap_bpm,
                alerts: Vec::new(),
                run_walk: None,
                warm_up_check: None,
            },
            segment: None,
            down_since: None,
        }
    }

    /// The same tally, counting run/walk segments from the start when `on`.
    pub fn with_run_walk(mut self, on: bool) -> Self {
        if on {
            self.start_run_walk(Duration::ZERO);
        }
        self
    }

    /// Run/walk begins at `at` (a "same" at the warm-up check can lower the cap into it):
    /// what came before counts as running.
    pub fn start_run_walk(&mut self, at: Duration) {
        self.summary.run_walk = Some(RunWalkSummary {
            run: at,
            longest_run: Duration::ZERO,
            ..RunWalkSummary::default()
        });
        self.segment = Some((at, false));
    }

    /// The cap is now `cap_bpm`: readings from here on are over or under it.
    pub fn set_cap(&mut self, cap_bpm: u16) {
        self.cap_bpm = Some(cap_bpm);
        self.summary.cap_bpm = Some(cap_bpm);
    }

    /// Time over the cap so far.
    pub fn over_cap(&self) -> Duration {
        self.summary.over_cap
    }

    /// Closes the pending stretch at `at`, crediting it if it was short enough.
    fn close(&mut self, at: Duration, next: Option<Credit>) {
        if let Some((since, Credit::Zone { zone, over_cap, .. })) = self.pending {
            let span = at.saturating_sub(since);
            if span <= self.max_gap {
                self.credit(zone, over_cap, span);
            }
        }
        self.pending = next.map(|c| (at, c));
        self.summary.duration = self.summary.duration.max(at);
    }

    fn credit(&mut self, zone: Zone, over_cap: bool, span: Duration) {
        self.summary.time_in_zone[zone.index()] += span;
        self.summary.counted += span;
        if over_cap {
            self.summary.over_cap += span;
        }
    }

    /// Credits the stretch from a trusted reading of `from` bpm to one of `to` bpm a second at
    /// a time along the straight line between them (see the module docs).
    fn credit_line(&mut self, from: u16, to: u16, span: Duration) {
        const SECOND: Duration = Duration::from_secs(1);
        let span_s = span.as_secs_f64();
        let mut offset = Duration::ZERO;
        while offset < span {
            let step = SECOND.min(span - offset);
            let fraction = offset.as_secs_f64() / span_s;
            let bpm = (f64::from(from) + (f64::from(to) - f64::from(from)) * fraction).round();
            let bpm = bpm as u16; // between `from` and `to`
            let over_cap = self.cap_bpm.is_some_and(|cap| bpm >= cap);
            self.credit(self.zones.zone(bpm), over_cap, step);
            offset += step;
        }
    }

    /// A trusted reading.
    pub fn trusted(&mut self, at: Duration, bpm: u16, zone: Zone, over_cap: bool) {
        if let Some((since, Credit::Zone { bpm: from, .. })) = self.pending {
            let span = at.saturating_sub(since);
            // Up to a second the line is the reading itself: `close` credits that (the common
            // case, a strap's 1 Hz, without the arithmetic).
            if span > Duration::from_secs(1) && span <= self.max_gap {
                self.credit_line(from, bpm, span);
                self.pending = None;
            }
        }
        self.close(
            at,
            Some(Credit::Zone {
                bpm,
                zone,
                over_cap,
            }),
        );
        let s = &mut self.summary;
        s.notifications += 1;
        s.trusted += 1;
        self.bpm_sum += u64::from(bpm);
        s.max_bpm = s.max_bpm.max(Some(bpm));
    }

    /// A well-formed reading that was not trusted.
    pub fn rejected(&mut self, at: Duration, reason: Rejection) {
        self.close(at, Some(Credit::Nothing));
        self.summary.notifications += 1;
        self.summary.rejected[reason.index()] += 1;
    }

    /// A payload that did not parse.
    pub fn malformed(&mut self, at: Duration) {
        self.close(at, Some(Credit::Nothing));
        self.summary.notifications += 1;
        self.summary.malformed += 1;
    }

    /// The link was lost: whatever was pending ends here.
    pub fn link_lost(&mut self, at: Duration) {
        self.close(at, None);
        self.summary.link_losses += 1;
        self.down_since.get_or_insert(at);
    }

    /// The link is back: the time it was down is counted.
    pub fn link_restored(&mut self, at: Duration) {
        self.other(at);
        if let Some(since) = self.down_since.take() {
            self.summary.link_down += at.saturating_sub(since);
        }
    }

    /// The timer was paused: whatever was pending ends here.
    pub fn paused(&mut self, at: Duration) {
        self.close(at, None);
        self.summary.pauses += 1;
    }

    /// An event that does not change what the time is credited to (battery, link restored).
    pub fn other(&mut self, at: Duration) {
        let pending = self.pending.map(|(_, c)| c);
        self.close(at, pending);
    }

    /// A battery level report.
    pub fn battery(&mut self, at: Duration, percent: u8) {
        self.other(at);
        self.summary.battery = Some(percent);
    }

    /// Notifications stopped for `length` without a lost link being reported.
    pub fn stale_gap(&mut self, length: Duration) {
        self.summary.stale_gaps += 1;
        self.summary.stale += length;
    }

    /// An alert was held back by the per-minute ceiling.
    pub fn suppressed(&mut self) {
        self.summary.suppressed_alerts += 1;
    }

    /// An alert fired.
    pub fn alert(&mut self, alert: Alert) {
        let walk = match alert.kind {
            AlertKind::Walk => Some(true),
            AlertKind::Run => Some(false),
            _ => None,
        };
        if let (Some(walk), Some((since, walking))) = (walk, self.segment)
            && walk != walking
        {
            self.end_segment(alert.at, since, walking);
            if walk && let Some(rw) = &mut self.summary.run_walk {
                rw.walk_breaks += 1;
            }
            self.segment = Some((alert.at, walk));
        }
        self.summary.alerts.push(alert);
    }

    /// Adds the segment from `since` to `at` to the run/walk figures.
    fn end_segment(&mut self, at: Duration, since: Duration, walking: bool) {
        if let Some(rw) = &mut self.summary.run_walk {
            rw.end_segment(at, since, walking);
        }
    }

    /// The summary so far. The stretch after the last event is not counted.
    pub fn summary(&self) -> Summary {
        let mut s = self.summary.clone();
        if let Some(since) = self.down_since {
            // Still down at the end: down until then.
            s.link_down += s.duration.saturating_sub(since);
        }
        if let (Some((since, walking)), Some(rw)) = (self.segment, &mut s.run_walk) {
            rw.end_segment(s.duration, since, walking);
        }
        if s.trusted > 0 {
            s.mean_bpm = Some(self.bpm_sum as f64 / s.trusted as f64);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    fn zone_of(bpm: u16) -> Zone {
        crate::coach::zones::ZoneModel::percent_of_max(185).zone(bpm)
    }

    fn tally(max_gap: u64, cap: Option<u16>) -> Tally {
        Tally::new(secs(max_gap), ZoneModel::percent_of_max(185), cap)
    }

    #[test]
    fn a_run_walk_is_counted_by_its_cues() {
        let mut t = tally(5, Some(111)).with_run_walk(true);
        let cue = |at, kind| Alert::cue(secs(at), kind, (115, 115), 111, Duration::ZERO);
        for s in 0..=100 {
            trusted(&mut t, s, 110);
        }
        t.alert(cue(20, AlertKind::Walk));
        t.alert(cue(50, AlertKind::Run));
        t.alert(cue(60, AlertKind::Walk));
        // A second walk cue while walking (none is given, but a tally must not count it).
        t.alert(cue(70, AlertKind::Walk));
        t.alert(cue(90, AlertKind::Run));
        let rw = t.summary().run_walk;
        assert_eq!(
            rw,
            Some(RunWalkSummary {
                walk_breaks: 2,
                walk: secs(30 + 30),
                run: secs(20 + 10 + 10),
                longest_run: secs(20),
            })
        );
        assert_eq!(tally(5, Some(130)).summary().run_walk, None);
    }

    fn trusted(t: &mut Tally, at: u64, bpm: u16) {
        t.trusted(secs(at), bpm, zone_of(bpm), bpm >= 130);
    }

    #[test]
    fn each_reading_counts_until_the_next_one() {
        let mut t = tally(5, Some(130));
        trusted(&mut t, 0, 120); // Z2 for 2 s
        trusted(&mut t, 2, 135); // Z3 for 3 s
        trusted(&mut t, 5, 135); // last reading: counts nothing
        let s = t.summary();
        assert_eq!(s.time_in_zone[2], secs(2));
        assert_eq!(s.time_in_zone[3], secs(3));
        assert_eq!(s.counted, secs(5));
        assert_eq!(s.over_cap, secs(3));
        assert_eq!(s.duration, secs(5));
        assert_eq!(s.max_bpm, Some(135));
        assert_eq!(s.mean_bpm, Some(130.0));
    }

    #[test]
    fn a_gap_longer_than_max_gap_counts_nothing() {
        let mut t = tally(5, None);
        trusted(&mut t, 0, 120);
        trusted(&mut t, 5, 120); // 5 s: counted (at most max gap)
        trusted(&mut t, 11, 120); // 6 s: not counted
        trusted(&mut t, 12, 120);
        let s = t.summary();
        assert_eq!(s.counted, secs(6));
        assert_eq!(s.duration, secs(12));
    }

    #[test]
    fn untrusted_and_malformed_readings_count_no_time_and_no_bpm() {
        let mut t = tally(5, None);
        trusted(&mut t, 0, 120);
        t.rejected(secs(1), Rejection::NoContact);
        t.rejected(secs(2), Rejection::Implausible);
        t.malformed(secs(3));
        trusted(&mut t, 4, 124);
        trusted(&mut t, 5, 124);
        let s = t.summary();
        assert_eq!(s.counted, secs(2)); // 0-1 and 4-5
        assert_eq!(s.notifications, 6);
        assert_eq!(s.trusted, 3);
        assert_eq!(
            (
                s.rejected[Rejection::NoContact.index()],
                s.rejected[Rejection::Implausible.index()],
                s.malformed
            ),
            (1, 1, 1)
        );
        assert_eq!(s.max_bpm, Some(124));
    }

    #[test]
    fn a_lost_link_ends_the_stretch_and_battery_does_not() {
        let mut t = tally(5, None);
        trusted(&mut t, 0, 120);
        t.battery(secs(1), 80);
        trusted(&mut t, 2, 120);
        t.link_lost(secs(4));
        t.link_restored(secs(30));
        trusted(&mut t, 31, 120);
        trusted(&mut t, 32, 120);
        let s = t.summary();
        assert_eq!(s.counted, secs(5)); // 0-1, 1-2, 2-4, 31-32
        assert_eq!(s.link_losses, 1);
        assert_eq!(s.link_down, secs(26));
        // Lost again and not back by the end: down until the end.
        t.link_lost(secs(40));
        t.other(secs(50));
        assert_eq!(t.summary().link_down, secs(26 + 10));
        assert_eq!(s.battery, Some(80));
        let zone_sum: Duration = s.time_in_zone.iter().sum();
        assert_eq!(zone_sum, s.counted);
    }

    #[test]
    fn an_empty_tally_has_no_mean() {
        let s = tally(5, None).summary();
        assert_eq!(s.mean_bpm, None);
        assert_eq!(s.max_bpm, None);
    }

    #[test]
    fn a_sparse_stretch_is_counted_a_second_at_a_time_along_a_straight_line() {
        // %max 185: zone 2 is 111-129, zone 3 130-147. From 120 to 140 over 8 s the line is
        // 120, 122.5, 125, 127.5, 130, 132.5, 135, 137.5: rounded 120 123 125 128 | 130 ...
        let mut t = tally(30, Some(130));
        trusted(&mut t, 0, 120);
        trusted(&mut t, 8, 140);
        let s = t.summary();
        assert_eq!(s.time_in_zone[2], secs(4));
        assert_eq!(s.time_in_zone[3], secs(4));
        assert_eq!(s.over_cap, secs(4));
        // Holding 120 for the whole 8 s would have put all of it in zone 2.
    }

    #[test]
    fn a_stretch_that_is_not_whole_seconds_ends_with_a_short_step() {
        let mut t = tally(30, None);
        t.trusted(Duration::from_millis(0), 128, zone_of(128), false);
        t.trusted(Duration::from_millis(2500), 131, zone_of(131), false);
        let s = t.summary();
        // 128 (1 s), 129.2 -> 129 (1 s), 130.4 -> 130 (0.5 s)
        assert_eq!(s.time_in_zone[2], secs(2));
        assert_eq!(s.time_in_zone[3], Duration::from_millis(500));
        assert_eq!(s.counted, Duration::from_millis(2500));
    }

    #[test]
    fn a_paused_timer_counts_nothing_until_the_next_reading() {
        let mut t = tally(30, None);
        trusted(&mut t, 0, 120);
        trusted(&mut t, 5, 120);
        t.paused(secs(6));
        t.other(secs(20)); // resumed
        trusted(&mut t, 25, 120);
        trusted(&mut t, 26, 120);
        let s = t.summary();
        assert_eq!(s.counted, secs(7)); // 0-5, 5-6, 25-26
        assert_eq!(s.pauses, 1);
        assert_eq!(s.link_losses, 0);
        assert_eq!(s.stale_gaps, 0);
    }
}
