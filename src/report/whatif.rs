//! What-if: one recording's events through several coach settings, side by side.
//!
//! Pure: the events are in memory, each setting gets a fresh [`Coach`], and the result is a
//! row of numbers per setting. `hrcoach replay FILE --compare` prints the table.

use std::time::Duration;

use crate::coach::alerts::AlertKind;
use crate::coach::{Coach, CoachConfig};
use crate::event::Event;

/// What one setting did with the run.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The setting, in words ("cap 65% of max HR, dwell 20s").
    pub label: String,
    /// The cap in bpm.
    pub cap_bpm: Option<u16>,
    /// Every alert given.
    pub alerts: usize,
    /// Of which cap alerts (`over_cap` and reminders).
    pub cap_alerts: usize,
    /// Counted time at or over the cap.
    pub over_cap: Duration,
    /// When the first `over_cap` alert came.
    pub first_alert: Option<Duration>,
    /// Whether this is the setting in force (flags and profile).
    pub in_force: bool,
}

/// Runs `events` through each `(label, config, in_force)` and returns one row each.
pub fn compare(events: &[Event], settings: Vec<(String, CoachConfig, bool)>) -> Vec<Row> {
    settings
        .into_iter()
        .map(|(label, config, in_force)| {
            let mut coach = Coach::new(config);
            for e in events {
                coach.step(e.clone());
            }
            let s = coach.summary();
            Row {
                label,
                cap_bpm: s.cap_bpm,
                alerts: s.alerts.len(),
                cap_alerts: s
                    .alerts
                    .iter()
                    .filter(|a| matches!(a.kind, AlertKind::OverCap | AlertKind::Reminder))
                    .count(),
                over_cap: s.over_cap,
                first_alert: s
                    .alerts
                    .iter()
                    .find(|a| a.kind == AlertKind::OverCap)
                    .map(|a| a.at),
                in_force,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coach::alerts::CapSettings;
    use crate::coach::measurement::{Contact, HeartRateMeasurement};
    use crate::coach::zones::Percent;

    #[test]
    fn a_lower_cap_or_a_shorter_dwell_alerts_sooner() {
        // 110 bpm for a minute, then 125: over a 65 % cap (120), under a 70 % one (130).
        let events: Vec<Event> = (0..300u64)
            .map(|s| {
                let m = HeartRateMeasurement {
                    bpm: if s < 60 { 110 } else { 125 },
                    contact: Contact::Detected,
                    energy_kj: None,
                    rr: vec![],
                };
                Event::notification(Duration::from_secs(s), m.encode())
            })
            .collect();
        let cap = |pct: u16, dwell: u64| {
            CoachConfig::new(185).with_cap(CapSettings {
                cap: Some(Percent::whole(pct)),
                dwell: Duration::from_secs(dwell),
                ..CapSettings::default()
            })
        };
        let rows = compare(
            &events,
            vec![
                ("70".into(), cap(70, 20), true),
                ("65".into(), cap(65, 20), false),
                ("65 short".into(), cap(65, 10), false),
            ],
        );
        assert_eq!(rows[0].first_alert, None, "125 never reaches the 130 cap");
        assert_eq!(rows[1].cap_bpm, Some(120));
        // 110 -> 125 in one second is too fast for a heart; two seconds after the last trusted
        // reading it is 7.5 bpm/s, within the rate rule: trusted from 61 s, alert 20 s later.
        assert_eq!(rows[1].first_alert, Some(Duration::from_secs(81)));
        assert_eq!(rows[2].first_alert, Some(Duration::from_secs(71)));
        assert!(rows[1].over_cap > Duration::from_secs(200));
    }
}
