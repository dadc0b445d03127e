//! What-if: one recording's events through several coach settings, side by side.
//!
//! Pure: the events are in memory, each setting gets a fresh [`Coach`], and the result is a
//! row of numbers per setting. `hrcoach replay FILE --compare` prints the table.

use std::time::Duration;

use crate::coach::alerts::AlertKind;

use crate::coach::alerts::CapSettings;
use crate::coach::zones::{Percent, ZoneBasis, ZoneModel};
use crate::coach::{Coach, CoachConfig};
use crate::event::Event;
use crate::output::format::basis_label;

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

/// One setting to compare.
#[derive(Debug, Clone)]
pub struct Setting {
    /// In words ("cap 65% of max HR, dwell 20s").
    pub label: String,
    /// The coach's configuration.
    pub config: CoachConfig,
    /// Whether it is the one in force (flags and profile).
    pub in_force: bool,
}

/// The settings `replay --compare` tries: the one in force (given a cap if it has none), the
/// easy-day default of each zone basis and two steps under it (70/65/60 % of max HR; with a
/// resting HR under max, 60/55/50 % of HRR), and the cap in force with a 10 s and a 30 s dwell.
pub fn settings(in_force: CoachConfig, resting: Option<u16>) -> Vec<Setting> {
    let max = in_force.zones.max_hr();
    let base = in_force.cap.clone().unwrap_or_default();
    let variant = |zones: ZoneModel, cap: Option<Percent>, dwell: Duration| {
        let mut c = CoachConfig::from_zones(zones);
        c.cap = Some(CapSettings {
            cap,
            dwell,
            ..base.clone()
        });
        c
    };
    let in_force_label = format!(
        "in force: {} of {}, dwell {}s",
        in_force
            .cap_percent()
            .unwrap_or(in_force.zones.basis().default_cap()),
        basis_label(in_force.zones.basis()),
        base.dwell.as_secs()
    );
    let in_force = if in_force.cap.is_none() {
        variant(in_force.zones.clone(), None, base.dwell)
    } else {
        in_force
    };
    let mut settings = vec![Setting {
        label: in_force_label,
        config: in_force.clone(),
        in_force: true,
    }];
    let mut bases = vec![ZoneModel::new(max, ZoneBasis::Max)];
    if let Some(r) = resting.filter(|&r| r < max) {
        bases.push(ZoneModel::new(max, ZoneBasis::Hrr { resting: r }));
    }
    for zones in bases {
        let default = zones.basis().default_cap().tenths() / 10;
        for pct in [default - 10, default - 5, default] {
            settings.push(Setting {
                label: format!(
                    "cap {pct}% of {}, dwell {}s",
                    basis_label(zones.basis()),
                    base.dwell.as_secs()
                ),
                config: variant(zones.clone(), Some(Percent::whole(pct)), base.dwell),
                in_force: false,
            });
        }
    }
    for dwell in [10, 30] {
        let mut config = in_force.clone();
        if let Some(cap) = &mut config.cap {
            cap.dwell = Duration::from_secs(dwell);
        }
        settings.push(Setting {
            label: format!("in-force cap, dwell {dwell}s"),
            config,
            in_force: false,
        });
    }
    settings
}

/// Runs `events` through each setting and returns one row each.
pub fn compare(events: &[Event], settings: Vec<Setting>) -> Vec<Row> {
    settings
        .into_iter()
        .map(
            |Setting {
                 label,
                 config,
                 in_force,
             }| {
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
                        .filter(|a| {
                            matches!(
                                a.kind,
                                AlertKind::OverCap | AlertKind::Reminder | AlertKind::Walk
                            )
                        })
                        .count(),
                    over_cap: s.over_cap,
                    first_alert: s
                        .alerts
                        .iter()
                        .find(|a| matches!(a.kind, AlertKind::OverCap | AlertKind::Walk))
                        .map(|a| a.at),
                    in_force,
                }
            },
        )
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
            [
                ("70", 70, 20, true),
                ("65", 65, 20, false),
                ("65 short", 65, 10, false),
            ]
            .into_iter()
            .map(|(label, pct, dwell, in_force)| Setting {
                label: label.to_owned(),
                config: cap(pct, dwell),
                in_force,
            })
            .collect(),
        );
        assert_eq!(rows[0].first_alert, None, "125 never reaches the 130 cap");
        assert_eq!(rows[1].cap_bpm, Some(120));
        // 110 -> 125 in one second is too fast for a heart; two seconds after the last trusted
        // reading it is 7.5 bpm/s, within the rate rule: trusted from 61 s, alert 20 s later.
        assert_eq!(rows[1].first_alert, Some(Duration::from_secs(81)));
        assert_eq!(rows[2].first_alert, Some(Duration::from_secs(71)));
        assert!(rows[1].over_cap > Duration::from_secs(200));
    }

    #[test]
    fn the_settings_tried_are_the_one_in_force_three_caps_per_basis_and_two_dwells() {
        let in_force = CoachConfig::new(185).with_cap(CapSettings::default());
        let without_resting = settings(in_force.clone(), None);
        assert_eq!(without_resting.len(), 1 + 3 + 2);
        assert!(without_resting[0].in_force);
        assert_eq!(without_resting.iter().filter(|s| s.in_force).count(), 1);
        let with_resting = settings(in_force.clone(), Some(55));
        assert_eq!(with_resting.len(), 1 + 3 + 3 + 2);
        assert!(
            with_resting
                .iter()
                .any(|s| s.label == "cap 50% of HRR, dwell 20s")
        );
        // A resting HR at or over max HR is no basis.
        assert_eq!(settings(in_force, Some(185)).len(), 6);
    }
}
