//! The words hrcoach says, as pure functions of updates and summaries.
//!
//! Plain words first: a runner glancing at a phone strapped to an arm, or hearing a line read
//! out in headphones, should understand each line without knowing what a "zone" or a "cap"
//! is in detail.

use std::fmt::Write as _;
use std::time::Duration;

use crate::checkins::rules::Moving;
use crate::coach::alerts::{Alert, AlertKind, Grade};
use crate::coach::answer::Answer;
use crate::coach::plan::{CheckOutcome, Question, RunWalkWhy, Start};
use crate::coach::quality::Rejection;
use crate::coach::summary::Summary;
use crate::coach::zones::{Zone, ZoneBasis, ZoneModel};
use crate::coach::{Answered, CoachConfig, Notice, Reading, Update, UpdateKind};

/// What a zone model's percentages are of, in words: "max HR", "HRR" (heart-rate reserve)
/// or "LTHR".
pub fn basis_label(basis: ZoneBasis) -> &'static str {
    match basis {
        ZoneBasis::Max => "max HR",
        ZoneBasis::Hrr { .. } => "HRR",
        ZoneBasis::Lthr { .. } => "LTHR",
    }
}

/// What the zones are: "% of max HR", or "own" for custom bounds.
pub fn zones_label(zones: &ZoneModel) -> String {
    if zones.is_custom() {
        "own bounds".to_owned()
    } else {
        format!("% of {}", basis_label(zones.basis()))
    }
}

/// `m:ss`, or `h:mm:ss` from an hour on. Rounds down to the second.
pub fn clock(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// What an alert says, in plain words, with the numbers behind it. The cap is said as what it
/// allows ("under 130"): a reading at the cap is over it. Cues over the cap are graded by how
/// far over and for how long ([`Alert::grade`]).
pub fn alert_text(a: &Alert) -> String {
    let (s, cap, t) = (a.smoothed_bpm, a.cap_bpm, clock(a.over_for));
    match (a.kind, a.grade()) {
        (AlertKind::OverCap, Grade::Slight) => format!(
            "Just over your sore-day cap: {s} bpm for {t} (under {cap} today). Ease off a touch."
        ),
        (AlertKind::OverCap, Grade::Clear) => format!(
            "Over your sore-day cap: {s} bpm for {t} (under {cap} today). Ease off: shorter steps, easier breathing."
        ),
        (AlertKind::OverCap, Grade::Far) => format!(
            "Well over your sore-day cap: {s} bpm for {t} (under {cap} today). Slow right down: walk if you need to."
        ),
        (AlertKind::Reminder, Grade::Slight) => format!(
            "Still just over the cap: {s} bpm, {t} over in this stretch (under {cap} today). Ease off a touch more."
        ),
        (AlertKind::Reminder, Grade::Clear) => format!(
            "Still over the cap: {s} bpm, {t} over in this stretch (under {cap} today). Slow down: shorter, slower steps."
        ),
        (AlertKind::Reminder, Grade::Far) => format!(
            "Still over the cap: {s} bpm, {t} over in this stretch (under {cap} today). Slow to a walk for a minute."
        ),
        (AlertKind::BackUnder, _) => format!(
            "Back under the cap: {s} bpm (under {cap} today), after {t} over in this stretch. Keep it this easy."
        ),
        (AlertKind::Creep, _) => format!(
            "Heart rate creeping up: {s} bpm, rising {:.1} bpm a minute. At this rate you reach the cap ({cap}) in about {} min: ease off a touch now.",
            a.slope_bpm_per_min.unwrap_or_default(),
            a.eta.map_or(0, |e| e.as_secs().div_ceil(60))
        ),
        (AlertKind::Walk, _) => {
            format!("Walk. ({s} bpm for {t}, under {cap} today: walk until the cue to run.)")
        }
        (AlertKind::Run, _) => {
            format!("Run again, gently. ({s} bpm after {t} walking, under {cap} today.)")
        }
        (AlertKind::TimeUp, _) => format!(
            "{}: that's today's run. Walk to cool down.",
            minutes(a.plan_time.unwrap_or_default())
        ),
        (AlertKind::Halfway, _) => format!(
            "Turn around now: half of today's {}.",
            minutes(a.plan_time.unwrap_or_default())
        ),
        (AlertKind::Stop, _) => "Stop running. Walk home. (Soreness that gets worse as you warm up is a warning sign, not ordinary soreness: rest or cross-train until it is gone.)".to_owned(),
    }
}

/// A whole number of minutes in words: "35 minutes", "1 minute" (seconds rounded to the
/// nearest minute).
pub fn minutes(d: Duration) -> String {
    let m = (d.as_secs() + 30) / 60;
    format!("{m} minute{}", if m == 1 { "" } else { "s" })
}

/// What the plan is, said at the start of the run: one line each for the time, run/walk and
/// the warm-up check.
pub fn start_text(s: &Start) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(time) = s.time {
        let mut t = format!("{} at most today.", minutes(time));
        if s.out_and_back {
            let _ = write!(t, " Turn around at {}.", clock(time / 2));
        }
        lines.push(t);
    }
    match (s.run_walk, s.cap_bpm) {
        (Some(RunWalkWhy::LowCap), Some(cap)) => lines.push(format!(
            "Run/walk today: under {cap} is too low to run under for long. Walk when you hear \"Walk\", run again, gently, when you hear \"Run\"."
        )),
        (Some(_), _) => lines.push(
            "Run/walk: walk when you hear \"Walk\", run again, gently, when you hear \"Run\"."
                .to_owned(),
        ),
        (None, _) => {}
    }
    if let Some(at) = s.check_at {
        lines.push(format!(
            "At {} I will ask whether the soreness has eased as you warmed up.",
            clock(at)
        ));
    }
    lines
}

/// What the warm-up check asks, on the screen (with its keys).
pub fn question_text(q: &Question) -> String {
    let again = if q.attempt > 1 { " (asked again)" } else { "" };
    format!(
        "Has the soreness eased?{again} Now that you are warm: press e (eased), s (same) or w (worse), then Enter."
    )
}

/// What the warm-up check asks, for the ear.
pub const QUESTION_SPOKEN: &str = "Has the soreness eased?";

/// What the coach makes of an answer.
pub fn answer_text(a: &Answered) -> String {
    let Answer::Soreness(moving) = a.answer;
    match moving {
        _ if !a.acted && moving != Moving::Easing => format!(
            "Answer: {} (already taken into account).",
            a.answer.as_str()
        ),
        Moving::Easing => "Answer: eased. Ordinary soreness: carry on as planned.".to_owned(),
        Moving::Same => {
            let mut t = "Answer: same. Carry on one step easier".to_owned();
            if let Some(cap) = a.cap_bpm {
                let _ = write!(t, ": under {cap} now");
            }
            if let Some(time) = a.time {
                let _ = write!(t, ", and {} in all", minutes(time));
            }
            t.push('.');
            t
        }
        Moving::Worse => "Answer: worse.".to_owned(),
    }
}

/// What a notice says.
pub fn notice_text(n: &Notice) -> String {
    match n {
        Notice::Unreliable(reason) => format!(
            "Heart rate unreliable ({reason}): run by feel, effort 5-6 of 10. Cap alerts are held."
        ),
        Notice::Reliable => "Heart rate reliable again.".to_owned(),
        Notice::StaleGap(gap) => format!(
            "No heart rate for {} (the strap went quiet): that time is not counted.",
            clock(*gap)
        ),
    }
}

/// The live status line for an update.
pub fn status_line(u: &Update, cap_bpm: Option<u16>) -> String {
    let mut s = format!("{:>7}  ", clock(u.at));
    match &u.kind {
        UpdateKind::Sample {
            measurement,
            reading,
        } => match reading {
            Reading::Trusted {
                bpm,
                zone,
                percent_of_max,
                over_cap,
                ..
            } => {
                let _ = measurement;
                let _ = write!(s, "{bpm:>3} bpm  {zone}  {percent_of_max:>3.0}% of max");
                if *over_cap {
                    // Said in words too: the colour is not everyone's (NO_COLOR, a log).
                    s.push_str("  OVER THE CAP");
                }
            }
            Reading::Rejected(reason) => {
                let _ = write!(s, "  - bpm  ignored: {reason}");
            }
        },
        UpdateKind::Malformed(e) => {
            let _ = write!(s, "  - bpm  bad notification from the strap: {e}");
        }
        UpdateKind::Battery(p) => {
            let _ = write!(s, "strap battery {p}%");
        }
        UpdateKind::LinkLost => s.push_str("strap lost - waiting for it to come back"),
        UpdateKind::LinkRestored => s.push_str("strap back"),
        UpdateKind::Paused => s.push_str("timer paused"),
        UpdateKind::Resumed => s.push_str("timer running again"),
        UpdateKind::Answered(a) => {
            let _ = write!(s, "answer: {}", a.answer.as_str());
        }
    }
    if let Some(cap) = cap_bpm {
        let _ = write!(
            s,
            "  | over the cap {} in all (under {cap})",
            clock(u.over_cap)
        );
    }
    if !u.reliable {
        s.push_str("  | HR unreliable: run by feel");
    }
    s
}

/// A one-line note for events worth keeping on screen (link changes), if any.
pub fn event_note(u: &Update) -> Option<String> {
    match u.kind {
        UpdateKind::LinkLost => Some(format!(
            "[{}] Strap link lost. Alerts are held until it is back.",
            clock(u.at)
        )),
        UpdateKind::LinkRestored => Some(format!("[{}] Strap link restored.", clock(u.at))),
        UpdateKind::Paused => Some(format!(
            "[{}] Timer paused: the time until it runs again is not counted.",
            clock(u.at)
        )),
        UpdateKind::Resumed => Some(format!("[{}] Timer running again.", clock(u.at))),
        _ => None,
    }
}

/// The bpm range of zone `z` (0-5) as text: "below 93", "111-129", "167+".
pub fn zone_range(bounds: [u16; 5], z: usize) -> String {
    match z {
        0 => format!("below {}", bounds[0]),
        5 => format!("{}+", bounds[4]),
        n => format!("{}-{}", bounds[n - 1], bounds[n].saturating_sub(1)),
    }
}

/// The rejected readings by reason, in words: "75 strap reports no skin contact", ...
/// (reasons with no readings left out).
pub fn rejected_reasons(s: &Summary) -> Vec<String> {
    Rejection::ALL
        .iter()
        .filter(|r| s.rejected[r.index()] > 0)
        .map(|r| format!("{} {r}", s.rejected[r.index()]))
        .collect()
}

/// The end-of-run summary as text.
pub fn summary_text(s: &Summary, zones: &ZoneModel) -> String {
    let mut t = format!("Summary\n{}", summary_figures(s, zones));
    if s.cap_bpm.is_some() {
        if s.alerts.is_empty() {
            let _ = writeln!(t, "  alerts        none");
        } else {
            let _ = writeln!(t, "  alerts        {}", s.alerts.len());
            for a in &s.alerts {
                let _ = writeln!(t, "    {:>7}  {}", clock(a.at), alert_text(a));
            }
        }
    }
    t
}

/// The summary's figures, without its title and its alerts: what `report` shows of a run
/// before its own list of alerts with their reasons.
pub fn summary_figures(s: &Summary, zones: &ZoneModel) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "  duration      {}   (counted in zones: {})",
        clock(s.duration),
        clock(s.counted)
    );
    match (s.mean_bpm, s.max_bpm) {
        (Some(mean), Some(max)) => {
            let _ = writeln!(t, "  heart rate    mean {mean:.0} bpm, max {max} bpm");
        }
        _ => {
            let _ = writeln!(t, "  heart rate    no trusted readings");
        }
    }
    let _ = match zones.basis() {
        _ if zones.is_custom() => writeln!(t, "  time in zone  (own bounds, in bpm)"),
        ZoneBasis::Max => writeln!(t, "  time in zone  (max HR {})", zones.max_hr()),
        ZoneBasis::Hrr { resting } => writeln!(
            t,
            "  time in zone  (% of HRR: max HR {}, resting {resting})",
            zones.max_hr()
        ),
        ZoneBasis::Lthr { lthr } => writeln!(t, "  time in zone  (% of LTHR {lthr})"),
    };
    let bounds = zones.lower_bounds();
    // Wide enough for the longest time, so that a run of 100 hours or more (a week replayed
    // as one) still lines up.
    let width = s
        .time_in_zone
        .iter()
        .map(|d| clock(*d).len())
        .max()
        .unwrap_or(0)
        .max(8);
    for z in 0..Zone::COUNT {
        let range = zone_range(bounds, z);
        let secs = s.time_in_zone[z];
        let pct = if s.counted.is_zero() {
            0.0
        } else {
            100.0 * secs.as_secs_f64() / s.counted.as_secs_f64()
        };
        let _ = writeln!(
            t,
            "    Z{z} {range:>9} bpm  {:>width$}  {pct:>3.0}%",
            clock(secs)
        );
    }
    if let Some(cap) = s.cap_bpm {
        // With zones given as bounds (a watch's, the runner's own), say what the cap is a
        // share of: the table above does not.
        let basis = if zones.is_custom() {
            format!(
                ", {:.0}% of max HR {}",
                zones.percent_of_max_hr(cap),
                zones.max_hr()
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            t,
            "  over the cap  {} in all (under {cap} bpm allowed{basis})",
            clock(s.over_cap)
        );
    }
    if let Some(rw) = &s.run_walk {
        let _ = writeln!(
            t,
            "  run/walk      {} walk break{}; ran {}, walked {}; longest run {}",
            rw.walk_breaks,
            if rw.walk_breaks == 1 { "" } else { "s" },
            clock(rw.run),
            clock(rw.walk),
            clock(rw.longest_run)
        );
    }
    if let Some(check) = s.warm_up_check {
        let said = match check {
            CheckOutcome::Answered(_) => format!("soreness {}", check.as_str()),
            CheckOutcome::NotAnswered => "not answered".to_owned(),
        };
        let _ = writeln!(t, "  warm-up check {said}");
    }
    let ignored = s.rejected.iter().sum::<u64>() + s.malformed;
    if ignored > 0 {
        let mut reasons = rejected_reasons(s);
        if s.malformed > 0 {
            reasons.push(format!("{} malformed", s.malformed));
        }
        let _ = writeln!(
            t,
            "  ignored       {ignored} of {} notifications: {}",
            s.notifications,
            reasons.join(", ")
        );
    }
    if s.stale_gaps > 0 {
        let _ = writeln!(
            t,
            "  strap quiet   {} times, {} in all (not counted)",
            s.stale_gaps,
            clock(s.stale)
        );
    }
    if s.suppressed_alerts > 0 {
        let _ = writeln!(
            t,
            "  held back     {} alerts (ceiling per minute)",
            s.suppressed_alerts
        );
    }
    if s.link_losses > 0 {
        let _ = writeln!(
            t,
            "  link losses   {} ({} without the strap in all)",
            s.link_losses,
            clock(s.link_down)
        );
    }
    if s.pauses > 0 {
        let _ = writeln!(t, "  timer pauses  {}", s.pauses);
    }
    if let Some(b) = s.battery {
        let _ = writeln!(t, "  strap battery {b}%");
    }
    t
}

/// The cap in words for the banner of `replay` and `live`: "cap 133 bpm (60% of HRR, 72% of
/// max HR)". `None` without a cap.
pub fn cap_banner(config: &CoachConfig) -> Option<String> {
    let cap = config.cap.as_ref()?;
    let bpm = config.cap_bpm_for(cap);
    let pct = config.cap_percent()?;
    let zones = &config.zones;
    let mut text = format!("cap {bpm} bpm ({pct} of {}", basis_label(zones.basis()));
    if zones.basis() != ZoneBasis::Max {
        text.push_str(&format!(", {:.0}% of max HR", zones.percent_of_max_hr(bpm)));
    }
    if config.cap_held_by_zones() {
        text.push_str(", held at the top of zone 2 of the zones in use");
    }
    text.push(')');
    Some(text)
}

/// Above this share of max HR a sore-day cap is no longer an easy run (60-70 % of max HR).
pub const EASY_CEILING_PCT_OF_MAX: f64 = 75.0;

/// A warning when a cap the runner chose (flag or profile) sits above
/// [`EASY_CEILING_PCT_OF_MAX`] of max HR. The defaults never do for a typical runner.
pub fn cap_warning(config: &CoachConfig) -> Option<String> {
    let cap = config.cap.as_ref()?;
    cap.cap?;
    let bpm = config.cap_bpm_for(cap);
    let of_max = config.zones.percent_of_max_hr(bpm);
    (of_max > EASY_CEILING_PCT_OF_MAX).then(|| {
        format!(
            "warning: a sore-day cap of {bpm} bpm is {of_max:.0}% of max HR: an easy run is 60-70% of max HR. \
             Lower --cap-pct, or drop it for the default ({} of {}).",
            config.zones.basis().default_cap(),
            basis_label(config.zones.basis())
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_line_says_over_the_cap_in_words() {
        use crate::coach::Coach;
        use crate::coach::alerts::CapSettings;
        use crate::coach::measurement::{Contact, HeartRateMeasurement};
        use crate::event::{Event, EventKind};
        let mut coach = Coach::new(CoachConfig::new(185).with_cap(CapSettings::default()));
        let line = |coach: &mut Coach, s: u64, bpm: u16| {
            let hrm = HeartRateMeasurement {
                bpm,
                contact: Contact::Detected,
                energy_kj: None,
                rr: vec![],
            }
            .encode();
            let u = coach.step(Event {
                at: Duration::from_secs(s),
                kind: EventKind::Notification(hrm),
            });
            status_line(&u, coach.cap_bpm())
        };
        let mut last = String::new();
        for s in 0..30 {
            last = line(&mut coach, s, 120);
        }
        assert!(!last.contains("OVER"), "{last}");
        for s in 30..60 {
            last = line(&mut coach, s, 135);
        }
        assert!(
            last.contains("135 bpm") && last.contains("OVER THE CAP"),
            "{last}"
        );
    }

    #[test]
    fn clock_shows_minutes_then_hours() {
        assert_eq!(clock(Duration::from_secs(5)), "0:05");
        assert_eq!(clock(Duration::from_millis(125_900)), "2:05");
        assert_eq!(clock(Duration::from_secs(3600 + 62)), "1:01:02");
    }

    #[test]
    fn alerts_speak_plainly_with_their_numbers() {
        let a = Alert {
            at: Duration::from_secs(600),
            kind: AlertKind::OverCap,
            bpm: 137,
            smoothed_bpm: 136,
            cap_bpm: 130,
            over_for: Duration::from_secs(20),
            slope_bpm_per_min: None,
            eta: None,
            plan_time: None,
        };
        assert_eq!(
            alert_text(&a),
            "Over your sore-day cap: 136 bpm for 0:20 (under 130 today). Ease off: shorter steps, easier breathing."
        );
        let creep = Alert {
            kind: AlertKind::Creep,
            smoothed_bpm: 126,
            over_for: Duration::ZERO,
            slope_bpm_per_min: Some(1.04),
            eta: Some(Duration::from_secs(230)),
            ..a
        };
        assert!(alert_text(&creep).contains("rising 1.0 bpm a minute"));
        assert!(alert_text(&creep).contains("in about 4 min"));
    }
}
