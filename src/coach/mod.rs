//! The functional core: from one [`Event`] to one [`Update`], synchronously.
//!
//! ```text
//!  Event ──▶ measurement::parse ──▶ quality::assess ──▶ zones ──▶ alerts::CapGuard ──▶ Update
//!                  │ malformed            │ rejected                      │
//!                  └──────────────────────┴─────────── summary::Tally ◀───┘
//! ```
//!
//! Nothing here does I/O, awaits, or reads a clock: time arrives with each event. That makes
//! every rule testable with plain values, and it is why a replay is indistinguishable from the
//! live run it recorded. Start reading at [`Coach::step`].

pub mod alerts;
pub mod answer;
mod ceiling;
pub mod creep;
pub mod measurement;
pub mod plan;
pub mod quality;
pub mod run_walk;
pub mod summary;
pub mod trend;
pub mod zones;

use answer::Answer;
use ceiling::Ceiling;
use plan::{Check, CheckOutcome, Question, RunPlan, RunWalkWhy, Start, TimeCue, TimeCues};
use run_walk::RunWalk;
use std::collections::VecDeque;
use std::time::Duration;

use crate::checkins::rules::Moving;

use crate::event::{Event, EventKind};
use alerts::{Alert, AlertKind, CapGuard, CapSettings};
use creep::{CreepSettings, CreepWatch};
use measurement::{HeartRateMeasurement, MeasurementError};
use quality::{QualityGate, QualitySettings, Rejection, Reliability};
use summary::{Summary, Tally};
use zones::{Zone, ZoneModel};

/// Longest time between two readings that still counts as continuous.
///
/// Straps notify about once a second; 5 s tolerates a few lost packets but not a pause, a lost
/// link or a strap taken off. Used for time in zone and for the cap's dwell and clear streaks.
pub const DEFAULT_MAX_GAP: Duration = Duration::from_secs(5);

/// Everything the coach needs to know about the runner and today's run.
#[derive(Debug, Clone)]
pub struct CoachConfig {
    /// The runner's zones.
    pub zones: ZoneModel,
    /// The sore-day cap, if today is a sore day.
    pub cap: Option<CapSettings>,
    /// See [`DEFAULT_MAX_GAP`].
    pub max_gap: Duration,
    /// The data-quality rules.
    pub quality: QualitySettings,
    /// The drift-creep watch (only with a cap); `None` turns it off.
    pub creep: Option<CreepSettings>,
    /// At most this many alerts in any 60 seconds.
    pub alerts_per_minute: usize,
    /// Run/walk, the plan's time and the warm-up check.
    pub plan: RunPlan,
}

/// At most two alerts a minute: enough for "ease off" and a reminder, not enough to nag.
pub const DEFAULT_ALERTS_PER_MINUTE: usize = 2;

impl CoachConfig {
    /// %max zones for `max_hr`, no cap, default gap.
    pub fn new(max_hr: u16) -> Self {
        Self::from_zones(ZoneModel::percent_of_max(max_hr))
    }

    /// These zones, no cap, default gap and quality rules.
    pub fn from_zones(zones: ZoneModel) -> Self {
        let quality = QualitySettings::for_max_hr(zones.max_hr());
        CoachConfig {
            zones,
            cap: None,
            max_gap: DEFAULT_MAX_GAP,
            quality,
            creep: Some(CreepSettings::default()),
            alerts_per_minute: DEFAULT_ALERTS_PER_MINUTE,
            plan: RunPlan::default(),
        }
    }

    /// The cap in bpm that `cap` sets under these zones: never above the top of zone 2 of
    /// zones given as bounds (`--zones`, a watch's zones), so that the cap is an easy effort
    /// in the zones the runner sees.
    pub fn cap_bpm_for(&self, cap: &CapSettings) -> u16 {
        let p = cap.cap.unwrap_or(self.zones.easy_cap());
        let bpm = self.zones.bpm_at(p);
        self.zones.zone2_top().map_or(bpm, |top| bpm.min(top))
    }

    /// Whether the cap was held at the top of the zones' zone 2 (see [`Self::cap_bpm_for`]).
    pub fn cap_held_by_zones(&self) -> bool {
        self.cap.as_ref().is_some_and(|cap| {
            let p = cap.cap.unwrap_or(self.zones.easy_cap());
            self.cap_bpm_for(cap) < self.zones.bpm_at(p)
        })
    }

    /// The cap as a percentage of the zone basis, default resolved (and, when held at the
    /// top of zone 2, that bpm's percentage).
    pub fn cap_percent(&self) -> Option<zones::Percent> {
        let cap = self.cap.as_ref()?;
        let p = cap.cap.unwrap_or(self.zones.easy_cap());
        if self.cap_held_by_zones() {
            return Some(
                self.zones
                    .percent_at(f64::from(self.cap_bpm_for(cap)) + 0.49),
            );
        }
        Some(p)
    }

    /// The same configuration with a sore-day cap.
    pub fn with_cap(mut self, cap: CapSettings) -> Self {
        self.cap = Some(cap);
        self
    }
}

/// How a well-formed measurement was judged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reading {
    /// Trusted: coached from.
    Trusted {
        /// The bpm coached from (derived from the good beats when some were artifacts).
        bpm: u16,
        /// Its zone.
        zone: Zone,
        /// Its percentage of max HR.
        percent_of_max: f64,
        /// Whether it is at or above the cap (false without a cap).
        over_cap: bool,
    },
    /// Not trusted, and why.
    Rejected(Rejection),
}

/// What one event became.
#[derive(Debug, Clone, PartialEq)]
pub enum UpdateKind {
    /// A notification that parsed.
    Sample {
        /// The parsed notification.
        measurement: HeartRateMeasurement,
        /// The coach's judgement of it.
        reading: Reading,
    },
    /// A notification that did not parse; the session goes on.
    Malformed(MeasurementError),
    /// The strap's battery level in percent.
    Battery(u8),
    /// The link to the strap was lost.
    LinkLost,
    /// The link is back.
    LinkRestored,
    /// The runner stopped the timer.
    Paused,
    /// The timer runs again.
    Resumed,
    /// The runner answered; what the run is now.
    Answered(Answered),
}

/// An answer the coach took, and what it made of the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answered {
    /// The answer.
    pub answer: Answer,
    /// The cap after it (lower after "same").
    pub cap_bpm: Option<u16>,
    /// The plan's time after it (shorter after "same").
    pub time: Option<Duration>,
    /// Whether the answer changed the run (a second "same" does not tighten it again).
    pub acted: bool,
}

/// Something about the data, not the heart rate, worth telling the runner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// Too many readings are rejected: run by feel. Carries the most common reason.
    Unreliable(Rejection),
    /// Readings are trustworthy again.
    Reliable,
    /// No notification for this long, with no lost link reported.
    StaleGap(Duration),
}

impl Notice {
    /// Stable name for JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Notice::Unreliable(_) => "unreliable",
            Notice::Reliable => "reliable",
            Notice::StaleGap(_) => "stale",
        }
    }
}

/// What the outputs receive for each event.
#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    /// Time of the event since the session started.
    pub at: Duration,
    /// What the event became.
    pub kind: UpdateKind,
    /// The alert this event fired, if any.
    pub alert: Option<Alert>,
    /// Notices this event raised (usually none).
    pub notices: Vec<Notice>,
    /// Total time over the cap so far.
    pub over_cap: Duration,
    /// Whether the strap is connected (false between link lost and link restored).
    pub link_up: bool,
    /// Whether heart rate is currently reliable enough to coach from.
    pub reliable: bool,
    /// The question the coach asks now, if any.
    pub question: Option<Question>,
    /// The plan, said with the first update of the run.
    pub start: Option<Start>,
}

/// The coach: quality rules, zones, the cap and the running summary for one session.
#[derive(Debug, Clone)]
pub struct Coach {
    config: CoachConfig,
    gate: QualityGate,
    guard: Option<CapGuard>,
    creep: Option<CreepWatch>,
    /// The alerts given in the last minute.
    ceiling: Ceiling,
    /// A cap alert the ceiling held back, given as soon as the ceiling allows if it still holds.
    held: Option<Alert>,
    tally: Tally,
    link_up: bool,
    /// Since when the timer is paused: from a pause to the next resume or reading. A gap
    /// here is no stale gap, and no time of the plan.
    paused: Option<Duration>,
    /// Time of the last event, to notice stale gaps.
    last_event: Option<Duration>,
    /// What the runner said during the run, with when.
    answers: Vec<(Duration, Answer)>,
    /// Run/walk, when on, and why.
    run_walk: Option<(RunWalk, RunWalkWhy)>,
    /// The warm-up check.
    check: Check,
    /// The plan's time now (a "same" shortens it).
    time: Option<Duration>,
    /// The time cues given.
    time_cues: TimeCues,
    /// Time spent with the timer paused, pauses ended so far.
    paused_for: Duration,
    /// Cues of the plan waiting for an update without an alert.
    waiting: VecDeque<Alert>,
    /// The last trusted reading, for the cues of the plan on a day without a cap.
    last_bpm: Option<u16>,
}

impl Coach {
    /// A coach for one session.
    pub fn new(config: CoachConfig) -> Self {
        let guard = config.cap.clone().map(|cap| {
            let cap_bpm = config.cap_bpm_for(&cap);
            CapGuard::new(cap, cap_bpm, config.max_gap)
        });
        let cap_bpm = guard.as_ref().map(CapGuard::cap_bpm);
        let run_walk = plan::run_walk(&config.plan, cap_bpm, config.zones.max_hr())
            .zip(config.cap.as_ref().zip(cap_bpm))
            .map(|(why, (cap, bpm))| (RunWalk::new(bpm, cap.dwell, config.max_gap), why));
        // Under run/walk, heart rate climbs in every run segment by design: no creep warnings.
        let creep = match (&guard, &config.creep, &run_walk) {
            (Some(_), Some(settings), None) => Some(CreepWatch::new(settings.clone())),
            _ => None,
        };
        let tally = Tally::new(config.max_gap, config.zones.clone(), cap_bpm)
            .with_run_walk(run_walk.is_some());
        let check = Check::new(config.plan.check_at.filter(|_| guard.is_some()));
        let time = config.plan.time;
        Coach {
            gate: QualityGate::new(config.quality.clone(), config.max_gap),
            ceiling: Ceiling::new(config.alerts_per_minute),
            config,
            guard,
            creep,
            held: None,
            tally,
            link_up: true,
            paused: None,
            last_event: None,
            answers: Vec::new(),
            run_walk,
            check,
            time,
            time_cues: TimeCues::default(),
            paused_for: Duration::ZERO,
            waiting: VecDeque::new(),
            last_bpm: None,
        }
    }

    /// Why the run is a run/walk, when it is.
    pub fn run_walk(&self) -> Option<RunWalkWhy> {
        self.run_walk.as_ref().map(|(_, why)| *why)
    }

    /// What the plan is, as said at the start.
    pub fn start(&self) -> Start {
        Start {
            cap_bpm: self.cap_bpm(),
            time: self.time,
            out_and_back: self.config.plan.out_and_back && self.time.is_some(),
            run_walk: self.run_walk(),
            check_at: match self.check {
                Check::Waiting { at } => at,
                _ => None,
            },
        }
    }

    /// The plan's time, when there is one.
    pub fn plan_time(&self) -> Option<Duration> {
        self.time
    }

    /// The configuration this coach runs with.
    pub fn config(&self) -> &CoachConfig {
        &self.config
    }

    /// The cap in bpm, when there is one.
    pub fn cap_bpm(&self) -> Option<u16> {
        self.guard.as_ref().map(CapGuard::cap_bpm)
    }

    /// Takes one event and says what it means.
    pub fn step(&mut self, event: Event) -> Update {
        let at = event.at;
        let mut alert = None;
        let mut notices = Vec::new();
        if let (Some(last), EventKind::Notification(_)) = (self.last_event, &event.kind) {
            let gap = at.saturating_sub(last);
            if self.link_up && self.paused.is_none() && gap > self.config.max_gap {
                notices.push(Notice::StaleGap(gap));
                self.tally.stale_gap(gap);
            }
        }
        let first = self.last_event.is_none();
        self.last_event = Some(at);
        let kind = match event.kind {
            EventKind::Notification(bytes) => match HeartRateMeasurement::parse(&bytes) {
                Ok(measurement) => {
                    let reading = self.judge(at, &measurement, &mut alert, &mut notices);
                    UpdateKind::Sample {
                        measurement,
                        reading,
                    }
                }
                Err(e) => {
                    self.interrupt();
                    self.tally.malformed(at);
                    UpdateKind::Malformed(e)
                }
            },
            EventKind::Battery(p) => {
                self.tally.battery(at, p);
                UpdateKind::Battery(p)
            }
            EventKind::LinkLost => {
                self.link_up = false;
                self.break_off();
                self.tally.link_lost(at);
                UpdateKind::LinkLost
            }
            EventKind::Answer(answer) => UpdateKind::Answered(self.answer(at, answer)),
            EventKind::Paused => {
                self.paused.get_or_insert(at);
                self.break_off();
                self.tally.paused(at);
                UpdateKind::Paused
            }
            EventKind::Resumed => {
                self.resume(at);
                self.tally.other(at);
                UpdateKind::Resumed
            }
            EventKind::LinkRestored => {
                self.link_up = true;
                self.tally.link_restored(at);
                UpdateKind::LinkRestored
            }
        };
        let alert = self.deliver(at, alert, &kind);
        let start = first.then(|| self.start()).filter(Start::says_something);
        let question = self.follow_plan(at);
        let alert = alert.or_else(|| {
            let cue = self.waiting.pop_front()?;
            self.tally.alert(cue);
            Some(cue)
        });
        Update {
            at,
            kind,
            alert,
            notices,
            over_cap: self.tally.over_cap(),
            link_up: self.link_up,
            reliable: self.gate.reliability() == Reliability::Reliable,
            question,
            start,
        }
    }

    /// The plan's cues due at `at` (queued for the first update without an alert), and the
    /// question asked now, if any. Nothing after "stop running".
    fn follow_plan(&mut self, at: Duration) -> Option<Question> {
        if self.stopped() {
            return None;
        }
        let moving = at.saturating_sub(self.paused_for);
        if let Some(cue) = plan::time_cue(&self.config.plan, self.time, moving, &mut self.time_cues)
        {
            let kind = match cue {
                TimeCue::Halfway => AlertKind::Halfway,
                TimeCue::TimeUp => AlertKind::TimeUp,
            };
            let cue = self.plan_cue(at, kind);
            self.waiting.push_back(cue);
        }
        if self.paused.is_some() {
            return None;
        }
        self.check.tick(moving)
    }

    /// A cue of the plan at `at`, with the heart rate of the moment.
    fn plan_cue(&self, at: Duration, kind: AlertKind) -> Alert {
        let smoothed = (self.guard.as_ref())
            .and_then(CapGuard::smoothed)
            .or(self.last_bpm);
        let now = smoothed.unwrap_or(0);
        Alert {
            plan_time: self.time,
            ..Alert::cue(
                at,
                kind,
                (now, now),
                self.cap_bpm().unwrap_or(0),
                Duration::ZERO,
            )
        }
    }

    /// Takes the runner's answer at `at` (see [`plan`]): "eased" carries on; "same" carries
    /// on one step tighter ([`crate::checkins::rules::STEP_OF_MAX`] % of max HR off the cap)
    /// and shorter ([`plan::shorter`]); "worse" is "stop running" and the end of every cue.
    fn answer(&mut self, at: Duration, answer: Answer) -> Answered {
        self.answers.push((at, answer));
        let Answer::Soreness(moving) = answer;
        let stopped = self.stopped();
        let first = !matches!(self.check, Check::Done(CheckOutcome::Answered(_)));
        let acted = match moving {
            _ if stopped => false,
            Moving::Worse => {
                // Nothing said before it and held back is said after it.
                self.waiting.clear();
                self.held = None;
                let stop = self.plan_cue(at, AlertKind::Stop);
                self.waiting.push_back(stop);
                true
            }
            Moving::Same if first => {
                self.tighten(at);
                true
            }
            Moving::Easing | Moving::Same => false,
        };
        if first || moving == Moving::Worse {
            self.check.answer(moving);
        }
        Answered {
            answer,
            cap_bpm: self.cap_bpm(),
            time: self.time,
            acted,
        }
    }

    /// Whether "stop running" was said (the warm-up check was answered "worse"): no cue after
    /// it.
    fn stopped(&self) -> bool {
        matches!(
            self.check,
            Check::Done(CheckOutcome::Answered(Moving::Worse))
        )
    }

    /// One step tighter and shorter, after "same" at `at`.
    fn tighten(&mut self, at: Duration) {
        let moving = at.saturating_sub(self.paused_for);
        self.time = Some(plan::shorter(self.time, moving));
        let Some(cap) = self.cap_bpm() else {
            return;
        };
        let max_hr = self.config.zones.max_hr();
        let step = (f64::from(max_hr) * crate::checkins::rules::STEP_OF_MAX / 100.0).round();
        let lower = cap.saturating_sub(step as u16);
        if let Some(g) = &mut self.guard {
            g.set_cap(lower);
        }
        self.tally.set_cap(lower);
        match &mut self.run_walk {
            Some((rw, _)) => rw.set_cap(lower),
            None => {
                if let (Some(why), Some(settings)) = (
                    plan::run_walk(&self.config.plan, Some(lower), max_hr),
                    &self.config.cap,
                ) {
                    self.run_walk = Some((
                        RunWalk::new(lower, settings.dwell, self.config.max_gap),
                        why,
                    ));
                    self.creep = None;
                    self.tally.start_run_walk(at);
                }
            }
        }
    }

    /// The timer runs again at `at`: the pause's time is left out of the plan's.
    fn resume(&mut self, at: Duration) {
        if let Some(since) = self.paused.take() {
            self.paused_for += at.saturating_sub(since);
        }
    }

    /// No heart rate for a while (a lost link, a paused timer): streaks and trends start over.
    fn break_off(&mut self) {
        if let Some(g) = &mut self.guard {
            g.link_lost();
        }
        if let Some(c) = &mut self.creep {
            c.restart();
        }
        if let Some((rw, _)) = &mut self.run_walk {
            rw.interrupt();
        }
        self.gate.link_lost();
    }

    fn judge(
        &mut self,
        at: Duration,
        m: &HeartRateMeasurement,
        alert: &mut Option<Alert>,
        notices: &mut Vec<Notice>,
    ) -> Reading {
        let (verdict, change) = self.gate.judge(at, m);
        match change {
            Some(Reliability::Unreliable(reason)) => notices.push(Notice::Unreliable(reason)),
            Some(Reliability::Reliable) => notices.push(Notice::Reliable),
            None => {}
        }
        // A notification proves the link is up (and the timer running) even if no "restored"
        // or "resumed" event came.
        self.link_up = true;
        self.resume(at);
        let bpm = match verdict {
            Ok(bpm) => bpm,
            Err(reason) => {
                self.interrupt();
                self.tally.rejected(at, reason);
                return Reading::Rejected(reason);
            }
        };
        self.last_bpm = Some(bpm);
        let zone = self.config.zones.zone(bpm);
        let cap = self.cap_bpm();
        let over_cap = cap.is_some_and(|cap| bpm >= cap);
        if self.gate.reliability() == Reliability::Reliable {
            if let Some(g) = &mut self.guard {
                *alert = g.observe(at, bpm);
                if let Some((rw, _)) = &mut self.run_walk {
                    // Run/walk speaks instead of the cap's cues; the guard still keeps the
                    // smoothed heart rate.
                    *alert = rw.observe(at, bpm, g.smoothed().unwrap_or(bpm));
                }
                if alert.is_some_and(|a| a.kind == AlertKind::BackUnder)
                    && let Some(c) = &mut self.creep
                {
                    c.rearm();
                }
            }
            if let (Some(c), Some(g), Some(cap)) = (&mut self.creep, &self.guard, cap) {
                let warning = c.observe(at, bpm, cap);
                if alert.is_none() && !g.is_alerting() {
                    *alert = warning.map(|w| w.alert(at, bpm, cap));
                }
            }
            if self.stopped() {
                // "Stop running. Walk home." was the last word.
                *alert = None;
            }
        } else {
            // Heart rate as a whole is unreliable: hold every alert back, and draw no trend
            // through it.
            self.interrupt();
            if let Some(c) = &mut self.creep {
                c.interrupt();
            }
        }
        self.tally.trusted(at, bpm, zone, over_cap);
        Reading::Trusted {
            bpm,
            zone,
            percent_of_max: self.config.zones.percent_of_max_hr(bpm),
            over_cap,
        }
    }

    /// An untrusted reading or a lost link breaks the cap's dwell streak. (The creep trend
    /// survives single rejected readings: its 30-second medians are built to ignore them.)
    fn interrupt(&mut self) {
        if let Some(g) = &mut self.guard {
            g.interrupt();
        }
        if let Some((rw, _)) = &mut self.run_walk {
            rw.interrupt();
        }
    }

    /// The summary of everything seen so far.
    pub fn summary(&self) -> Summary {
        let mut s = self.tally.summary();
        s.warm_up_check = self.check.outcome();
        s
    }

    /// The session time an answer heard now is stamped with: that of the last event (the
    /// session's clock: the coach reads none).
    pub fn now(&self) -> Duration {
        self.last_event.unwrap_or(Duration::ZERO)
    }

    /// The runner's answers so far, in the order they came.
    pub fn answers(&self) -> &[(Duration, Answer)] {
        &self.answers
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coach::alerts::AlertKind;
    use crate::coach::measurement::Contact;

    fn hrm(bpm: u16, contact: Contact) -> Vec<u8> {
        HeartRateMeasurement {
            bpm,
            contact,
            energy_kj: None,
            rr: vec![],
        }
        .encode()
    }

    fn run(coach: &mut Coach, events: Vec<Event>) -> Vec<Update> {
        events.into_iter().map(|e| coach.step(e)).collect()
    }

    fn sore_coach() -> Coach {
        Coach::new(CoachConfig::new(185).with_cap(CapSettings::default()))
    }

    fn at(s: u64, kind: EventKind) -> Event {
        Event {
            at: Duration::from_secs(s),
            kind,
        }
    }

    #[test]
    fn places_each_reading_in_its_zone() {
        let mut c = Coach::new(CoachConfig::new(185));
        let u = c.step(Event::notification(
            Duration::ZERO,
            hrm(125, Contact::Detected),
        ));
        let trusted = match u.kind {
            UpdateKind::Sample {
                reading: Reading::Trusted { zone, over_cap, .. },
                ..
            } => Some((zone.number(), over_cap)),
            _ => None,
        };
        // Zone 2, and not over any cap: there is none without --sore.
        assert_eq!(trusted, Some((2, false)));
    }

    #[test]
    fn no_contact_readings_over_the_cap_never_alert() {
        let mut c = sore_coach();
        let events = (0..120)
            .map(|s| Event::notification(Duration::from_secs(s), hrm(170, Contact::NotDetected)))
            .collect();
        let updates = run(&mut c, events);
        assert!(updates.iter().all(|u| u.alert.is_none()));
        let s = c.summary();
        assert_eq!(s.rejected[Rejection::NoContact.index()], 120);
        assert_eq!(s.counted, Duration::ZERO);
    }

    #[test]
    fn a_lost_link_holds_alerts_and_restarts_the_dwell() {
        let mut c = sore_coach();
        let mut events: Vec<Event> = (0..15)
            .map(|s| Event::notification(Duration::from_secs(s), hrm(140, Contact::Detected)))
            .collect();
        events.push(at(15, EventKind::LinkLost));
        events.push(at(16, EventKind::LinkRestored));
        events.extend(
            (16..40)
                .map(|s| Event::notification(Duration::from_secs(s), hrm(140, Contact::Detected))),
        );
        let updates = run(&mut c, events);
        let alerts: Vec<_> = updates.iter().filter_map(|u| u.alert).collect();
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].kind, AlertKind::OverCap);
        assert_eq!(alerts[0].at, Duration::from_secs(36));
        assert!(!updates[15].link_up);
        assert!(updates[16].link_up);
    }

    #[test]
    fn a_held_alert_waits_while_heart_rate_is_unreliable() {
        // One alert a minute, a reminder every 30 s: the reminder due at 50 s is held until
        // the ceiling frees at 80 s.
        let mut config = CoachConfig::new(185).with_cap(CapSettings {
            remind_every: Duration::from_secs(30),
            ..CapSettings::default()
        });
        config.alerts_per_minute = 1;
        let mut c = Coach::new(config);
        // Meanwhile the strap loses contact (51-85 s), then gets every other reading (86 s on):
        // heart rate stays "unreliable", though half the readings are trusted and over the cap.
        let events = (0..110)
            .map(|s| {
                let lost = (51..86).contains(&s) || (s >= 86 && s % 2 == 0);
                let contact = if lost {
                    Contact::NotDetected
                } else {
                    Contact::Detected
                };
                Event::notification(Duration::from_secs(s), hrm(140, contact))
            })
            .collect();
        let updates = run(&mut c, events);
        assert!(updates[80..].iter().all(|u| !u.reliable));
        let given: Vec<_> = updates
            .iter()
            .filter_map(|u| u.alert.map(|a| (a.at.as_secs(), a.kind)))
            .collect();
        // Only the first: nothing while heart rate is unreliable, ceiling or not.
        assert_eq!(given, [(20, AlertKind::OverCap)]);
    }

    fn answer(s: u64, moving: Moving) -> Event {
        at(s, EventKind::Answer(Answer::Soreness(moving)))
    }

    fn planned(time_s: u64) -> Coach {
        let mut config = CoachConfig::new(185).with_cap(CapSettings::default());
        config.plan = RunPlan {
            time: Some(Duration::from_secs(time_s)),
            check_at: Some(Duration::from_secs(60)),
            ..RunPlan::default()
        };
        Coach::new(config)
    }

    #[test]
    fn stop_is_the_last_word() {
        let mut c = planned(600);
        let mut events: Vec<Event> = (0..100)
            .map(|s| Event::notification(Duration::from_secs(s), hrm(120, Contact::Detected)))
            .collect();
        events.push(answer(99, Moving::Worse));
        // Over the cap for ten minutes after, past the plan's time: nothing more is said.
        events.extend(
            (100..800)
                .map(|s| Event::notification(Duration::from_secs(s), hrm(150, Contact::Detected))),
        );
        let updates = run(&mut c, events);
        let said: Vec<_> = (updates.iter())
            .filter_map(|u| u.alert.map(|a| (a.at.as_secs(), a.kind)))
            .collect();
        assert_eq!(said, [(99, AlertKind::Stop)]);
        assert_eq!(updates.iter().filter(|u| u.question.is_some()).count(), 1);
        assert_eq!(
            c.summary().warm_up_check,
            Some(CheckOutcome::Answered(Moving::Worse))
        );
    }

    #[test]
    fn the_plans_time_leaves_a_paused_timer_out() {
        let mut c = planned(300);
        let mut events: Vec<Event> = (0..100)
            .map(|s| Event::notification(Duration::from_secs(s), hrm(120, Contact::Detected)))
            .collect();
        events.push(at(100, EventKind::Paused));
        // A battery reading during the pause does not end it.
        events.push(at(130, EventKind::Battery(80)));
        events.push(at(160, EventKind::Resumed));
        events.extend(
            (160..400)
                .map(|s| Event::notification(Duration::from_secs(s), hrm(120, Contact::Detected))),
        );
        let updates = run(&mut c, events);
        let time_up = (updates.iter())
            .filter_map(|u| u.alert)
            .find(|a| a.kind == AlertKind::TimeUp);
        // 300 s of running: 100 before the pause, 200 after it from 160.
        assert_eq!(time_up.map(|a| a.at), Some(Duration::from_secs(360)));
    }

    #[test]
    fn same_tightens_once_and_can_make_a_run_walk() {
        let mut c = planned(35 * 60);
        let updates = run(
            &mut c,
            vec![
                Event::notification(Duration::ZERO, hrm(120, Contact::Detected)),
                answer(0, Moving::Same),
                answer(0, Moving::Same),
            ],
        );
        let acted: Vec<_> = (updates.iter())
            .filter_map(|u| match u.kind {
                UpdateKind::Answered(a) => Some((a.acted, a.cap_bpm)),
                _ => None,
            })
            .collect();
        // 130 less 9 bpm (5 % of 185): 121, over 65 % of 185 (120.25): not yet a run/walk.
        assert_eq!(acted, [(true, Some(121)), (false, Some(121))]);
        assert_eq!(c.run_walk(), None);
        let mut low = Coach::new(CoachConfig::new(185).with_cap(CapSettings {
            cap: Some(zones::Percent::whole(65)),
            ..CapSettings::default()
        }));
        assert_eq!(low.run_walk(), Some(RunWalkWhy::LowCap));
        low.step(answer(0, Moving::Same));
        assert_eq!(low.cap_bpm(), Some(111));
    }

    #[test]
    fn malformed_payloads_are_counted_and_the_session_goes_on() {
        let mut c = sore_coach();
        let updates = run(
            &mut c,
            vec![
                Event::notification(Duration::ZERO, hrm(120, Contact::Detected)),
                Event::notification(Duration::from_secs(1), vec![0x10, 0x80, 0x00]),
                Event::notification(Duration::from_secs(2), hrm(121, Contact::Detected)),
            ],
        );
        assert_eq!(
            updates[1].kind,
            UpdateKind::Malformed(MeasurementError::DanglingRrByte)
        );
        assert_eq!(c.summary().malformed, 1);
        assert_eq!(c.summary().trusted, 2);
    }
}
