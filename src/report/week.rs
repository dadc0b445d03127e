//! `report --week`: the last seven days of recordings, by the day each started.

use jiff::civil::Date;
use serde::Serialize;

use crate::coach::summary::Summary;
use crate::coach::zones::Zone;
use crate::event::seconds;

/// One day of the week: how many runs, how long, and the time in each zone.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Day {
    /// The day (`YYYY-MM-DD` in JSON).
    pub date: Date,
    /// Recordings that started that day.
    pub sessions: u32,
    /// Time counted in zones, in seconds.
    pub running_s: f64,
    /// Seconds in zones 0-5.
    pub time_in_zone_s: [f64; Zone::COUNT],
}

impl Day {
    /// Adds one run's summary to the day.
    pub fn add(&mut self, s: &Summary) {
        self.sessions += 1;
        self.running_s += seconds(s.counted);
        for (sum, t) in self.time_in_zone_s.iter_mut().zip(s.time_in_zone) {
            *sum += seconds(t);
        }
    }

    /// The days added up (dated like the first, if any).
    pub fn total(days: &[Day]) -> Day {
        let mut total = Day {
            date: days.first().map_or_else(Date::default, |d| d.date),
            ..Day::default()
        };
        for d in days {
            total.sessions += d.sessions;
            total.running_s += d.running_s;
            for (sum, t) in total.time_in_zone_s.iter_mut().zip(d.time_in_zone_s) {
                *sum += t;
            }
        }
        total
    }
}

/// The seven days that end with `today`, oldest first, empty.
pub fn last_seven_days(today: Date) -> Vec<Day> {
    (0..7)
        .rev()
        .filter_map(|back| today.checked_sub(jiff::Span::new().days(back)).ok())
        .map(|date| Day {
            date,
            ..Day::default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_week_ends_today_and_adds_up() {
        let days = last_seven_days(jiff::civil::date(2026, 3, 2));
        assert_eq!(days.len(), 7);
        assert_eq!(days[0].date, jiff::civil::date(2026, 2, 24));
        assert_eq!(days[6].date, jiff::civil::date(2026, 3, 2));
        let mut days = days;
        let ten = std::time::Duration::from_secs(600);
        let mut time_in_zone = [std::time::Duration::ZERO; Zone::COUNT];
        time_in_zone[2] = ten;
        let s = Summary {
            counted: ten,
            time_in_zone,
            ..Summary::default()
        };
        days[1].add(&s);
        days[6].add(&s);
        let total = Day::total(&days);
        assert_eq!(total.sessions, 2);
        assert!((total.running_s - 1200.0).abs() < 1e-9);
        assert!((total.time_in_zone_s[2] - 1200.0).abs() < 1e-9);
    }
}
